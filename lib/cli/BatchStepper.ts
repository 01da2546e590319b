import type { ManualClock } from '../core/clock/ManualClock';
import { StreamingConf } from '../core/StreamingConf';
import type { Time } from '../core/Time';
import type { BatchInfo } from '../scheduler/BatchInfo';
import type { StreamingListener } from '../scheduler/StreamingListener';
import type { StreamingContext } from '../streaming/StreamingContext';
import { BatchDataCapture } from '../ui/capture/BatchDataCapture';
import type { BatchCaptureJson } from '../ui/capture/CaptureJson';
import { batchDataText } from '../ui/capture/DataText';

/** The block view `dstreams step` needs of a receiver tracker (receivers/ReceiverTracker has it). */
interface BlockInfoView {
  readonly blockId: { toString(): string };
  readonly numRecords: number | undefined;
}
interface TrackerWithBlocks {
  getBlocksOfBatch(batchTime: Time): Map<number, readonly BlockInfoView[]>;
}

function hasBlocks(t: unknown): t is TrackerWithBlocks {
  return typeof (t as TrackerWithBlocks | undefined)?.getBlocksOfBatch === 'function';
}

const firstLine = (s: string): string => s.split('\n', 1)[0];

const indent = (text: string, by = '  '): string =>
  text
    .split('\n')
    .map((l) => by + l)
    .join('\n');

/**
 * Teaching mode (`dstreams step`): runs a manual-clock context one batch at a time and describes each batch — its
 * time, what each input stream contributed (records, and the blocks a receiver stream was given), the RDD lineage
 * of each output operation's RDD (`toDebugString`), what each stream held (the web UI's data view as text: a line
 * per stream with its count and first elements, a window's span and what entered and left, a state's keys before
 * and after), then the output the batch printed, then `batch failed: <error>` if an output operation threw. The
 * batch's own output is held back while it runs (stdout is captured) so that the description comes first.
 */
export class BatchStepper {
  private readonly infos = new Map<number, BatchInfo>();
  private readonly listener: StreamingListener;
  private stepped = 0;
  private receiversStarted = 0;
  /** The data view (on by default with the manual clock), attached even when the web UI is off. */
  private readonly capture: BatchDataCapture | undefined;

  constructor(
    readonly ssc: StreamingContext,
    private readonly write: (text: string) => void = (t) => void process.stdout.write(t),
  ) {
    this.listener = {
      onBatchCompleted: (e) => void this.infos.set(e.batchInfo.batchTime.milliseconds, e.batchInfo),
      onReceiverStarted: () => void this.receiversStarted++,
    };
    ssc.addStreamingListener(this.listener);
    this.capture = BatchDataCapture.isEnabled(ssc) ? BatchDataCapture.attach(ssc) : undefined;
  }

  /** The DStream lineage of every output operation (printed once, before the first batch). */
  describeGraph(): string {
    const outs = this.ssc.graph.outputStreams;
    let s = `The DStream graph: ${this.ssc.graph.inputStreams.length} input stream(s), ${outs.length} output operation(s)\n`;
    outs.forEach((o, i) => (s += `output ${i + 1}:\n${indent(o.toDebugString().trimEnd())}\n`));
    return s;
  }

  /** The batch time the next step runs. */
  nextBatchTime(): Time {
    return this.ssc.scheduler.jobGenerator.nextBatchTime();
  }

  /**
   * Runs the next batch and writes its description followed by its output. With receiver streams it first waits one
   * block interval, so that records already received are cut into a block and belong to this batch.
   */
  async step(): Promise<Time> {
    const ssc = this.ssc;
    const receivers = ssc.graph.getReceiverInputStreams().length;
    const time = this.nextBatchTime();
    if (receivers > 0) {
      // Before the first batch, give the receivers (real time) to start and connect.
      const deadline = Date.now() + 5000;
      while (this.stepped === 0 && this.receiversStarted < receivers && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, StreamingConf.BLOCK_INTERVAL.read(ssc.conf)));
      // Block generators run on the context's (manual) clock: move it to just before the batch, so that what was
      // received so far is cut into blocks and reported before the batch takes its blocks.
      const clock = ssc.clock as ManualClock;
      if (clock.getTimeMillis() < time.milliseconds - 1) clock.setTime(time.milliseconds - 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const captured: string[] = [];
    const stdout = process.stdout;
    const originalWrite = stdout.write;
    stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (cb) process.nextTick(cb);
      return true;
    }) as typeof stdout.write;
    // A failing output operation makes step() reject (as awaitTermination would): show it, and go on stepping.
    let failure: unknown;
    try {
      await ssc.step(1);
    } catch (e) {
      failure = e;
    } finally {
      stdout.write = originalWrite;
    }
    this.stepped++;
    const data = await this.capture?.whenCaptured(time.milliseconds);
    const failed = failure === undefined ? '' : `batch failed: ${failure instanceof Error ? `${failure.name}: ${firstLine(failure.message)}` : String(failure)}\n`;
    this.write(this.describe(time, data) + captured.join('') + failed);
    return time;
  }

  /** The description of a batch that has run: header, input, lineage, and what each stream held. */
  describe(time: Time, data?: BatchCaptureJson): string {
    const ms = time.milliseconds;
    const info = this.infos.get(ms);
    let s = `\n=== batch ${this.stepped} at ${time} ===\n`;
    s += 'input:\n';
    const tracker = this.ssc.scheduler.receiverTracker;
    const blocks = hasBlocks(tracker) ? tracker.getBlocksOfBatch(time) : undefined;
    for (const input of this.ssc.graph.inputStreams) {
      const ii = info?.streamIdToInputInfo.get(input.id);
      const records = ii === undefined ? 'no input info' : `${ii.numRecords} record(s)`;
      s += `  [${input.id}] ${input.label}: ${records}`;
      const own = blocks?.get(input.id);
      if (own !== undefined) {
        s += ` in ${own.length} block(s)`;
        for (const b of own) s += `\n      ${b.blockId.toString()} (${b.numRecords ?? '?'} records)`;
      } else if (ii !== undefined) {
        const desc = ii.metadata.Description;
        if (typeof desc === 'string' && desc !== '') s += `\n${indent(desc.trimEnd(), '      ')}`;
      }
      s += '\n';
    }
    this.ssc.graph.outputStreams.forEach((o, i) => {
      const parent = o.dependencies[0];
      const rdd = parent?.generatedRDDs.get(ms);
      s += `lineage of output ${i + 1} (${o.label}):\n`;
      s += rdd === undefined ? '  (no RDD for this batch)\n' : indent(rdd.toDebugString().trimEnd()) + '\n';
    });
    if (info !== undefined) {
      s += `processing: ${info.processingDelay ?? '?'} ms, scheduling delay ${info.schedulingDelay ?? '?'} ms\n`;
    }
    if (data !== undefined && this.capture !== undefined) s += batchDataText(this.capture.rows(), data);
    s += 'output:\n';
    return s;
  }

  /** Detaches the listener. */
  close(): void {
    this.ssc.removeStreamingListener(this.listener);
  }
}
