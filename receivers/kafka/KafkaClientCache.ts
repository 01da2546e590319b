import { getLogger } from '../../lib/core/logging';
import { KafkaClient } from './KafkaClient';
import type { ResolvedKafkaParams } from './KafkaParams';

const log = getLogger('KafkaClientCache');

/** A client borrowed from the cache; `release()` once done with it. */
export interface KafkaClientLease {
  readonly client: KafkaClient;
  release(): void;
}

interface Entry {
  client: KafkaClient;
  connecting: Promise<void>;
  refs: number;
  idleTimer: NodeJS.Timeout | undefined;
}

/** How long an unused connection stays open for the next batch or task (with the cache on). */
const IDLE_CLOSE_MS = 1000;

/**
 * Connected clients shared by everything that reads the same cluster with the same connection settings: the direct
 * streams (which hold a lease from start to stop) and the KafkaRDD tasks (a lease per partition read). Spark's
 * executor consumer cache (`spark.streaming.kafka.consumer.cache.enabled`) plays this role; here a cached client
 * is closed once unused for a second (or at once with the cache disabled), so a finished program exits.
 */
export class KafkaClientCache {
  private static readonly entries = new Map<string, Entry>();

  static async acquire(params: ResolvedKafkaParams, cacheEnabled = true): Promise<KafkaClientLease> {
    const key = params.connectionKey;
    let entry = KafkaClientCache.entries.get(key);
    if (entry && entry.client.isClosed) entry = undefined;
    if (!entry) {
      const client = new KafkaClient(params);
      const created: Entry = { client, connecting: client.connect(), refs: 0, idleTimer: undefined };
      entry = created;
      KafkaClientCache.entries.set(key, created);
      created.connecting.catch(() => {
        if (KafkaClientCache.entries.get(key) === created) KafkaClientCache.entries.delete(key);
        void client.close();
      });
    }
    const e = entry;
    e.refs++;
    if (e.idleTimer) {
      clearTimeout(e.idleTimer);
      e.idleTimer = undefined;
    }
    try {
      await e.connecting;
    } catch (err) {
      e.refs--;
      throw err;
    }
    let released = false;
    return {
      client: e.client,
      release: () => {
        if (released) return;
        released = true;
        e.refs--;
        if (e.refs > 0) return;
        const close = (): void => {
          if (e.refs > 0) return;
          if (KafkaClientCache.entries.get(key) === e) KafkaClientCache.entries.delete(key);
          log.debug({ servers: e.client.bootstrapServers }, 'closing an unused Kafka connection');
          void e.client.close();
        };
        if (!cacheEnabled) close();
        else e.idleTimer = setTimeout(close, IDLE_CLOSE_MS);
      },
    };
  }

  /** Closes every cached connection (tests, benchmarks, shutdown hooks). */
  static async closeAll(): Promise<void> {
    const all = [...KafkaClientCache.entries.values()];
    KafkaClientCache.entries.clear();
    for (const e of all) if (e.idleTimer) clearTimeout(e.idleTimer);
    await Promise.all(all.map((e) => e.client.close()));
  }
}
