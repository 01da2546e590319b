import { ConfigurationError } from './errors';
import type { SparkConf } from './SparkConf';

/** One typed configuration key with its default, as Spark's `ConfigBuilder` entries. */
export interface ConfigEntry<T> {
  readonly key: string;
  readonly doc: string;
  /** The default as text (as Spark's docs show it), or undefined when the key has no default. */
  readonly defaultText: string | undefined;
  read(conf: SparkConf): T;
}

const registry = new Map<string, ConfigEntry<unknown>>();

function entry<T>(key: string, doc: string, defaultText: string | undefined, read: (c: SparkConf) => T): ConfigEntry<T> {
  const e: ConfigEntry<T> = { key, doc, defaultText, read };
  registry.set(key, e as ConfigEntry<unknown>);
  return e;
}

export const ConfigBuilder = {
  time(key: string, def: string, doc: string): ConfigEntry<number> {
    return entry(key, doc, def, (c) => c.getTimeAsMs(key, def));
  },
  optionalTime(key: string, doc: string): ConfigEntry<number | undefined> {
    return entry(key, doc, undefined, (c) => (c.contains(key) ? c.getTimeAsMs(key) : undefined));
  },
  seconds(key: string, def: number, doc: string): ConfigEntry<number> {
    return entry(key, doc, String(def), (c) => c.getTimeAsSeconds(key, String(def)));
  },
  int(key: string, def: number, doc: string): ConfigEntry<number> {
    return entry(key, doc, String(def), (c) => c.getInt(key, def));
  },
  long(key: string, def: number, doc: string): ConfigEntry<number> {
    return entry(key, doc, String(def), (c) => c.getLong(key, def));
  },
  optionalLong(key: string, doc: string): ConfigEntry<number | undefined> {
    return entry(key, doc, undefined, (c) => (c.contains(key) ? c.getLong(key, 0) : undefined));
  },
  double(key: string, def: number, doc: string): ConfigEntry<number> {
    return entry(key, doc, String(def), (c) => c.getDouble(key, def));
  },
  optionalDouble(key: string, doc: string): ConfigEntry<number | undefined> {
    return entry(key, doc, undefined, (c) => (c.contains(key) ? c.getDouble(key, 0) : undefined));
  },
  boolean(key: string, def: boolean, doc: string): ConfigEntry<boolean> {
    return entry(key, doc, String(def), (c) => c.getBoolean(key, def));
  },
  /** A boolean whose default depends on other settings (the reader decides when it is unset). */
  optionalBoolean(key: string, doc: string): ConfigEntry<boolean | undefined> {
    return entry(key, doc, undefined, (c) => (c.contains(key) ? c.getBoolean(key, false) : undefined));
  },
  bytes(key: string, def: string, doc: string): ConfigEntry<number> {
    return entry(key, doc, def, (c) => c.getSizeAsBytes(key, def));
  },
  string(key: string, def: string, doc: string): ConfigEntry<string> {
    return entry(key, doc, def, (c) => c.get(key, def));
  },
  optionalString(key: string, doc: string): ConfigEntry<string | undefined> {
    return entry(key, doc, undefined, (c) => c.getOption(key));
  },
  /** A key whose value is one of `choices` (case-insensitive). */
  choice<T extends string>(key: string, def: T, choices: readonly T[], doc: string): ConfigEntry<T> {
    return entry(key, doc, def, (c) => {
      const v = c.get(key, def).trim();
      const found = choices.find((x) => x.toLowerCase() === v.toLowerCase());
      if (found === undefined) {
        throw new ConfigurationError(key, v, `one of ${choices.join(', ')}`);
      }
      return found;
    });
  },
};

/** Every registered entry (for docs, `dstreams inspect` and the unknown-key check). */
export function configEntries(): ReadonlyMap<string, ConfigEntry<unknown>> {
  return registry;
}

/** Whether `key` is a key dstreams knows. */
export function isKnownKey(key: string): boolean {
  return registry.has(key);
}
