/**
 * Teaching views of the DStream graph: `dstream.toDebugString()` (the lineage) and `ssc.graphToDot()` (Graphviz).
 */
import { Seconds, type StreamingContext } from '../../lib';
import { createManualContext, stopAllContexts } from './harness';

afterEach(stopAllContexts);

function wordCountGraph(ssc: StreamingContext) {
  const lines = ssc.queueStream<string>([]);
  const counts = lines
    .flatMap((l) => l.split(' '))
    .map((w) => [w, 1] as [string, number])
    .reduceByKey((a, b) => a + b);
  counts.print();
  const both = lines.union(lines.map((x) => x + '!')).cache();
  both.foreachRDD(() => undefined);
  return { lines, counts, both };
}

test('toDebugString shows the lineage with slide, storage level and (once started) remember duration', async () => {
  const ssc = createManualContext();
  const { counts, both } = wordCountGraph(ssc);
  expect(counts.toDebugString()).toBe(
    [
      'ShuffledDStream[3] reduceByKey [slide 1000 ms]',
      ' +- MappedDStream[2] map [slide 1000 ms]',
      '     +- FlatMappedDStream[1] flatMap [slide 1000 ms]',
      '         +- QueueInputDStream[0] queueStream [slide 1000 ms]',
    ].join('\n'),
  );
  expect(both.toDebugString()).toBe(
    [
      'UnionDStream[6] union [slide 1000 ms, MEMORY_ONLY_SER]',
      ' +- QueueInputDStream[0] queueStream [slide 1000 ms]',
      ' +- MappedDStream[5] map [slide 1000 ms]',
      '     +- QueueInputDStream[0] queueStream [slide 1000 ms]',
    ].join('\n'),
  );
  ssc.remember(Seconds(5));
  await ssc.start();
  expect(counts.toDebugString().split('\n')[0]).toBe('ShuffledDStream[3] reduceByKey [slide 1000 ms, remember 5000 ms]');
});

test('graphToDot draws every stream once, edges from parent to child, inputs and outputs shaded', () => {
  const ssc = createManualContext();
  wordCountGraph(ssc);
  expect(ssc.graphToDot()).toBe(
    [
      'digraph DStreamGraph {',
      '  rankdir=TB;',
      '  node [shape=box, fontname="Helvetica"];',
      '  d0 [label="QueueInputDStream[0] queueStream", style=filled, fillcolor="#dbe9f6"];',
      '  d1 [label="FlatMappedDStream[1] flatMap"];',
      '  d2 [label="MappedDStream[2] map"];',
      '  d3 [label="ShuffledDStream[3] reduceByKey"];',
      '  d4 [label="ForEachDStream[4] print", style=filled, fillcolor="#f6e3db"];',
      '  d5 [label="MappedDStream[5] map"];',
      '  d6 [label="UnionDStream[6] union"];',
      '  d7 [label="ForEachDStream[7] foreachRDD", style=filled, fillcolor="#f6e3db"];',
      '  d0 -> d1;',
      '  d1 -> d2;',
      '  d2 -> d3;',
      '  d3 -> d4;',
      '  d0 -> d5;',
      '  d0 -> d6;',
      '  d5 -> d6;',
      '  d6 -> d7;',
      '}',
      '',
    ].join('\n'),
  );
});

test('node labels name Spark\'s classes for each operation', () => {
  const ssc = createManualContext();
  const s = ssc.queueStream<number>([]);
  const pairs = s.map((x) => [x, x] as [number, number]);
  const streams = [
    s.filter(() => true),
    s.glom(),
    s.mapPartitions((xs) => xs),
    s.repartition(2),
    s.transform((r) => r),
    pairs.mapValues((v) => v),
    pairs.flatMapValues((v) => [v]),
    pairs.groupByKey(),
    pairs.combineByKey((v) => v, (c, v) => c + v, (a, b) => a + b),
    pairs.join(pairs),
  ];
  expect(streams.map((d) => d.label.replace(/\[\d+\]/, ''))).toEqual([
    'FilteredDStream filter',
    'GlommedDStream glom',
    'MapPartitionedDStream mapPartitions',
    'TransformedDStream repartition',
    'TransformedDStream transform',
    'MapValuedDStream mapValues',
    'FlatMapValuedDStream flatMapValues',
    'ShuffledDStream groupByKey',
    'ShuffledDStream combineByKey',
    'TransformedDStream join',
  ]);
});
