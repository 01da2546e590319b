import { ConfigurationError } from '../errors';
import type { Clock } from './Clock';
import { ManualClock } from './ManualClock';
import { SystemClock } from './SystemClock';

const MANUAL = ['manual', 'manualclock', 'org.apache.spark.util.manualclock', 'org.apache.spark.streaming.util.manualclock'];
const SYSTEM = ['system', 'systemclock', 'org.apache.spark.util.systemclock', 'org.apache.spark.streaming.util.systemclock'];

/** The clock named by `spark.streaming.clock` (Spark's class names accepted, and `manual` / `system`). */
export function createClock(key: string, name: string): Clock {
  const n = name.trim().toLowerCase();
  if (MANUAL.includes(n)) return new ManualClock();
  if (SYSTEM.includes(n)) return new SystemClock();
  throw new ConfigurationError(key, name, 'manual (org.apache.spark.util.ManualClock) or system (org.apache.spark.util.SystemClock)');
}
