/**
 * Programs of the data-view suites. `windowedWordCount`: lines -> words -> (word, 1) -> an incremental word count
 * over a 3 s window sliding by 1 s, and a running count (updateStateByKey) whose keys go when a batch has no value
 * for them; both printed. Batch k (at k * 1000 ms) reads WINDOWED_LINES[k - 1].
 */
import { Seconds, type StreamingContext } from '../../lib';
import type { ReducedWindowedDStream } from '../../lib/streaming/dstream/ReducedWindowedDStream';
import { TestInputStream } from '../streaming/harness';

export const WINDOWED_LINES = [['a b a'], ['b c'], ['a'], ['c c d'], ['d'], []];

/** The `seq` of each stream of the program (the data view's row ids). */
export interface WindowedWordCountSeqs {
  lines: number;
  words: number;
  pairs: number;
  reduced: number;
  window: number;
  state: number;
  windowPrint: number;
  statePrint: number;
}

export function windowedWordCount(ssc: StreamingContext): WindowedWordCountSeqs {
  ssc.out = { write: () => true };
  const lines = new TestInputStream(ssc, WINDOWED_LINES, 2);
  const words = lines.flatMap((l: string) => l.split(' '));
  const pairs = words.map((w: string) => [w, 1] as [string, number]);
  const windowed = pairs.reduceByKeyAndWindow(
    (a: number, b: number) => a + b,
    (a: number, b: number) => a - b,
    Seconds(3),
    Seconds(1),
  ) as ReducedWindowedDStream<string, number>;
  windowed.print();
  const counts = pairs.updateStateByKey((vs: number[], s: number | undefined) => (vs.length === 0 ? undefined : (s ?? 0) + vs.length));
  counts.print();
  const [windowPrint, statePrint] = ssc.graph.outputStreams.slice(-2).map((o) => o.seq);
  return { lines: lines.seq, words: words.seq, pairs: pairs.seq, reduced: windowed.reducedStream.seq, window: windowed.seq, state: counts.seq, windowPrint, statePrint };
}
