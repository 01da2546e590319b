import { type DStream, type RDD, Seconds } from '../../../lib';
import type { Twin } from '../twinKit';

type P<K, V> = [K, V];
const add = (a: number, b: number): number => a + b;
const sub = (a: number, b: number): number => a - b;
const ones = (s: DStream<string>): DStream<P<string, number>> => s.map((w) => [w, 1] as P<string, number>);
const runningCount = (values: number[], state: number | undefined): number | undefined => {
  const total = values.reduce(add, state ?? 0);
  return total > 6 ? undefined : total;
};

export const twins: Record<string, Twin> = {
  order_word_count: (c) => c.out(ones(c.stream<string>().flatMap((l) => l.split(' '))).reduceByKey(add), 200),
  order_word_count_growth: (c) => c.out(ones(c.stream<string>()).reduceByKey(add, 4), 500),
  order_hash_collisions: (c) => c.out(ones(c.stream<string>()).reduceByKey(add), 100),
  order_count_by_value: (c) => c.out(c.stream<string>().countByValue(), 200),
  // Buffers print as Scala's ArrayBuffer(...) in print() and as PySpark's mapValues(list) lists in pprint().
  order_group_by_key: (c) => c.out(c.stream<P<string, number>>().groupByKey(), 100),
  order_combine_by_key: (c) =>
    c.out(
      c
        .stream<P<string, number>>()
        .combineByKey(
          (v) => [v, 1] as P<number, number>,
          (a, v) => [a[0] + v, a[1] + 1] as P<number, number>,
          (a, b) => [a[0] + b[0], a[1] + b[1]] as P<number, number>,
        ),
      100,
    ),
  order_join: (c) => c.out(c.stream<P<string, number>>(0).join(c.stream<P<string, string>>(1)), 200),
  order_left_outer_join: (c) => c.out(c.stream<P<string, number>>(0).leftOuterJoin(c.stream<P<string, string>>(1)), 200),
  order_right_outer_join: (c) => c.out(c.stream<P<string, number>>(0).rightOuterJoin(c.stream<P<string, string>>(1)), 200),
  order_full_outer_join: (c) => c.out(c.stream<P<string, number>>(0).fullOuterJoin(c.stream<P<string, string>>(1)), 200),
  order_cogroup: (c) =>
    c.out(
      c
        .stream<P<string, number>>(0)
        .cogroup(c.stream<P<string, string>>(1))
        .mapValues(([vs, ws]) => [vs.reduce(add, 0), ws.length] as P<number, number>),
      200,
    ),
  order_distinct: (c) => c.out(c.stream<string>().transform((rdd) => rdd.distinct()), 200),
  order_distinct_3: (c) => c.out(c.stream<string>().transform((rdd) => rdd.distinct(3)), 200),
  order_int_keys: (c) => c.out(c.stream<P<number, number>>().reduceByKey(add), 400),
  order_tuple_keys: (c) =>
    c.out(
      c
        .stream<string>()
        .map((w) => [[w, w.length], 1] as P<P<string, number>, number>)
        .reduceByKey(add),
      200,
    ),
  order_unicode_keys: (c) => c.out(c.stream<string>().countByValue(), 100),
  order_float_keys: (c) => c.out(c.stream<number>().countByValue(), 100),
  order_long_keys: (c) => c.out(c.stream<bigint>().countByValue(), 100),
  order_null_keys: (c) => c.out(c.stream<P<string | null, number>>().reduceByKey(add), 100),
  order_window_words: (c) => c.out(ones(c.stream<string>()).reduceByKeyAndWindow(add, Seconds(3), Seconds(1)), 200),
  order_window_words_inverse_small: (c) => c.out(ones(c.stream<string>()).reduceByKeyAndWindow(add, sub, Seconds(3), Seconds(1)), 200),
  order_window_words_inverse_large: (c) => c.out(ones(c.stream<string>()).reduceByKeyAndWindow(add, sub, Seconds(5), Seconds(1)), 200),
  order_count_by_value_and_window_words: (c) => c.out(c.stream<string>().countByValueAndWindow(Seconds(3), Seconds(1)), 200),
  order_group_by_key_and_window_words: (c) => c.out(c.stream<P<string, number>>().groupByKeyAndWindow(Seconds(2), Seconds(1)), 200),
  order_group_by_key_and_window_long: (c) => {
    const g = c.stream<P<string, number>>().groupByKeyAndWindow(Seconds(5), Seconds(1));
    // PySpark's mapValues(tuple): a plain array prints as a tuple in pprint().
    c.out(c.flavor === 'python' ? g.mapValues((vs) => Array.from(vs)) : g, 200);
  },
  order_update_state_words: (c) => c.out(ones(c.stream<string>()).updateStateByKey(runningCount), 200),
  order_update_state_initial: (c) => {
    const initial = c.rdds<P<string, number>>(1)[0];
    c.out(
      ones(c.stream<string>(0)).updateStateByKey((vs: number[], s: number | undefined) => vs.reduce(add, s ?? 0), undefined, initial),
      200,
    );
  },
  order_transform_with_join_default: (c) =>
    c.out(
      c.stream<P<string, number>>(0).transformWith(c.stream<P<string, string>>(1), (a: RDD<P<string, number>>, b: RDD<P<string, string>>) => a.join(b)),
      200,
    ),
};
