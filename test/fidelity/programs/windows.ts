import { Seconds } from '../../../lib';
import type { Twin } from '../twinKit';

type P<K, V> = [K, V];
const add = (a: number, b: number): number => a + b;
const sub = (a: number, b: number): number => a - b;

export const twins: Record<string, Twin> = {
  window_three_batches: (c) => c.out(c.stream<number>().window(Seconds(3), Seconds(1))),
  window_slide_two: (c) => c.out(c.stream<number>().window(Seconds(4), Seconds(2))),
  window_shorter_than_slide: (c) => c.out(c.stream<number>().window(Seconds(1), Seconds(2))),
  reduce_by_window: (c) => c.out(c.stream<number>().reduceByWindow(add, Seconds(3), Seconds(1))),
  reduce_by_window_inverse_large: (c) => c.out(c.stream<number>().reduceByWindow(add, sub, Seconds(5), Seconds(1))),
  count_by_window_small: (c) => c.out(c.stream<number>().countByWindow(Seconds(3), Seconds(1))),
  count_by_window_large: (c) => c.out(c.stream<number>().countByWindow(Seconds(5), Seconds(1))),
  reduce_by_key_and_window: (c) => c.out(c.stream<P<number, number>>().reduceByKeyAndWindow(add, Seconds(3), Seconds(1))),
  reduce_by_key_and_window_inverse_small: (c) => c.out(c.stream<P<number, number>>().reduceByKeyAndWindow(add, sub, Seconds(3), Seconds(1))),
  reduce_by_key_and_window_inverse_large: (c) => c.out(c.stream<P<number, number>>().reduceByKeyAndWindow(add, sub, Seconds(5), Seconds(1))),
  reduce_by_key_and_window_filter: (c) =>
    c.out(c.stream<P<number, number>>().reduceByKeyAndWindow(add, sub, Seconds(5), Seconds(1), undefined, (kv) => kv[1] !== 0)),
  count_by_value_and_window: (c) => c.out(c.stream<number>().countByValueAndWindow(Seconds(3), Seconds(1))),
  count_by_value_and_window_drained: (c) => c.out(c.stream<number>().countByValueAndWindow(Seconds(3), Seconds(1))),
  group_by_key_and_window: (c) => c.out(c.stream<P<number, string>>().groupByKeyAndWindow(Seconds(3), Seconds(1))),
};
