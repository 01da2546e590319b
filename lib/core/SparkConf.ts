import { ConfigurationError, MalformedConfEntryError, NoSuchElementException } from './errors';
import { parseBytes, parseTimeMs, SIZE_FORMAT_HINT, TIME_FORMAT_HINT } from './TimeStrings';

/**
 * Key/value configuration: Spark's `SparkConf`. Keys are Spark's own (`spark.streaming.*`) or ours (`dstreams.*`).
 * Typed getters parse Spark's forms and throw a {@link ConfigurationError} naming the key and the value when malformed.
 * `new SparkConf()` also loads `spark.*` and `dstreams.*` keys from the environment variable `DSTREAMS_CONF`
 * (`key=value` pairs separated by newlines or `;`), the stand-in for Spark's `-Dspark.x=y` system properties; an entry
 * without `=` is a {@link MalformedConfEntryError} naming it, as spark-submit refuses `--conf x`.
 */
export class SparkConf {
  private readonly settings = new Map<string, string>();

  constructor(loadDefaults = true) {
    if (loadDefaults) {
      const env = process.env.DSTREAMS_CONF;
      if (env) {
        for (const pair of env.split(/[\n;]/)) {
          if (pair.trim() === '') continue;
          const i = pair.indexOf('=');
          if (i <= 0 || pair.slice(0, i).trim() === '') throw new MalformedConfEntryError('DSTREAMS_CONF', pair.trim());
          this.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
        }
      }
    }
  }

  set(key: string, value: string | number | boolean): this {
    if (key == null) throw new TypeError('null key');
    if (value == null) throw new TypeError(`null value for ${key}`);
    this.settings.set(key, String(value));
    return this;
  }

  setIfMissing(key: string, value: string | number | boolean): this {
    if (!this.settings.has(key)) this.set(key, value);
    return this;
  }

  setAll(pairs: Iterable<readonly [string, string | number | boolean]> | Record<string, string | number | boolean>): this {
    const entries = Symbol.iterator in Object(pairs) ? (pairs as Iterable<readonly [string, string]>) : Object.entries(pairs);
    for (const [k, v] of entries) this.set(k, v);
    return this;
  }

  setMaster(master: string): this { return this.set('spark.master', master); }
  setAppName(name: string): this { return this.set('spark.app.name', name); }

  remove(key: string): this {
    this.settings.delete(key);
    return this;
  }

  contains(key: string): boolean { return this.settings.has(key); }

  /** The value of `key`; without a default, a missing key throws `NoSuchElementException(key)` as Spark's does. */
  get(key: string, defaultValue?: string): string {
    const v = this.settings.get(key);
    if (v !== undefined) return v;
    if (defaultValue !== undefined) return defaultValue;
    throw new NoSuchElementException(key);
  }

  getOption(key: string): string | undefined { return this.settings.get(key); }

  getInt(key: string, defaultValue: number): number {
    const v = this.settings.get(key);
    if (v === undefined) return defaultValue;
    if (!/^\s*-?[0-9]+\s*$/.test(v)) throw new ConfigurationError(key, v, 'an integer');
    const n = Number(v);
    if (n > 2147483647 || n < -2147483648) throw new ConfigurationError(key, v, 'a 32-bit integer');
    return n;
  }

  getLong(key: string, defaultValue: number): number {
    const v = this.settings.get(key);
    if (v === undefined) return defaultValue;
    if (!/^\s*-?[0-9]+\s*$/.test(v)) throw new ConfigurationError(key, v, 'an integer');
    return Number(v);
  }

  getDouble(key: string, defaultValue: number): number {
    const v = this.settings.get(key);
    if (v === undefined) return defaultValue;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new ConfigurationError(key, v, 'a number');
    return n;
  }

  /** `true` / `false`, case-insensitive (Scala's `toBoolean`). */
  getBoolean(key: string, defaultValue: boolean): boolean {
    const v = this.settings.get(key);
    if (v === undefined) return defaultValue;
    const s = v.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
    throw new ConfigurationError(key, v, 'true or false');
  }

  /** A time in ms; accepts `"200ms"`, `"2s"`, `"1min"`, ...; a bare number is milliseconds. */
  getTimeAsMs(key: string, defaultValue?: string): number {
    const v = this.settings.get(key) ?? defaultValue;
    if (v === undefined) throw new NoSuchElementException(key);
    const ms = parseTimeMs(v, 'ms');
    if (ms === undefined) throw new ConfigurationError(key, v, TIME_FORMAT_HINT);
    return ms;
  }

  /** A time in whole seconds; a bare number is seconds. */
  getTimeAsSeconds(key: string, defaultValue?: string): number {
    const v = this.settings.get(key) ?? defaultValue;
    if (v === undefined) throw new NoSuchElementException(key);
    const ms = parseTimeMs(v, 's');
    if (ms === undefined) throw new ConfigurationError(key, v, TIME_FORMAT_HINT);
    return Math.floor(ms / 1000);
  }

  /** A size in bytes; accepts `"512b"`, `"64k"`, `"1m"`, `"1g"`; a bare number is bytes. */
  getSizeAsBytes(key: string, defaultValue?: string): number {
    const v = this.settings.get(key) ?? defaultValue;
    if (v === undefined) throw new NoSuchElementException(key);
    const n = parseBytes(v, 'b');
    if (n === undefined) throw new ConfigurationError(key, v, SIZE_FORMAT_HINT);
    return n;
  }

  /** Every pair, sorted by key. */
  getAll(): Array<[string, string]> {
    return [...this.settings.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  getAllWithPrefix(prefix: string): Array<[string, string]> {
    return this.getAll()
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]);
  }

  clone(): SparkConf {
    const c = new SparkConf(false);
    for (const [k, v] of this.settings) c.settings.set(k, v);
    return c;
  }

  toDebugString(): string {
    return this.getAll().map(([k, v]) => `${k}=${v}`).join('\n');
  }
}
