import type { Twin } from '../twinKit';

export const twins: Record<string, Twin> = {
  print_three: (c) => c.out(c.stream<number>(), 3),
  print_eleven: (c) => c.out(c.stream<number>()),
  print_across_partitions: (c) => c.out(c.stream<number>()),
  print_zero: (c) => c.out(c.stream<number>(), 0),
  foreach_rdd_lines: (c) =>
    c.stream<number>().foreachRDD(async (rdd) => {
      const xs = await rdd.collect();
      const none = c.flavor === 'python' ? 'None' : 'null';
      c.println(`count=${xs.length} sum=${xs.reduce((a, b) => a + b, 0)} first=${xs.length > 0 ? xs[0] : none}`);
    }),
  several_outputs: (c) => {
    const s = c.stream<number>();
    c.out(s.map((x) => x * 10));
    c.out(s.filter((x) => x > 2));
  },
};
