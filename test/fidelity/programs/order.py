from fidelity_kit import program


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def words_to_pairs(s):
    return s.map(lambda w: (w, 1))


@program
def order_word_count(c):
    c.stream().flatMap(lambda l: l.split(" ")).map(lambda w: (w, 1)).reduceByKey(add).pprint(200)


@program
def order_word_count_growth(c):
    words_to_pairs(c.stream()).reduceByKey(add, 4).pprint(500)


@program
def order_hash_collisions(c):
    words_to_pairs(c.stream()).reduceByKey(add).pprint(100)


@program
def order_count_by_value(c):
    c.stream().countByValue().pprint(200)


@program
def order_group_by_key(c):
    c.stream().groupByKey().mapValues(list).pprint(100)


@program
def order_combine_by_key(c):
    c.stream().combineByKey(lambda v: (v, 1), lambda a, v: (a[0] + v, a[1] + 1), lambda a, b: (a[0] + b[0], a[1] + b[1])).pprint(100)


@program
def order_join(c):
    c.stream(0).join(c.stream(1)).pprint(200)


@program
def order_left_outer_join(c):
    c.stream(0).leftOuterJoin(c.stream(1)).pprint(200)


@program
def order_right_outer_join(c):
    c.stream(0).rightOuterJoin(c.stream(1)).pprint(200)


@program
def order_full_outer_join(c):
    c.stream(0).fullOuterJoin(c.stream(1)).pprint(200)


@program
def order_cogroup(c):
    c.stream(0).cogroup(c.stream(1)).mapValues(lambda vw: (sum(vw[0]), len(list(vw[1])))).pprint(200)


@program
def order_distinct(c):
    c.stream().transform(lambda rdd: rdd.distinct()).pprint(200)


@program
def order_distinct_3(c):
    c.stream().transform(lambda rdd: rdd.distinct(3)).pprint(200)


@program
def order_int_keys(c):
    c.stream().reduceByKey(add).pprint(400)


@program
def order_tuple_keys(c):
    c.stream().map(lambda w: ((w, len(w)), 1)).reduceByKey(add).pprint(200)


@program
def order_unicode_keys(c):
    c.stream().countByValue().pprint(100)


@program
def order_float_keys(c):
    c.stream().countByValue().pprint(100)


@program
def order_long_keys(c):
    c.stream().countByValue().pprint(100)


@program
def order_null_keys(c):
    c.stream().reduceByKey(add).pprint(100)


@program
def order_window_words(c):
    words_to_pairs(c.stream()).reduceByKeyAndWindow(add, None, 3, 1).pprint(200)


@program
def order_window_words_inverse_small(c):
    words_to_pairs(c.stream()).reduceByKeyAndWindow(add, sub, 3, 1).pprint(200)


@program
def order_window_words_inverse_large(c):
    words_to_pairs(c.stream()).reduceByKeyAndWindow(add, sub, 5, 1).pprint(200)


@program
def order_count_by_value_and_window_words(c):
    c.stream().countByValueAndWindow(3, 1).pprint(200)


@program
def order_group_by_key_and_window_words(c):
    c.stream().groupByKeyAndWindow(2, 1).mapValues(list).pprint(200)


@program
def order_group_by_key_and_window_long(c):
    c.stream().groupByKeyAndWindow(5, 1).mapValues(tuple).pprint(200)


def running_count(values, state):
    total = (state or 0) + sum(values)
    return None if total > 6 else total


@program
def order_update_state_words(c):
    words_to_pairs(c.stream()).updateStateByKey(running_count).pprint(200)


@program
def order_update_state_initial(c):
    initial = c.rdds(1)[0]
    words_to_pairs(c.stream(0)).updateStateByKey(lambda vs, s: (s or 0) + sum(vs), initialRDD=initial).pprint(200)


@program
def order_transform_with_join_default(c):
    c.stream(0).transformWith(lambda a, b: a.join(b), c.stream(1)).pprint(200)
