import { DStreamsError } from '../../lib/core/errors';

/** A failure of the test/user Kafka broker harness (fetching the broker, formatting, starting or stopping it). */
export class KafkaBrokerError extends DStreamsError {}

/** A program the broker needs (a JDK, Maven) is missing or too old; `hint` says what to install. */
export class KafkaToolMissingError extends KafkaBrokerError {
  constructor(
    readonly tool: 'java' | 'mvn',
    readonly reason: string,
    readonly hint: string,
  ) {
    super(`${tool === 'java' ? 'A JDK' : 'Maven'} is needed to run the Kafka broker: ${reason}. ${hint}`);
  }
}

/** The broker process failed to format, start or become ready; `logTail` holds the end of its log. */
export class KafkaBrokerStartError extends KafkaBrokerError {
  constructor(
    readonly step: 'format' | 'start' | 'ready',
    readonly dir: string,
    readonly reason: string,
    readonly logTail: string,
  ) {
    super(`Kafka broker ${step} failed (${dir}): ${reason}${logTail ? `\n--- last broker log lines ---\n${logTail}` : ''}`);
  }
}
