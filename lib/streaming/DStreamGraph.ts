import type { Duration } from '../core/Duration';
import { IllegalArgumentException, requireThat } from '../core/errors';
import { getLogger } from '../core/logging';
import type { Time } from '../core/Time';
import type { Job } from '../scheduler/Job';
import type { DStream } from './dstream/DStream';
import type { ForEachDStream } from './dstream/ForEachDStream';
import type { InputDStream } from './dstream/InputDStream';

const log = getLogger('DStreamGraph');

/** The input and output streams of a context and their shared times: Spark's `DStreamGraph`. */
export class DStreamGraph {
  readonly inputStreams: InputDStream<unknown>[] = [];
  readonly outputStreams: ForEachDStream<unknown>[] = [];
  zeroTime: Time | undefined;
  startTime: Time | undefined;
  batchDuration: Duration | undefined;
  rememberDuration: Duration | undefined;
  /**
   * Called once a batch's jobs are generated (so every stream's RDD for it exists) and before they run: the UI's
   * data capture taps the RDDs there. Unset unless that capture is on.
   */
  onJobsGenerated: ((time: Time, jobs: readonly Job[]) => void) | undefined;

  setBatchDuration(d: Duration): void {
    if (this.batchDuration !== undefined) throw new IllegalArgumentException(`Batch duration already set as ${this.batchDuration}. Cannot set it again.`);
    this.batchDuration = d;
  }

  /** Spark's `remember`: may be set once. */
  remember(d: Duration): void {
    if (this.rememberDuration !== undefined) {
      throw new IllegalArgumentException(`Remember duration already set as ${this.rememberDuration}. Cannot set it again.`);
    }
    this.rememberDuration = d;
  }

  addInputStream(s: InputDStream<unknown>): void {
    s.setGraph(this);
    this.inputStreams.push(s);
  }

  addOutputStream(s: ForEachDStream<unknown>): void {
    s.setGraph(this);
    this.outputStreams.push(s);
  }

  /** Input streams that run a receiver. */
  getReceiverInputStreams(): InputDStream<unknown>[] {
    return this.inputStreams.filter((s) => s.usesReceiver);
  }

  /** Every stream reachable from the outputs, parents before children, each once. */
  allStreams(): DStream<unknown>[] {
    const seen = new Set<DStream<unknown>>();
    const out: DStream<unknown>[] = [];
    const visit = (d: DStream<unknown>): void => {
      if (seen.has(d)) return;
      seen.add(d);
      for (const p of d.dependencies) visit(p);
      out.push(d);
    };
    for (const i of this.inputStreams) visit(i);
    for (const o of this.outputStreams) visit(o);
    return out.sort((a, b) => a.seq - b.seq);
  }

  /**
   * The graph in Graphviz DOT: a node per stream reachable from the inputs and outputs (labelled
   * `MappedDStream[3] map`, plus the slide when it differs from the batch), an edge from each parent to its child.
   */
  toDot(): string {
    const streams = this.allStreams();
    const inputs = new Set<DStream<unknown>>(this.inputStreams);
    const outputs = new Set<DStream<unknown>>(this.outputStreams);
    const id = (d: DStream<unknown>): string => `d${d.seq}`;
    const lines = ['digraph DStreamGraph {', '  rankdir=TB;', '  node [shape=box, fontname="Helvetica"];'];
    for (const d of streams) {
      let label = d.label;
      if (this.batchDuration !== undefined && !d.slideDuration.equals(this.batchDuration)) label += `\nslide ${d.slideDuration}`;
      const style = inputs.has(d) ? ', style=filled, fillcolor="#dbe9f6"' : outputs.has(d) ? ', style=filled, fillcolor="#f6e3db"' : '';
      lines.push(`  ${id(d)} [label="${dotEscape(label)}"${style}];`);
    }
    for (const d of streams) for (const p of d.dependencies) lines.push(`  ${id(p)} -> ${id(d)};`);
    lines.push('}');
    return lines.join('\n') + '\n';
  }

  validate(): void {
    requireThat(this.batchDuration !== undefined, 'Batch duration has not been set');
    requireThat(this.outputStreams.length > 0, 'No output operations registered, so nothing to execute');
  }

  /**
   * Initializes every stream at `time` (the zero time), applies remember durations and validates (Spark's checks,
   * e.g. a stateful stream without a checkpoint directory). Synchronous, so `ssc.start()` throws as Spark's does.
   */
  initialize(time: Time): void {
    this.zeroTime = time;
    this.startTime = time;
    for (const o of this.outputStreams) o.initialize(time);
    for (const o of this.outputStreams) o.remember(this.rememberDuration);
    for (const o of this.outputStreams) o.validateAtStart();
  }

  /** Starts the input streams (receivers connect, file streams take their first listing, ...). */
  async startInputStreams(): Promise<void> {
    await Promise.all(this.inputStreams.map((s) => s.start()));
  }

  /** `initialize(time)` then `startInputStreams()` (Spark's `DStreamGraph.start`). */
  async start(time: Time): Promise<void> {
    this.initialize(time);
    await this.startInputStreams();
  }

  /** After a restart from a checkpoint: zero time stays, start time is the restart time. */
  restart(time: Time): void {
    this.startTime = time;
  }

  async stop(): Promise<void> {
    await Promise.all(this.inputStreams.map((s) => s.stop()));
  }

  /** Calls every input stream's async preparation for `time` (e.g. fixing Kafka offsets). */
  async prepareForBatch(time: Time): Promise<void> {
    for (const s of this.inputStreams) {
      const r = s.prepareForBatch(time);
      if (r instanceof Promise) await r;
    }
  }

  /** The jobs of batch `time`, one per output stream that has an RDD, in registration order. */
  generateJobs(time: Time): Job[] {
    log.debug({ time: String(time) }, 'Generating jobs');
    const jobs: Job[] = [];
    for (const o of this.outputStreams) {
      const j = o.generateJob(time);
      if (j) jobs.push(j);
    }
    this.onJobsGenerated?.(time, jobs);
    return jobs;
  }

  clearMetadata(time: Time): void {
    for (const o of this.outputStreams) o.clearMetadata(time);
  }

  updateCheckpointData(time: Time): void {
    for (const o of this.outputStreams) o.updateCheckpointData(time);
  }

  clearCheckpointData(time: Time): void {
    for (const o of this.outputStreams) o.clearCheckpointData(time);
  }

  restoreCheckpointData(): void {
    for (const o of this.outputStreams) o.restoreCheckpointData();
  }

  /** The longest remember duration of the input streams (how far back received data may still be needed). */
  getMaxInputStreamRememberDuration(): Duration | undefined {
    let max: Duration | undefined;
    for (const s of this.inputStreams) {
      const r = s.rememberDuration;
      if (r !== undefined && (max === undefined || r.greater(max))) max = r;
    }
    return max;
  }
}

/** Escapes a DOT string literal; a real newline becomes DOT's `\n` line break. */
function dotEscape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
