import type { Twin } from '../twinKit';

type P<K, V> = [K, V];

export const twins: Record<string, Twin> = {
  map_values: (c) => c.out(c.stream<P<string, number>>().mapValues((v) => v * 10)),
  flat_map_values: (c) => c.out(c.stream<P<string, string>>().flatMapValues((v) => (v ? v.split(' ') : []))),
  reduce_by_key_int_keys: (c) => c.out(c.stream<P<number, number>>().reduceByKey((a, b) => a + b)),
  reduce_by_key_words: (c) =>
    c.out(
      c
        .stream<string>()
        .flatMap((l) => l.split(' '))
        .map((w) => [w, 1] as P<string, number>)
        .reduceByKey((a, b) => a + b),
    ),
  reduce_by_key_partitions: (c) => c.out(c.stream<P<number, number>>().reduceByKey((a, b) => a + b, 4)),
  group_by_key_int_keys: (c) => c.out(c.stream<P<number, number>>().groupByKey()),
  group_by_key_words: (c) => c.out(c.stream<P<string, number>>().groupByKey()),
  combine_by_key_average: (c) =>
    c.out(
      c
        .stream<P<number, number>>()
        .combineByKey(
          (v) => [v, 1] as P<number, number>,
          (acc, v) => [acc[0] + v, acc[1] + 1] as P<number, number>,
          (a, b) => [a[0] + b[0], a[1] + b[1]] as P<number, number>,
        )
        .mapValues(([s, n]) => s / n),
    ),
  count_by_value_ints: (c) => c.out(c.stream<number>().countByValue()),
  count_by_value_words: (c) => c.out(c.stream<string>().countByValue()),
  join_int_keys: (c) => c.out(c.stream<P<number, string>>(0).join(c.stream<P<number, string>>(1))),
  join_words: (c) => c.out(c.stream<P<string, number>>(0).join(c.stream<P<string, string>>(1))),
  left_outer_join_int_keys: (c) => c.out(c.stream<P<number, string>>(0).leftOuterJoin(c.stream<P<number, string>>(1))),
  right_outer_join_int_keys: (c) => c.out(c.stream<P<number, string>>(0).rightOuterJoin(c.stream<P<number, string>>(1))),
  full_outer_join_int_keys: (c) => c.out(c.stream<P<number, string>>(0).fullOuterJoin(c.stream<P<number, string>>(1))),
  cogroup_int_keys: (c) => c.out(c.stream<P<number, string>>(0).cogroup(c.stream<P<number, string>>(1))),
  distinct_words: (c) => c.out(c.stream<string>().transform((rdd) => rdd.distinct())),
};
