import type { Twin } from '../twinKit';

export const twins: Record<string, Twin> = {
  queue_all_at_once: (c) => c.out(c.ssc.queueStream(c.rdds<number>(), false)),
  queue_default_rdd: (c) => c.out(c.ssc.queueStream(c.rdds<number>(0), true, c.rdds<number>(1)[0])),
  queue_drained_partitions: (c) => c.out(c.stream<number>().transform((rdd) => c.sc.makeRDD([rdd.getNumPartitions()], 1))),
  queue_drained_glom: (c) => {
    const s = c.stream<number>();
    c.out(s.glom().map((a) => a.length));
    c.out(s.mapPartitions((xs) => [xs.reduce((a, b) => a + b, 0)]));
  },
  queue_default_null: (c) => {
    const s = c.ssc.queueStream(c.rdds<number>(), true, null);
    c.out(s.count());
    c.out(s.transform((rdd) => c.sc.makeRDD([rdd.getNumPartitions()], 1)));
  },
};
