import * as path from 'node:path';
import { SparkException } from '../../lib/core/errors';
import { SparkConf } from '../../lib/core/SparkConf';
import { BatchedWriteAheadLog } from '../../wal/BatchedWriteAheadLog';
import { FileBasedWriteAheadLog } from '../../wal/FileBasedWriteAheadLog';
import { WriteAheadLogUtils } from '../../wal/WriteAheadLogUtils';
import { LogWithNoArgConstructor, LogWithSparkConfConstructor } from './fixtures/customLogs';

const CUSTOM = path.join(__dirname, 'fixtures', 'customLogs');
const dir = '/nonexistent/wal-utils-test';

describe('WriteAheadLogUtils (WriteAheadLogUtilsSuite)', () => {
  test('the default driver log is batched over a file log; the receiver log is a file log', () => {
    const conf = new SparkConf(false);
    const driver = WriteAheadLogUtils.createLogForDriver(conf, dir);
    expect(driver).toBeInstanceOf(BatchedWriteAheadLog);
    expect((driver as BatchedWriteAheadLog).wrappedLog).toBeInstanceOf(FileBasedWriteAheadLog);
    expect(WriteAheadLogUtils.createLogForReceiver(conf, dir)).toBeInstanceOf(FileBasedWriteAheadLog);
    expect(WriteAheadLogUtils.shouldCloseFileAfterWrite(conf, true)).toBe(false);
    expect(WriteAheadLogUtils.shouldCloseFileAfterWrite(conf, false)).toBe(false);
    expect(WriteAheadLogUtils.enableReceiverLog(conf)).toBe(false);
  });

  test('batching is on by default for the driver, can be turned off, and never applies to receivers', () => {
    const conf = new SparkConf(false).set('spark.streaming.driver.writeAheadLog.allowBatching', 'false');
    expect(WriteAheadLogUtils.createLogForDriver(conf, dir)).toBeInstanceOf(FileBasedWriteAheadLog);
    expect(WriteAheadLogUtils.isBatchingEnabled(new SparkConf(false), true)).toBe(true);
    expect(WriteAheadLogUtils.isBatchingEnabled(new SparkConf(false), false)).toBe(false);
  });

  test('the file log takes the driver or receiver keys', () => {
    const conf = new SparkConf(false)
      .set('spark.streaming.driver.writeAheadLog.allowBatching', 'false')
      .set('spark.streaming.driver.writeAheadLog.rollingIntervalSecs', '5')
      .set('spark.streaming.receiver.writeAheadLog.closeFileAfterWrite', 'true');
    expect((WriteAheadLogUtils.createLogForDriver(conf, dir) as FileBasedWriteAheadLog).options).toMatchObject({ rollingIntervalSecs: 5, closeFileAfterWrite: false });
    expect((WriteAheadLogUtils.createLogForReceiver(conf, dir) as FileBasedWriteAheadLog).options).toMatchObject({ rollingIntervalSecs: 60, closeFileAfterWrite: true });
  });

  test('custom classes: (conf) and no-arg constructors; the driver class does not affect receivers and vice versa', () => {
    const conf = new SparkConf(false).set('spark.streaming.driver.writeAheadLog.class', `${CUSTOM}#LogWithSparkConfConstructor`);
    const driver = WriteAheadLogUtils.createLogForDriver(conf, dir) as BatchedWriteAheadLog;
    expect(driver.wrappedLog).toBeInstanceOf(LogWithSparkConfConstructor);
    expect((driver.wrappedLog as LogWithSparkConfConstructor).conf).toBe(conf);
    expect(WriteAheadLogUtils.createLogForReceiver(conf, dir)).toBeInstanceOf(FileBasedWriteAheadLog);

    const rconf = new SparkConf(false).set('spark.streaming.receiver.writeAheadLog.class', `${CUSTOM}#LogWithNoArgConstructor`);
    expect(WriteAheadLogUtils.createLogForReceiver(rconf, dir)).toBeInstanceOf(LogWithNoArgConstructor);
    expect((WriteAheadLogUtils.createLogForDriver(rconf, dir) as BatchedWriteAheadLog).wrappedLog).toBeInstanceOf(FileBasedWriteAheadLog);
  });

  test('a class with another constructor, a missing export or module is a SparkException naming the class', () => {
    for (const cls of [`${CUSTOM}#LogWithTwoArgConstructor`, `${CUSTOM}#Missing`, '/no/such/module#X']) {
      const conf = new SparkConf(false).set('spark.streaming.receiver.writeAheadLog.class', cls);
      expect(() => WriteAheadLogUtils.createLogForReceiver(conf, dir)).toThrow(SparkException);
      expect(() => WriteAheadLogUtils.createLogForReceiver(conf, dir)).toThrow(`Could not create a write ahead log of class ${cls}`);
    }
  });
});
