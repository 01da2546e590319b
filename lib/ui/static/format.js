// Formatting for the page, the same rules as lib/ui/UIUtils.ts (Spark's streaming UIUtils and core formatDuration).

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** Spark's formatBatchTime: yyyy/MM/dd HH:mm:ss, with .SSS under a 1 s batch interval; local time. */
export function formatBatchTime(ms, batchInterval, showDate = true) {
  const d = new Date(ms);
  let s = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  if (batchInterval < 1000) s += `.${pad(d.getMilliseconds(), 3)}`;
  return showDate ? `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${s}` : s;
}

/** Spark's formatDuration: 12 ms, 0.5 s, 12 s, 3.2 min, 1.1 h. */
export function formatDuration(ms) {
  if (ms === undefined || ms === null) return '-';
  if (ms < 100) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 1) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  const minutes = seconds / 60;
  if (minutes < 10) return `${minutes.toFixed(1)} min`;
  if (minutes < 60) return `${minutes.toFixed(0)} min`;
  return `${(minutes / 60).toFixed(1)} h`;
}

/** Spark's formatDurationVerbose-like text for the summary line: "3 minutes 4 seconds". */
export function formatDurationVerbose(ms) {
  const s = Math.floor(ms / 1000);
  const parts = [];
  const units = [['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];
  let rest = s;
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || (name === 'second' && parts.length === 0)) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** Spark's normalizeDuration: [value, unit] in the largest unit where the value is at least 1. */
export function normalizeDuration(ms) {
  if (ms < 1000) return [ms, 'ms'];
  const sec = ms / 1000;
  if (sec < 60) return [sec, 'sec'];
  const min = sec / 60;
  if (min < 60) return [min, 'min'];
  const hrs = min / 60;
  if (hrs < 24) return [hrs, 'hrs'];
  return [hrs / 24, 'days'];
}

const UNIT_MS = { ms: 1, sec: 1000, min: 60000, hrs: 3600000, days: 86400000 };

/** Spark's convertToTimeUnit for the short unit names. */
export function convertToUnit(ms, unit) {
  return ms / UNIT_MS[unit];
}

export function formatNumber(x, digits = 2) {
  if (x === undefined || x === null || Number.isNaN(x)) return '-';
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: Math.min(digits, 2) });
}

export function formatBytes(n) {
  if (n === undefined || n === null) return '-';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = -1;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
