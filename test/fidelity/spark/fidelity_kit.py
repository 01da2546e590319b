"""The PySpark side of the fidelity programs (see test/fidelity/README.md).

A program is a function of one argument, a Ctx, registered with @program; its name is the function's name and must
have an entry of the same name in the topic's .json file (inputs, batches). It builds its streams from the Ctx and
calls pprint() (or prints from foreachRDD) like any PySpark program.
"""

PROGRAMS = {}


def program(fn):
    """Registers fn under its name."""
    if fn.__name__ in PROGRAMS:
        raise ValueError("two fidelity programs are named %s" % fn.__name__)
    PROGRAMS[fn.__name__] = fn
    return fn


def decode(v):
    """A JSON record as the Python value it stands for: arrays are tuples, tagged objects are ints/floats/lists/dicts."""
    if isinstance(v, list):
        return tuple(decode(x) for x in v)
    if isinstance(v, dict):
        if "$long" in v:
            return int(v["$long"])
        if "$bigint" in v:
            return int(v["$bigint"])
        if "$float" in v:
            return float(v["$float"])
        if "$list" in v:
            return [decode(x) for x in v["$list"]]
        if "$map" in v:
            return {decode(k): decode(x) for k, x in v["$map"]}
        raise ValueError("unknown tagged value %r" % (v,))
    return v


def decode_batch(b):
    if isinstance(b, dict) and "range" in b:
        return list(range(*b["range"]))
    return [decode(x) for x in b]


class Ctx(object):
    """What a program gets: the contexts and its inputs (input i = the i-th entry of the program's "inputs")."""

    def __init__(self, ssc, sc, spec):
        self.ssc = ssc
        self.sc = sc
        self.spec = spec
        self.flavor = "python"

    def batches(self, i=0):
        """Input i's batches as lists of records."""
        return [decode_batch(b) for b in self.spec["inputs"][i]["batches"]]

    def partitions(self, i=0):
        return self.spec["inputs"][i].get("partitions", 2)

    def rdds(self, i=0):
        """Input i's batches as RDDs of `partitions` slices each."""
        return [self.sc.parallelize(b, self.partitions(i)) for b in self.batches(i)]

    def stream(self, i=0, oneAtATime=True, default=None):
        """A queueStream of input i's RDDs."""
        return self.ssc.queueStream(self.rdds(i), oneAtATime, default)
