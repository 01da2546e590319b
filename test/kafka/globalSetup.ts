import { startKafkaBroker } from '../../scripts/kafka/KafkaBroker';
import { KafkaToolMissingError } from '../../scripts/kafka/KafkaBrokerError';

/**
 * jest globalSetup of the "kafka" project (jest.config.js): starts ONE real broker for every kafka suite and
 * publishes its address as DSTREAMS_KAFKA_BOOTSTRAP (test workers inherit the environment). It only runs when a
 * test under test/kafka is selected, so `npx jest test/core` starts no JVM.
 * - DSTREAMS_KAFKA_BOOTSTRAP already set: use that broker (yours), start none.
 * - In CI (CI=true) any failure, a missing JDK or Maven included, fails the run here: the suite never skips.
 * - Outside CI a failure is printed with what to install, and every kafka test then fails with that message
 *   (kafkaTestEnv.kafkaBootstrap), so the other projects still run and report.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DSTREAMS_KAFKA_BOOTSTRAP) {
    process.stderr.write(`\n[kafka] using the broker at DSTREAMS_KAFKA_BOOTSTRAP=${process.env.DSTREAMS_KAFKA_BOOTSTRAP}\n`);
    return;
  }
  const progress = (m: string): void => void process.stderr.write(`\n[kafka] ${m}\n`);
  try {
    const broker = await startKafkaBroker({ onProgress: progress });
    (globalThis as Record<string, unknown>).__dstreamsKafkaBroker = broker;
    process.env.DSTREAMS_KAFKA_BOOTSTRAP = broker.bootstrap;
    const t = broker.timings;
    progress(
      `Kafka ${broker.version} broker at ${broker.bootstrap} ready in ${t.totalMs} ms ` +
        `(fetch ${t.fetchMs}, format ${t.formatMs}, JVM start ${t.startMs}); log ${broker.logFile}`,
    );
  } catch (e) {
    if (isCI()) {
      throw new Error(`CI: the Kafka suites must run, and the broker could not start: ${(e as Error).message}`, { cause: e });
    }
    const reason = e instanceof KafkaToolMissingError ? e.message : `the broker failed to start: ${(e as Error).message}`;
    process.env.DSTREAMS_KAFKA_UNAVAILABLE = reason;
    progress(`NOT AVAILABLE, the kafka suites will fail: ${reason}`);
  }
}

function isCI(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}
