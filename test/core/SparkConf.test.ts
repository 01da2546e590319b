import { ConfigurationError, NoSuchElementException, parseMaster, SparkConf, SparkException, StreamingConf } from '../../lib';
import * as os from 'node:os';

describe('SparkConf', () => {
  test('set, get, contains, getAll, setAll', () => {
    const conf = new SparkConf(false).setMaster('local[2]').setAppName('app').setAll([['a', '1'], ['b', 'x']]);
    expect(conf.get('spark.master')).toBe('local[2]');
    expect(conf.get('spark.app.name')).toBe('app');
    expect(conf.contains('a')).toBe(true);
    expect(conf.contains('zzz')).toBe(false);
    expect(conf.get('zzz', 'dflt')).toBe('dflt');
    expect(() => conf.get('zzz')).toThrow(NoSuchElementException);
    expect(conf.getAll()).toEqual([['a', '1'], ['b', 'x'], ['spark.app.name', 'app'], ['spark.master', 'local[2]']]);
    conf.setAll({ c: 3 });
    expect(conf.getInt('c', 0)).toBe(3);
  });

  test('typed getters parse Spark forms', () => {
    const conf = new SparkConf(false)
      .set('t1', '200ms').set('t2', '2s').set('t3', '1min').set('t4', '1500').set('t5', '1h').set('t6', '250us')
      .set('b', 'TRUE').set('i', '42').set('d', '0.5').set('sz', '1m');
    expect(conf.getTimeAsMs('t1')).toBe(200);
    expect(conf.getTimeAsMs('t2')).toBe(2000);
    expect(conf.getTimeAsMs('t3')).toBe(60000);
    expect(conf.getTimeAsMs('t4')).toBe(1500);
    expect(conf.getTimeAsMs('t5')).toBe(3600000);
    expect(conf.getTimeAsMs('t6')).toBe(0);
    expect(conf.getTimeAsMs('missing', '5s')).toBe(5000);
    expect(conf.getTimeAsSeconds('t2')).toBe(2);
    expect(conf.getBoolean('b', false)).toBe(true);
    expect(conf.getInt('i', 0)).toBe(42);
    expect(conf.getDouble('d', 0)).toBe(0.5);
    expect(conf.getSizeAsBytes('sz')).toBe(1024 * 1024);
  });

  test('a malformed value is an error naming the key and the value', () => {
    const conf = new SparkConf(false).set('spark.streaming.blockInterval', '200 parsecs').set('flag', 'yes').set('n', '4x');
    expect(() => StreamingConf.BLOCK_INTERVAL.read(conf)).toThrow(ConfigurationError);
    expect(() => StreamingConf.BLOCK_INTERVAL.read(conf)).toThrow(/200 parsecs.*spark\.streaming\.blockInterval/);
    expect(() => conf.getBoolean('flag', false)).toThrow(/'yes' for configuration key 'flag'/);
    expect(() => conf.getInt('n', 1)).toThrow(/'4x' for configuration key 'n'/);
    const bad = new SparkConf(false).set('spark.streaming.backpressure.rateEstimator', 'magic');
    expect(() => StreamingConf.BACKPRESSURE_RATE_ESTIMATOR.read(bad)).toThrow(/magic.*one of pid/);
  });

  test('entries carry Spark defaults', () => {
    const conf = new SparkConf(false);
    expect(StreamingConf.BLOCK_INTERVAL.read(conf)).toBe(200);
    expect(StreamingConf.RECEIVER_WAL_ROLLING_INTERVAL_SECS.read(conf)).toBe(60);
    expect(StreamingConf.CONCURRENT_JOBS.read(conf)).toBe(1);
    expect(StreamingConf.BLOCK_STORE_TIMEOUT.read(conf)).toBe(30);
    expect(StreamingConf.BACKPRESSURE_PID_MIN_RATE.read(conf)).toBe(100);
  });

  test('DSTREAMS_CONF loads keys like Spark system properties', () => {
    const before = process.env.DSTREAMS_CONF;
    process.env.DSTREAMS_CONF = 'spark.streaming.blockInterval=50ms;dstreams.ui.port=0';
    try {
      const conf = new SparkConf();
      expect(StreamingConf.BLOCK_INTERVAL.read(conf)).toBe(50);
      expect(StreamingConf.UI_PORT.read(conf)).toBe(0);
    } finally {
      if (before === undefined) delete process.env.DSTREAMS_CONF;
      else process.env.DSTREAMS_CONF = before;
    }
  });

  test('clone is independent', () => {
    const a = new SparkConf(false).set('k', 'v');
    const b = a.clone().set('k', 'w');
    expect(a.get('k')).toBe('v');
    expect(b.get('k')).toBe('w');
  });
});

describe('master URLs', () => {
  test.each([
    ['local', 1, 1],
    ['local[2]', 2, 1],
    ['local[4,3]', 4, 3],
    ['local[ 3 , 2 ]', 3, 2],
  ])('%s', (m, threads, attempts) => {
    expect(parseMaster(m)).toMatchObject({ threads, maxTaskAttempts: attempts });
  });

  test('local[*] uses the core count', () => {
    expect(parseMaster('local[*]').threads).toBe(os.cpus().length);
    expect(parseMaster('local[*,5]').maxTaskAttempts).toBe(5);
  });

  test.each(['yarn', 'spark://host:7077', 'local[0]', 'local[x]', 'local[2,0]', ''])('rejects %p', (m) => {
    expect(() => parseMaster(m)).toThrow(SparkException);
  });
});
