import type { KafkaBroker } from '../../scripts/kafka/KafkaBroker';

/** jest globalTeardown of the "kafka" project: stops the broker globalSetup.ts started (none when it used yours). */
export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  const broker = g.__dstreamsKafkaBroker as KafkaBroker | undefined;
  if (!broker) return;
  delete g.__dstreamsKafkaBroker;
  await broker.stop();
}
