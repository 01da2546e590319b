import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findJava } from '../../scripts/kafka/JavaTools';
import { KafkaBrokerError, KafkaToolMissingError } from '../../scripts/kafka/KafkaBrokerError';
import { brokerPom, fetchKafka, kafkaVersion } from '../../scripts/kafka/KafkaDistribution';
import globalSetup from './globalSetup';

/**
 * What the broker needs from the machine and the policy when it is missing: a JDK 17+, Maven (only until the jars
 * are cached), and the CI rule (missing tools fail the run) vs. outside CI (a clear message, the kafka suites fail).
 * Real programs are run; a missing JDK is a JAVA_HOME that does not exist.
 */
describe('broker prerequisites and the missing-tool policy', () => {
  const saved = { ...process.env };
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dstreams-kafka-setup-'));
  });
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('finds this machine\'s JDK (17+)', () => {
    expect(findJava().major).toBeGreaterThanOrEqual(17);
  });

  it('a missing JDK says what to install', () => {
    process.env.JAVA_HOME = path.join(tmp, 'no-jdk');
    let error: unknown;
    try {
      findJava();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KafkaToolMissingError);
    expect(error).toMatchObject({ tool: 'java', message: expect.stringContaining('openjdk-17-jdk-headless') });
    expect((error as Error).message).toContain(path.join(tmp, 'no-jdk', 'bin', 'java'));
  });

  it('missing Maven (with nothing cached) says what to install', async () => {
    process.env.DSTREAMS_MVN = path.join(tmp, 'no-mvn');
    await expect(fetchKafka({ cacheDir: tmp })).rejects.toMatchObject({
      name: 'KafkaToolMissingError',
      tool: 'mvn',
      message: expect.stringContaining('apt-get install maven'),
    });
  });

  it('rejects unsupported or malformed Kafka versions', () => {
    expect(() => kafkaVersion('3.7.0')).toThrow(/Kafka 3.7.0 is not supported: use 3.9.x or 4.x/);
    expect(() => kafkaVersion('latest')).toThrow(KafkaBrokerError);
    expect(kafkaVersion('3.9.2')).toBe('3.9.2');
  });

  it('the generated POM adds the logging backend Kafka leaves out', () => {
    expect(brokerPom('4.3.1')).toContain('<artifactId>log4j-slf4j-impl</artifactId>');
    expect(brokerPom('3.9.2')).toContain('<artifactId>slf4j-reload4j</artifactId>');
    expect(brokerPom('3.9.2')).toContain('<artifactId>reload4j</artifactId><version>1.2.25</version>');
  });

  it('in CI a missing JDK fails the jest run in globalSetup', async () => {
    delete process.env.DSTREAMS_KAFKA_BOOTSTRAP;
    process.env.JAVA_HOME = path.join(tmp, 'no-jdk');
    process.env.CI = 'true';
    await expect(globalSetup()).rejects.toThrow(/CI: the Kafka suites must run.*A JDK is needed/s);
    expect(process.env.DSTREAMS_KAFKA_BOOTSTRAP).toBeUndefined();
  });

  it('outside CI a missing JDK is reported and makes the kafka suites fail with that message', async () => {
    delete process.env.DSTREAMS_KAFKA_BOOTSTRAP;
    delete process.env.CI;
    process.env.JAVA_HOME = path.join(tmp, 'no-jdk');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let printed: string;
    try {
      await globalSetup();
    } finally {
      printed = stderr.mock.calls.map((c) => String(c[0])).join('');
      stderr.mockRestore();
    }
    expect(printed).toMatch(/NOT AVAILABLE, the kafka suites will fail: A JDK is needed.*openjdk-17/);
    expect(process.env.DSTREAMS_KAFKA_UNAVAILABLE).toContain('openjdk-17-jdk-headless');
    const { kafkaBootstrap } = await import('./kafkaTestEnv');
    expect(() => kafkaBootstrap()).toThrow(/No Kafka broker for the kafka suites: A JDK is needed/);
  });
});
