import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { KafkaToolMissingError } from './KafkaBrokerError';

/** Kafka 4.x brokers need Java 17 (`minNonClientJavaVersion` in Kafka's build); 3.9 runs on 11 but 17 is what we test. */
export const MIN_JAVA_MAJOR = 17;

const JAVA_HINT =
  'Install a JDK 17 or later (Debian/Ubuntu: `sudo apt-get install openjdk-17-jdk-headless`; macOS: `brew install openjdk@17`) ' +
  'and put `java` on PATH or set JAVA_HOME.';
const MVN_HINT =
  'Install Apache Maven 3.8 or later (Debian/Ubuntu: `sudo apt-get install maven`; macOS: `brew install maven`), ' +
  'or set DSTREAMS_MVN to its path. Maven is only needed once: the broker jars are cached afterwards.';

/** A located JDK: the `java` executable and its major version. */
export interface JavaInfo {
  readonly java: string;
  readonly major: number;
  readonly version: string;
}

/** Finds `java` ($JAVA_HOME/bin/java, else PATH) and checks it is at least Java 17; throws KafkaToolMissingError. */
export function findJava(): JavaInfo {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    const why = r.error ? `\`${java} -version\` could not run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` : `\`${java} -version\` exited with ${r.status}`;
    throw new KafkaToolMissingError('java', why, JAVA_HINT);
  }
  // `java -version` writes e.g. `openjdk version "17.0.15" 2025-04-15` (or `"1.8.0_392"` for Java 8) to stderr.
  const m = /version "([^"]+)"/.exec(`${r.stderr}${r.stdout}`);
  if (!m) throw new KafkaToolMissingError('java', `cannot read the version from \`${java} -version\``, JAVA_HINT);
  const parts = m[1].split(/[.+_-]/).map((s) => Number.parseInt(s, 10));
  const major = parts[0] === 1 ? parts[1] : parts[0];
  if (!(major >= MIN_JAVA_MAJOR)) {
    throw new KafkaToolMissingError('java', `found Java ${m[1]} at ${java}, Kafka's broker needs ${MIN_JAVA_MAJOR}+`, JAVA_HINT);
  }
  return { java, major, version: m[1] };
}

/** Finds Maven (`$DSTREAMS_MVN`, else `mvn` on PATH); throws KafkaToolMissingError. */
export function findMaven(): string {
  const mvn = process.env.DSTREAMS_MVN ?? 'mvn';
  const r = spawnSync(mvn, ['-v', '-B'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    const why = r.error ? `\`${mvn} -v\` could not run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` : `\`${mvn} -v\` exited with ${r.status}`;
    throw new KafkaToolMissingError('mvn', why, MVN_HINT);
  }
  return mvn;
}
