import type { Consumer, ConsumerRunConfig } from 'kafkajs';
import { UnknownTopicException } from './KafkaExceptions';
import type { KafkaReceiverParams } from './KafkaReceiverParams';

/**
 * Connects, subscribes and runs a receiver's consumer (its first group join included). `stillWanted` is checked
 * after each step: a receiver stopped meanwhile gets its consumer disconnected here, since kafkajs would otherwise
 * start fetching after a `disconnect()` that raced with `run()`. A subscribed topic that does not exist is an
 * UnknownTopicException naming it.
 */
export async function startGroupConsumer(
  consumer: Consumer,
  params: KafkaReceiverParams,
  topics: readonly string[],
  stillWanted: () => boolean,
  run: ConsumerRunConfig,
): Promise<void> {
  const abandon = async (): Promise<boolean> => {
    if (stillWanted()) return false;
    await consumer.disconnect().catch(() => undefined);
    return true;
  };
  await consumer.connect();
  if (await abandon()) return;
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: params.kafka.autoOffsetReset === 'earliest' });
  } catch (e) {
    if ((e as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') {
      const where = `the Kafka cluster at ${params.kafka.bootstrapServers.join(',')}`;
      throw new UnknownTopicException(topics, topics.length > 1 ? `(one or more of them) do not exist on ${where}` : `does not exist on ${where}`);
    }
    throw e;
  }
  if (await abandon()) return;
  await consumer.run(run);
  await abandon();
}
