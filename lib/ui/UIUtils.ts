/**
 * Time formatting of the streaming UI: Spark's `org.apache.spark.streaming.ui.UIUtils` (UIUtilsSuite). The page's
 * script has the same rules for its charts (static/format.js); these are the server's and the tests'.
 */

/** Java's `TimeUnit` constants, as Spark's UI uses them. */
export type TimeUnit = 'NANOSECONDS' | 'MICROSECONDS' | 'MILLISECONDS' | 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS';

const SHORT: Record<TimeUnit, string> = {
  NANOSECONDS: 'ns',
  MICROSECONDS: 'us',
  MILLISECONDS: 'ms',
  SECONDS: 'sec',
  MINUTES: 'min',
  HOURS: 'hrs',
  DAYS: 'days',
};

/** Spark's `shortTimeUnitString`: `ns`, `us`, `ms`, `sec`, `min`, `hrs`, `days`. */
export function shortTimeUnitString(unit: TimeUnit): string {
  return SHORT[unit];
}

/**
 * Spark's `normalizeDuration(milliseconds)`: the largest unit in which the value is at least 1 (ms below a second,
 * then seconds below a minute, minutes below an hour, hours below a day, else days).
 */
export function normalizeDuration(milliseconds: number): [number, TimeUnit] {
  if (milliseconds < 1000) return [milliseconds, 'MILLISECONDS'];
  const seconds = milliseconds / 1000;
  if (seconds < 60) return [seconds, 'SECONDS'];
  const minutes = seconds / 60;
  if (minutes < 60) return [minutes, 'MINUTES'];
  const hours = minutes / 60;
  if (hours < 24) return [hours, 'HOURS'];
  return [hours / 24, 'DAYS'];
}

/** Spark's `convertToTimeUnit(milliseconds, unit)`. */
export function convertToTimeUnit(milliseconds: number, unit: TimeUnit): number {
  switch (unit) {
    case 'NANOSECONDS':
      return milliseconds * 1000 * 1000;
    case 'MICROSECONDS':
      return milliseconds * 1000;
    case 'MILLISECONDS':
      return milliseconds;
    case 'SECONDS':
      return milliseconds / 1000.0;
    case 'MINUTES':
      return milliseconds / 1000.0 / 60.0;
    case 'HOURS':
      return milliseconds / 1000.0 / 60.0 / 60.0;
    case 'DAYS':
      return milliseconds / 1000.0 / 60.0 / 60.0 / 24.0;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  return f;
}

/**
 * Spark's `formatBatchTime(batchTime, batchInterval, showYYYYMMSS = true, timezone)`: `yyyy/MM/dd HH:mm:ss`, with
 * `.SSS` when the batch interval is under a second; without the date when `showYYYYMMSS` is false. The time zone is
 * an IANA name (default: the process's).
 */
export function formatBatchTime(batchTime: number, batchInterval: number, showYYYYMMSS = true, timeZone?: string): string {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(batchTime))) parts[p.type] = p.value;
  let s = `${parts.hour}:${parts.minute}:${parts.second}`;
  if (batchInterval < 1000) s += `.${String(((batchTime % 1000) + 1000) % 1000).padStart(3, '0')}`;
  return showYYYYMMSS ? `${parts.year}/${parts.month}/${parts.day} ${s}` : s;
}

/**
 * Spark core's `UIUtils.formatDuration`: `123 ms`, `1.5 s`, `12 s`, `3.2 min`, `1.1 h` (what the batch tables
 * show).
 */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 100) return `${Math.round(milliseconds)} ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 1) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  const minutes = seconds / 60;
  if (minutes < 10) return `${minutes.toFixed(1)} min`;
  if (minutes < 60) return `${minutes.toFixed(0)} min`;
  return `${(minutes / 60).toFixed(1)} h`;
}

/** Spark's REST API date form: `2015-03-04T04:40:00.000GMT`. */
export function apiDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', 'GMT');
}
