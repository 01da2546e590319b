from fidelity_kit import program


@program
def floats_repr(c):
    c.stream().pprint()


@program
def float_arithmetic(c):
    s = c.stream()
    s.map(lambda x: x / 3).pprint()
    s.map(lambda x: x * 1e-6).pprint()
    s.map(lambda x: 0.1).reduce(lambda a, b: a + b).pprint()


@program
def long_values(c):
    c.stream().map(lambda x: (x, x * 2)).pprint()


@program
def bigint_values(c):
    c.stream().map(lambda x: (x, x * x)).pprint()


@program
def booleans_none(c):
    c.stream().pprint()


@program
def tuples_nested(c):
    c.stream().pprint()


@program
def dicts(c):
    c.stream().pprint()


@program
def unicode_text(c):
    c.stream().pprint()


@program
def unicode_escapes(c):
    c.stream().pprint()


@program
def string_quotes(c):
    c.stream().pprint()


@program
def control_chars(c):
    c.stream().pprint()


@program
def lone_surrogates(c):
    c.stream().pprint()


@program
def top_level_strings(c):
    c.stream().pprint()
