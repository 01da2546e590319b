import * as path from 'node:path';
import { SparkException } from '../lib/core/errors';
import type { SparkConf } from '../lib/core/SparkConf';
import { StreamingConf } from '../lib/core/StreamingConf';
import { BatchedWriteAheadLog } from './BatchedWriteAheadLog';
import { FileBasedWriteAheadLog } from './FileBasedWriteAheadLog';
import type { WriteAheadLog } from './WriteAheadLog';

/**
 * Creation of the driver and receiver write-ahead logs from the configuration: Spark's `WriteAheadLogUtils`.
 *
 * A custom log class is named by `spark.streaming.{driver,receiver}.writeAheadLog.class` as `<module>#<export>`
 * (`<module>` alone takes the default export); a relative module path is resolved from the working directory. Its
 * constructor takes the `SparkConf` or nothing, as Spark's (`SparkConf`) or no-arg constructors.
 */
export const WriteAheadLogUtils = {
  /** Whether received data goes through the receiver WAL (`spark.streaming.receiver.writeAheadLog.enable`). */
  enableReceiverLog(conf: SparkConf): boolean {
    return StreamingConf.RECEIVER_WAL_ENABLE.read(conf);
  },

  /** Driver logs are batched unless `...driver.writeAheadLog.allowBatching` is false; receiver logs never are. */
  isBatchingEnabled(conf: SparkConf, isDriver: boolean): boolean {
    return isDriver && StreamingConf.DRIVER_WAL_BATCHING.read(conf);
  },

  getBatchingTimeout(conf: SparkConf): number {
    return StreamingConf.DRIVER_WAL_BATCHING_TIMEOUT.read(conf);
  },

  shouldCloseFileAfterWrite(conf: SparkConf, isDriver: boolean): boolean {
    return (isDriver ? StreamingConf.DRIVER_WAL_CLOSE_AFTER_WRITE : StreamingConf.RECEIVER_WAL_CLOSE_AFTER_WRITE).read(conf);
  },

  createLogForDriver(conf: SparkConf, logDirectory: string): WriteAheadLog {
    return WriteAheadLogUtils.createLog(true, conf, logDirectory);
  },

  createLogForReceiver(conf: SparkConf, logDirectory: string): WriteAheadLog {
    return WriteAheadLogUtils.createLog(false, conf, logDirectory);
  },

  /** The configured custom log, else a {@link FileBasedWriteAheadLog}; wrapped in a batching log for the driver. */
  createLog(isDriver: boolean, conf: SparkConf, logDirectory: string): WriteAheadLog {
    const className = (isDriver ? StreamingConf.DRIVER_WAL_CLASS : StreamingConf.RECEIVER_WAL_CLASS).read(conf);
    const wal =
      className !== undefined ? instantiate(className, conf) : new FileBasedWriteAheadLog(logDirectory, FileBasedWriteAheadLog.optionsFromConf(conf, isDriver));
    return WriteAheadLogUtils.isBatchingEnabled(conf, isDriver) ? new BatchedWriteAheadLog(wal, WriteAheadLogUtils.getBatchingTimeout(conf)) : wal;
  },
};

type WalClass = new (...args: unknown[]) => WriteAheadLog;

function instantiate(className: string, conf: SparkConf): WriteAheadLog {
  const fail = (cause?: unknown): never => {
    throw new SparkException(`Could not create a write ahead log of class ${className}`, cause === undefined ? undefined : { cause });
  };
  const [moduleName, exportName = 'default'] = className.split('#');
  let cls: unknown;
  try {
    const resolved = moduleName.startsWith('.') ? path.resolve(moduleName) : moduleName;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(resolved) as Record<string, unknown>;
    cls = mod[exportName];
  } catch (e) {
    return fail(e);
  }
  if (typeof cls !== 'function') return fail(new Error(`module ${moduleName} has no class export '${exportName}'`));
  const ctor = cls as WalClass;
  // Spark tries a (SparkConf) constructor, then a no-arg one; any other shape is an error.
  if (ctor.length > 1) return fail(new Error(`its constructor takes ${ctor.length} arguments; expected (conf) or ()`));
  try {
    return ctor.length === 1 ? new ctor(conf) : new ctor();
  } catch (e) {
    return fail(e);
  }
}
