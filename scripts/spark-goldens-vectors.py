"""Writes what the goldens' Python prints for repr(float) and repr(str), for lib/core/PythonFormat.ts's test:

    python scripts/spark-goldens-vectors.py test/fidelity/vectors

python-float-repr.txt: `<bits in hex> <repr(x)>`; python-str-repr.txt: `<text as JSON> <repr(text) as JSON>`.
Run by scripts/spark-goldens.
"""
import json
import os
import random
import struct
import sys
import unicodedata


def bits(x):
    return "%x" % struct.unpack(">Q", struct.pack(">d", x))[0]


def from_bits(b):
    return struct.unpack(">d", struct.pack(">Q", b))[0]


def floats():
    special = [0.0, -0.0, 1.0, -1.5, 0.1, 0.1 + 0.2, 100.0, 1e-4, 9.99e-5, 1e-5, 1e15, 1e16, 9999999999999998.0,
               1e22, 1e23, 5e-324, 2.5e-07, 1.7976931348623157e308, 2.2250738585072014e-308, 1 / 3, 123456.789,
               4.35e-5, 12345678.9, 2.82879384806159e17, 9007199254740992.0, 0.0001, 0.001, -1e-300, 1e300]
    r = random.Random(15)
    out = list(special)
    while len(out) < 800 + len(special):
        x = from_bits(r.getrandbits(64))
        if x == x and x not in (float("inf"), float("-inf")):
            out.append(x)
    out += [float("%de%d" % (r.randint(1, 999), r.randint(-30, 30))) for _ in range(800)]
    out += [r.random() * 10 ** r.randint(-10, 20) for _ in range(400)]
    out += [float(r.getrandbits(64) >> r.randint(1, 20)) for _ in range(300)]
    out += [from_bits(r.getrandbits(52) >> r.randint(0, 50)) for _ in range(200)]
    return out


def strings():
    texts = ["", "plain", "it's", 'say "hi"', "both ' and \"", "back\\slash", "tab\there", "new\nline", "cr\rhere",
             "'", '"', "''\"", "\\'"]
    cps = list(range(0, 0x300))
    cps += list(range(0x300, 0x110000, 997))
    # Each non-printable range's edges (start - 1, start, end, end + 1), from Python's own view.
    prev = True
    for c in range(0x80, 0x110000):
        p = chr(c).isprintable()
        if p != prev:
            cps += [c - 1, c]
        prev = p
    for c in sorted(set(cps)):
        texts.append(chr(c) if c >= 0x80 else "a" + chr(c) + "'")
    return texts


def main(outdir):
    with open(os.path.join(outdir, "python-float-repr.txt"), "w", encoding="utf-8", newline="\n") as f:
        for x in floats():
            f.write("%s %s\n" % (bits(x), repr(x)))
    with open(os.path.join(outdir, "python-str-repr.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# unicodedata %s\n" % unicodedata.unidata_version)
        for t in strings():
            f.write("%s %s\n" % (json.dumps(t), json.dumps(repr(t))))


if __name__ == "__main__":
    main(sys.argv[1])
