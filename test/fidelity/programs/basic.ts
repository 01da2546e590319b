import type { RDD, Time } from '../../../lib';
import type { Twin } from '../twinKit';

export const twins: Record<string, Twin> = {
  map_numbers: (c) => c.out(c.stream<number>().map((x) => x * 2)),
  flat_map_words: (c) => c.out(c.stream<string>().flatMap((line) => line.split(' '))),
  filter_even: (c) => c.out(c.stream<number>().filter((x) => x % 2 === 0)),
  glom_sizes: (c) => c.out(c.stream<number>().glom().map((a) => a.length)),
  glom_lists: (c) => c.out(c.stream<number>().glom()),
  map_partitions_sum: (c) => c.out(c.stream<number>().mapPartitions((xs) => [xs.reduce((a, b) => a + b, 0)])),
  repartition_count: (c) => c.out(c.stream<number>().repartition(3).count()),
  count_per_batch: (c) => c.out(c.stream<number>().count()),
  reduce_sum: (c) => c.out(c.stream<number>().reduce((a, b) => a + b)),
  union_streams: (c) => c.out(c.stream<number>(0).union(c.stream<number>(1))),
  transform_sort: (c) => c.out(c.stream<number>().transform((rdd) => rdd.sortBy((x) => x))),
  transform_time: (c) => c.out(c.stream<string>().transform((rdd, t: Time) => rdd.map((x) => [x, t.milliseconds / 1000] as [string, number]))),
  transform_with_union: (c) => c.out(c.stream<number>(0).transformWith(c.stream<number>(1), (a, b) => a.union(b).map((x) => x + 1))),
  empty_batches: (c) => c.out(c.stream<number>()),
  ssc_union: (c) => c.out(c.ssc.union([c.stream<number>(0), c.stream<number>(1), c.stream<number>(2)])),
  ssc_transform: (c) =>
    c.out(c.ssc.transform([c.stream<number>(0), c.stream<number>(1)], (rdds) => (rdds[0] as RDD<number>).union(rdds[1] as RDD<number>).map((x) => x * 2))),
};
