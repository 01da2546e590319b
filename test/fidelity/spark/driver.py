"""Runs the PySpark fidelity programs in one SparkContext and writes what they printed to test/fidelity/goldens/.

Started by scripts/spark-goldens (which sets TZ=UTC, PYTHONHASHSEED=0 and PYTHONPATH); not meant to be run alone.
Each program gets its own StreamingContext on Spark's ManualClock: the driver advances the clock one batch at a
time and waits for the batch to complete, so the output is the same on every run.

    driver.py <programs dir> <goldens dir> [name,name,...]
"""
import glob
import importlib
import io
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from contextlib import redirect_stdout

from pyspark import SparkConf, SparkContext
from pyspark.streaming import StreamingContext
from pyspark.streaming.listener import StreamingListener

import fidelity_kit

BATCH_TIMEOUT_S = 120


class BatchWaiter(StreamingListener):
    """Counts completed batches and remembers failed output operations."""

    def __init__(self):
        self.completed = 0
        self.failures = []
        self.cv = threading.Condition()

    def onBatchCompleted(self, batchCompleted):
        # The Java API's view of the event (JavaBatchInfo): failureReason is a string or None.
        ops = batchCompleted.batchInfo().outputOperationInfos()
        for k in ops.keySet():
            reason = ops.get(k).failureReason()
            if reason is not None:
                self.failures.append(reason)
        with self.cv:
            self.completed += 1
            self.cv.notify_all()

    def wait_for(self, n):
        deadline = time.time() + BATCH_TIMEOUT_S
        with self.cv:
            while self.completed < n:
                left = deadline - time.time()
                if left <= 0:
                    raise RuntimeError("batch %d did not complete within %d s" % (n, BATCH_TIMEOUT_S))
                self.cv.wait(left)


def load_specs(programs_dir):
    specs = {}
    for path in sorted(glob.glob(os.path.join(programs_dir, "*.json"))):
        with open(path, encoding="utf-8") as f:
            for spec in json.load(f)["programs"]:
                if spec["name"] in specs:
                    raise ValueError("program %s is defined twice" % spec["name"])
                spec["topic"] = os.path.splitext(os.path.basename(path))[0]
                specs[spec["name"]] = spec
    return specs


def run_program(sc, spec, fn):
    batch_ms = spec.get("batchMs", 1000)
    ssc = StreamingContext(sc, batch_ms / 1000.0)
    cp = None
    if spec.get("checkpoint"):
        cp = tempfile.mkdtemp(prefix="fidelity-cp-")
        ssc.checkpoint(cp)
    out = io.StringIO()
    waiter = BatchWaiter()
    try:
        with redirect_stdout(out):
            fn(fidelity_kit.Ctx(ssc, sc, spec))
            # Every batch gets a job, so every batch posts onBatchCompleted (Spark posts none for a batch without
            # jobs, e.g. a window stream between slides).
            ssc.queueStream([sc.parallelize([], 1)]).foreachRDD(lambda t, rdd: None)
            ssc.addStreamingListener(waiter)
            ssc.start()
            clock = ssc._jssc.ssc().scheduler().clock()
            for i in range(spec["batches"]):
                clock.advance(batch_ms)
                waiter.wait_for(i + 1)
    finally:
        ssc.stop(False, False)
        if cp:
            shutil.rmtree(cp, ignore_errors=True)
    if waiter.failures:
        raise RuntimeError("output operation failed:\n" + "\n".join(waiter.failures))
    return out.getvalue()


def main(argv):
    programs_dir, goldens_dir = argv[1], argv[2]
    only = set(argv[3].split(",")) if len(argv) > 3 and argv[3] else None
    specs = load_specs(programs_dir)
    for path in sorted(glob.glob(os.path.join(programs_dir, "*.py"))):
        importlib.import_module(os.path.splitext(os.path.basename(path))[0])
    wanted = [s for s in specs.values() if "python" in s.get("flavors", ["python", "scala"])]
    if only is not None:
        wanted = [s for s in wanted if s["name"] in only]
    missing = [s["name"] for s in wanted if s["name"] not in fidelity_kit.PROGRAMS]
    if missing:
        raise SystemExit("no PySpark program for: " + ", ".join(missing))
    conf = (
        SparkConf()
        .setMaster("local[2]")
        .setAppName("dstreams-fidelity")
        .set("spark.streaming.clock", "org.apache.spark.util.ManualClock")
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
    )
    sc = SparkContext(conf=conf)
    sc.setLogLevel("WARN")
    failed = []
    started = time.time()
    for spec in wanted:
        t0 = time.time()
        try:
            text = run_program(sc, spec, fidelity_kit.PROGRAMS[spec["name"]])
        except Exception:
            failed.append(spec["name"])
            sys.stderr.write("spark-goldens: python %s FAILED\n%s\n" % (spec["name"], traceback.format_exc()))
            continue
        with open(os.path.join(goldens_dir, spec["name"] + ".python.txt"), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        sys.stderr.write("spark-goldens: python %s (%.1f s)\n" % (spec["name"], time.time() - t0))
    sc.stop()
    sys.stderr.write("spark-goldens: python: %d programs in %.1f s\n" % (len(wanted), time.time() - started))
    if failed:
        raise SystemExit("python programs failed: " + ", ".join(failed))


if __name__ == "__main__":
    main(sys.argv)
