/**
 * Spark's `JavaUtils.timeStringAs` / `byteStringAs`: `"200ms"`, `"2s"`, `"1min"`, `"5h"`, `"1d"`, `"250us"` and
 * `"64k"`, `"1m"`, `"1g"`, `"512b"`. A bare number takes the default unit.
 */

const TIME_UNITS_MS: Record<string, number> = {
  us: 0.001, ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000,
};

const BYTE_UNITS: Record<string, number> = {
  b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4,
  kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3,
};

/** Parses a time string to milliseconds, or returns undefined when malformed. */
export function parseTimeMs(value: string, defaultUnit: 'ms' | 's' = 'ms'): number | undefined {
  const m = /^(-?[0-9]+(?:\.[0-9]+)?)\s*([a-z]+)?$/.exec(value.trim().toLowerCase());
  if (!m) return undefined;
  const unit = m[2] ?? defaultUnit;
  const factor = TIME_UNITS_MS[unit];
  if (factor === undefined) return undefined;
  if (m[1].includes('.') && m[2] === undefined) return undefined;
  return Math.round(Number(m[1]) * factor);
}

/** Parses a size string to bytes, or returns undefined when malformed. */
export function parseBytes(value: string, defaultUnit: 'b' | 'k' | 'm' = 'b'): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)?$/.exec(value.trim().toLowerCase());
  if (!m) return undefined;
  const factor = BYTE_UNITS[m[2] ?? defaultUnit];
  if (factor === undefined) return undefined;
  return Math.round(Number(m[1]) * factor);
}

export const TIME_FORMAT_HINT =
  'a time such as 50s, 100ms, 250us, 1min or 2h (units: us, ms, s, m or min, h, d)';
export const SIZE_FORMAT_HINT = 'a size such as 512b, 64k, 1m or 2g';
