from fidelity_kit import program


@program
def window_three_batches(c):
    c.stream().window(3, 1).pprint()


@program
def window_slide_two(c):
    c.stream().window(4, 2).pprint()


@program
def window_shorter_than_slide(c):
    c.stream().window(1, 2).pprint()


@program
def reduce_by_window(c):
    c.stream().reduceByWindow(lambda a, b: a + b, None, 3, 1).pprint()


@program
def reduce_by_window_inverse_large(c):
    c.stream().reduceByWindow(lambda a, b: a + b, lambda a, b: a - b, 5, 1).pprint()


@program
def count_by_window_small(c):
    c.stream().countByWindow(3, 1).pprint()


@program
def count_by_window_large(c):
    c.stream().countByWindow(5, 1).pprint()


@program
def reduce_by_key_and_window(c):
    c.stream().reduceByKeyAndWindow(lambda a, b: a + b, None, 3, 1).pprint()


@program
def reduce_by_key_and_window_inverse_small(c):
    c.stream().reduceByKeyAndWindow(lambda a, b: a + b, lambda a, b: a - b, 3, 1).pprint()


@program
def reduce_by_key_and_window_inverse_large(c):
    c.stream().reduceByKeyAndWindow(lambda a, b: a + b, lambda a, b: a - b, 5, 1).pprint()


@program
def reduce_by_key_and_window_filter(c):
    c.stream().reduceByKeyAndWindow(
        lambda a, b: a + b, lambda a, b: a - b, 5, 1, filterFunc=lambda kv: kv[1] != 0
    ).pprint()


@program
def count_by_value_and_window(c):
    c.stream().countByValueAndWindow(3, 1).pprint()


@program
def count_by_value_and_window_drained(c):
    c.stream().countByValueAndWindow(3, 1).pprint()


@program
def group_by_key_and_window(c):
    c.stream().groupByKeyAndWindow(3, 1).mapValues(list).pprint()
