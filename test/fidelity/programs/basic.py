from fidelity_kit import program


@program
def map_numbers(c):
    c.stream().map(lambda x: x * 2).pprint()


@program
def flat_map_words(c):
    c.stream().flatMap(lambda line: line.split(" ")).pprint()


@program
def filter_even(c):
    c.stream().filter(lambda x: x % 2 == 0).pprint()


@program
def glom_sizes(c):
    c.stream().glom().map(len).pprint()


@program
def glom_lists(c):
    c.stream().glom().pprint()


@program
def map_partitions_sum(c):
    c.stream().mapPartitions(lambda it: [sum(it)]).pprint()


@program
def repartition_count(c):
    c.stream().repartition(3).count().pprint()


@program
def count_per_batch(c):
    c.stream().count().pprint()


@program
def reduce_sum(c):
    c.stream().reduce(lambda a, b: a + b).pprint()


@program
def union_streams(c):
    c.stream(0).union(c.stream(1)).pprint()


@program
def transform_sort(c):
    c.stream().transform(lambda rdd: rdd.sortBy(lambda x: x)).pprint()


@program
def transform_time(c):
    c.stream().transform(lambda t, rdd: rdd.map(lambda x: (x, t.second))).pprint()


@program
def transform_with_union(c):
    c.stream(0).transformWith(lambda a, b: a.union(b).map(lambda x: x + 1), c.stream(1)).pprint()


@program
def empty_batches(c):
    c.stream().pprint()


@program
def ssc_union(c):
    c.ssc.union(c.stream(0), c.stream(1), c.stream(2)).pprint()


@program
def ssc_transform(c):
    c.ssc.transform([c.stream(0), c.stream(1)], lambda rdds: rdds[0].union(rdds[1]).map(lambda x: x * 2)).pprint()
