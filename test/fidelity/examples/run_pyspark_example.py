"""Runs one of PySpark's own streaming examples, unchanged, on Spark's ManualClock, feeding it fixed lines over a
loopback TCP socket batch by batch; what it prints goes to stdout (scripts/spark-goldens --examples keeps it).

    run_pyspark_example.py <example.py> <examples.json> <name>

The example runs in the main thread as `__main__` with argv `localhost <port>`; a driver thread waits for its
StreamingContext to start and its receiver to connect, then for each batch sends the batch's lines, gives the
receiver (on the real clock: 200 ms blocks) a second to store them, advances the clock one batch and waits for the
batch to complete, checking that it counted exactly the lines sent. Then it stops the context, which ends the
example's awaitTermination().
"""
import json
import runpy
import socket
import sys
import threading
import time
import traceback

from pyspark.streaming import StreamingContext
from pyspark.streaming.listener import StreamingListener

RECEIVE_WAIT_S = 1.0
TIMEOUT_S = 120


class Batches(StreamingListener):
    def __init__(self):
        self.records = []
        self.cv = threading.Condition()

    def onBatchCompleted(self, batchCompleted):
        with self.cv:
            self.records.append(batchCompleted.batchInfo().numRecords())
            self.cv.notify_all()

    def wait_for(self, n):
        deadline = time.time() + TIMEOUT_S
        with self.cv:
            while len(self.records) < n:
                if time.time() > deadline:
                    raise RuntimeError("batch %d did not complete" % n)
                self.cv.wait(1)
            return self.records[n - 1]


def drive(server, spec, failures):
    try:
        deadline = time.time() + TIMEOUT_S
        while StreamingContext._activeContext is None:
            if time.time() > deadline:
                raise RuntimeError("the example's StreamingContext did not start")
            time.sleep(0.05)
        ssc = StreamingContext._activeContext
        listener = Batches()
        ssc.addStreamingListener(listener)
        conn, _ = server.accept()
        clock = ssc._jssc.ssc().scheduler().clock()
        for i, lines in enumerate(spec["input"][: spec["batches"]] + [[]] * (spec["batches"] - len(spec["input"]))):
            if lines:
                conn.sendall(("".join(l + "\n" for l in lines)).encode("utf-8"))
            time.sleep(RECEIVE_WAIT_S)
            clock.advance(1000)
            got = listener.wait_for(i + 1)
            if got != len(lines):
                raise RuntimeError("batch %d counted %d records, %d were sent" % (i + 1, got, len(lines)))
        sys.stdout.flush()
        ssc.stop(True, False)
        conn.close()
    except Exception:
        failures.append(traceback.format_exc())
        StreamingContext._activeContext and StreamingContext._activeContext.stop(True, False)


def main(argv):
    example, spec_file, name = argv[1], argv[2], argv[3]
    with open(spec_file, encoding="utf-8") as f:
        specs = json.load(f)
    spec = next(e for e in specs["examples"] if e["name"] == name)
    spec["input"] = specs["inputs"][spec["input"]]
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    failures = []
    threading.Thread(target=drive, args=(server, spec, failures), daemon=True).start()
    sys.argv = [example, "localhost", str(server.getsockname()[1])] + spec.get("extraArgs", [])
    runpy.run_path(example, run_name="__main__")
    if failures:
        sys.stderr.write(failures[0])
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv)
