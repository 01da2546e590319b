// The main job (`npm start`). Until the streaming core lands it prints the plan; see README.md.
import pkg from '../package.json';

console.log(`dstreams ${pkg.version}: Spark Streaming's DStream API for Node.js.

The main job (a stateful network word count over a local socket, with the write-ahead log and
checkpoints in ./dstreams-main-job) is being built. What exists today:
  - Time, Duration, SparkConf, clocks, fault points        (npm test)
Coming next: the RDD engine, the streaming core, the WAL, receivers, checkpoints, the web UI.`);
