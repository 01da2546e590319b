from fidelity_kit import program


@program
def print_three(c):
    c.stream().pprint(3)


@program
def print_eleven(c):
    c.stream().pprint()


@program
def print_across_partitions(c):
    c.stream().pprint()


@program
def print_zero(c):
    c.stream().pprint(0)


@program
def foreach_rdd_lines(c):
    def show(rdd):
        xs = rdd.collect()
        print("count=%d sum=%d first=%s" % (len(xs), sum(xs), xs[0] if xs else None))

    c.stream().foreachRDD(show)


@program
def several_outputs(c):
    s = c.stream()
    s.map(lambda x: x * 10).pprint()
    s.filter(lambda x: x > 2).pprint()
