from fidelity_kit import program


@program
def queue_all_at_once(c):
    c.stream(0, oneAtATime=False).pprint()


@program
def queue_default_rdd(c):
    c.stream(0, default=c.rdds(1)[0]).pprint()


@program
def queue_drained_partitions(c):
    sc = c.sc
    c.stream().transform(lambda rdd: sc.parallelize([rdd.getNumPartitions()], 1)).pprint()


@program
def queue_drained_glom(c):
    s = c.stream()
    s.glom().map(len).pprint()
    s.mapPartitions(lambda it: [sum(it)]).pprint()
