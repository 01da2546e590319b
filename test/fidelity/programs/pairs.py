from fidelity_kit import program


@program
def map_values(c):
    c.stream().mapValues(lambda v: v * 10).pprint()


@program
def flat_map_values(c):
    c.stream().flatMapValues(lambda v: v.split(" ") if v else []).pprint()


@program
def reduce_by_key_int_keys(c):
    c.stream().reduceByKey(lambda a, b: a + b).pprint()


@program
def reduce_by_key_words(c):
    c.stream().flatMap(lambda l: l.split(" ")).map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b).pprint()


@program
def reduce_by_key_partitions(c):
    c.stream().reduceByKey(lambda a, b: a + b, 4).pprint()


@program
def group_by_key_int_keys(c):
    c.stream().groupByKey().mapValues(list).pprint()


@program
def group_by_key_words(c):
    c.stream().groupByKey().mapValues(list).pprint()


@program
def combine_by_key_average(c):
    c.stream().combineByKey(
        lambda v: (v, 1), lambda acc, v: (acc[0] + v, acc[1] + 1), lambda a, b: (a[0] + b[0], a[1] + b[1])
    ).mapValues(lambda sc: sc[0] / sc[1]).pprint()


@program
def count_by_value_ints(c):
    c.stream().countByValue().pprint()


@program
def count_by_value_words(c):
    c.stream().countByValue().pprint()


@program
def join_int_keys(c):
    c.stream(0).join(c.stream(1)).pprint()


@program
def join_words(c):
    c.stream(0).join(c.stream(1)).pprint()


@program
def left_outer_join_int_keys(c):
    c.stream(0).leftOuterJoin(c.stream(1)).pprint()


@program
def right_outer_join_int_keys(c):
    c.stream(0).rightOuterJoin(c.stream(1)).pprint()


@program
def full_outer_join_int_keys(c):
    c.stream(0).fullOuterJoin(c.stream(1)).pprint()


@program
def cogroup_int_keys(c):
    c.stream(0).cogroup(c.stream(1)).mapValues(lambda vs: (list(vs[0]), list(vs[1]))).pprint()


@program
def distinct_words(c):
    c.stream().transform(lambda rdd: rdd.distinct()).pprint()
