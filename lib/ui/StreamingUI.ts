import { getLogger } from '../core/logging';
import { ManualClock } from '../core/clock/ManualClock';
import { StreamingConf } from '../core/StreamingConf';
import type { StreamingContext } from '../streaming/StreamingContext';
import type { BatchUIData } from './BatchUIData';
import { unallocatedBlocks } from './BlockSource';
import { BatchDataCapture } from './capture/BatchDataCapture';
import type { BatchCaptureJson } from './capture/CaptureJson';
import { graphJson } from './GraphReport';
import { defaultStaticRoot } from './StaticFiles';
import { stateSizes } from './StateReport';
import { StorageReport } from './StorageReport';
import {
  batchesJson,
  batchJson,
  blocksJson,
  outputOperationJson,
  receiverJson,
  receiversJson,
  statisticsJson,
} from './StreamingApi';
import { StreamingControl } from './StreamingControl';
import { StreamingJobProgressListener, type ProgressUpdate } from './StreamingJobProgressListener';
import { type ApiResult, UIServer } from './UIServer';

const log = getLogger('StreamingUI');

export interface StreamingUIOptions {
  host?: string;
  port?: number;
  /** Default: lib/ui/static. */
  staticRoot?: string;
}

/** Event rates per stream in feed messages: the page's sparkline (the JSON endpoint has them all). */
const FEED_EVENT_RATES = 120;

const ok = (body: unknown): ApiResult => ({ status: 200, body });
const notFound = (message: string): ApiResult => ({ status: 404, message });

/**
 * The web UI of one StreamingContext: Spark's `StreamingTab` with its pages and the streaming REST API, served by
 * the process itself. A {@link StreamingJobProgressListener} keeps the batches; every listener event goes to the
 * page over the WebSocket feed; the page reads the rest (graph, storage, state, blocks) from the JSON endpoints.
 *
 * Endpoints, under `/api/v1/streaming/` (and Spark's `/api/v1/applications/<appId>/streaming/`): `statistics`,
 * `receivers`, `receivers/<streamId>`, `batches[?status=QUEUED|PROCESSING|COMPLETED]`, `batches/<batchId>`,
 * `batches/<batchId>/operations[/<outputOpId>]` as Spark's; ours: `batches/<batchId>/blocks`, `blocks`, `graph`,
 * `storage`, `state`, `context`, and the data view's `data` and `data/<batchTime>` (BatchDataCapture, when
 * `dstreams.ui.data.enabled`). `/api/v1/applications` lists the one application. The job controls
 * (StreamingControl) are POSTs under `control/`, off unless `dstreams.ui.control.enabled`.
 */
export class StreamingUI {
  readonly listener: StreamingJobProgressListener;
  readonly appId: string;
  readonly control: StreamingControl;
  /** Where the URL with the control token goes when job control is on: a warning in the log unless set (`dstreams step` prints it). */
  static announceControlUrl: ((url: string) => void) | undefined;
  private capture: BatchDataCapture | undefined;
  private unsubscribeData: (() => void) | undefined;
  private readonly server: UIServer;
  private readonly storage = new StorageReport();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(
    readonly ssc: StreamingContext,
    options: StreamingUIOptions = {},
  ) {
    this.listener = new StreamingJobProgressListener(ssc);
    this.appId = `local-${Date.now()}`;
    const host = options.host ?? StreamingConf.UI_HOST.read(ssc.conf);
    this.control = new StreamingControl(ssc, host, () => this.publishControl());
    this.server = new UIServer({
      host,
      port: options.port ?? StreamingConf.UI_PORT.read(ssc.conf),
      maxRetries: StreamingConf.PORT_MAX_RETRIES.read(ssc.conf),
      staticRoot: options.staticRoot ?? defaultStaticRoot(),
      api: (p, q) => this.api(p, q),
      onConnect: () => JSON.stringify(this.snapshot()),
      control: (r) => this.control.handle(r),
    });
  }

  /** Registers the listener (before any event of the run) without waiting for the server. */
  attach(): void {
    if (this.unsubscribe) return;
    this.ssc.addStreamingListener(this.listener);
    this.unsubscribe = this.listener.subscribe((u) => this.publish(u));
    if (BatchDataCapture.isEnabled(this.ssc)) {
      this.capture = BatchDataCapture.attach(this.ssc);
      this.unsubscribeData = this.capture.subscribe((b) => this.publishData(b));
    }
  }

  /** Registers the listener and starts serving. */
  async start(): Promise<void> {
    this.attach();
    await this.server.start();
    const url = this.controlUrl;
    if (url !== undefined && !this.stopped) {
      if (StreamingUI.announceControlUrl) StreamingUI.announceControlUrl(url);
      else log.warn({ url }, `Job control is on: ${url} (the token in it lets its holder step, pause and resume this job)`);
    }
  }

  /** The URL with this run's control token (`/?token=...`), when job control is on and the UI serves. */
  get controlUrl(): string | undefined {
    const u = this.url;
    return u !== undefined && this.control.enabled ? `${u}/?token=${this.control.token}` : undefined;
  }

  /** The data view's capture, when `dstreams.ui.data.enabled`. */
  get dataCapture(): BatchDataCapture | undefined {
    return this.capture;
  }

  /** `http://host:port` once serving. */
  get url(): string | undefined {
    return this.server.port >= 0 && !this.stopped ? this.server.url : undefined;
  }

  get port(): number {
    return this.server.port;
  }

  /** The address the server listens on, while it does. */
  get address(): string | undefined {
    return this.server.address;
  }

  /** Live-feed connections open now. */
  get numFeedClients(): number {
    return this.server.numClients;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribeData?.();
    this.capture?.detach();
    this.ssc.removeStreamingListener(this.listener);
    await this.server.stop(JSON.stringify({ type: 'stopped', context: this.contextJson() }));
    log.info('Stopped StreamingUI');
  }

  // ---- the live feed

  /** The first message of a feed connection: everything the page's live parts need. */
  snapshot(): Record<string, unknown> {
    return {
      type: 'snapshot',
      context: this.contextJson(),
      statistics: statisticsJson(this.listener),
      batches: batchesJson(this.listener),
      receivers: receiversJson(this.listener, FEED_EVENT_RATES),
    };
  }

  /**
   * One feed message per listener event, serialized once for every client. Statistics go with the events that
   * change them (not with output operations'); receivers carry their newest {@link FEED_EVENT_RATES} rates.
   */
  private publish(u: ProgressUpdate): void {
    if (this.server.numClients === 0) return;
    const l = this.listener;
    let msg: Record<string, unknown>;
    switch (u.event) {
      case 'onStreamingStarted':
        msg = { type: 'event', event: u.event, time: u.time, statistics: statisticsJson(l) };
        break;
      case 'onReceiverStarted':
      case 'onReceiverError':
      case 'onReceiverStopped':
      case 'onRateUpdate':
        msg = { type: 'event', event: u.event, receiver: receiverJson(l, u.streamId, undefined, FEED_EVENT_RATES), statistics: statisticsJson(l) };
        break;
      case 'onOutputOperationStarted':
      case 'onOutputOperationCompleted':
        msg = { type: 'event', event: u.event, batch: batchJson(l, u.batch) };
        break;
      default:
        msg = { type: 'event', event: u.event, batch: batchJson(l, u.batch), statistics: statisticsJson(l) };
        // A completed batch changes every stream's rates.
        if (u.event === 'onBatchCompleted') msg.receivers = receiversJson(l, FEED_EVENT_RATES);
    }
    this.server.broadcast(JSON.stringify(msg));
  }

  /** A batch's data view is complete: the page gets it whole (it is bounded by `dstreams.ui.data.maxRecords`). */
  private publishData(b: BatchCaptureJson): void {
    if (this.server.numClients === 0) return;
    this.server.broadcast(JSON.stringify({ type: 'data', batch: b }));
  }

  private publishControl(): void {
    if (this.server.numClients === 0) return;
    this.server.broadcast(JSON.stringify({ type: 'control', control: this.control.json() }));
  }

  // ---- JSON endpoints

  contextJson(): Record<string, unknown> {
    const ssc = this.ssc;
    return {
      appId: this.appId,
      appName: ssc.sparkContext.appName,
      master: StreamingConf.MASTER.read(ssc.conf),
      state: ssc.getState(),
      startTime: this.listener.startTime,
      batchDurationMs: this.listener.batchDuration,
      clock: ssc.clock instanceof ManualClock ? 'manual' : 'system',
      clockTime: ssc.clock.getTimeMillis(),
      checkpointDir: ssc.checkpointDir,
      retainedBatches: this.listener.batchUIDataLimit,
      receiverWriteAheadLog: StreamingConf.RECEIVER_WAL_ENABLE.read(ssc.conf),
      uiWebUrl: this.url,
      control: this.control.json(),
      data: this.capture
        ? { enabled: true, retainedBatches: this.capture.retainedBatches, maxRecords: this.capture.maxRecords }
        : { enabled: false },
    };
  }

  private api(pathname: string, query: URLSearchParams): ApiResult | undefined {
    if (pathname === '/api/v1/applications') return ok([{ id: this.appId, name: this.ssc.sparkContext.appName }]);
    let rest: string | undefined;
    const ours = '/api/v1/streaming';
    if (pathname === ours || pathname.startsWith(ours + '/')) rest = pathname.slice(ours.length);
    const spark = /^\/api\/v1\/applications\/([^/]+)\/streaming(\/.*)?$/.exec(pathname);
    if (spark) {
      if (spark[1] !== this.appId) return notFound(`no such app: ${spark[1]}`);
      rest = spark[2] ?? '';
    }
    if (rest === undefined) return undefined;
    const parts = rest.split('/').filter((s) => s !== '');
    return this.streamingApi(parts, query);
  }

  private streamingApi(parts: string[], query: URLSearchParams): ApiResult | undefined {
    const l = this.listener;
    const [head, id, sub, subId, ...extra] = parts;
    if (extra.length > 0) return undefined;
    switch (head) {
      case 'statistics':
        return id === undefined ? ok(statisticsJson(l)) : undefined;
      case 'context':
        return id === undefined ? ok(this.contextJson()) : undefined;
      case 'graph':
        return id === undefined ? ok(graphJson(this.ssc.graph)) : undefined;
      case 'state':
        return id === undefined ? ok({ streams: stateSizes(this.ssc.graph) }) : undefined;
      case 'storage':
        return id === undefined ? ok(this.storageJson()) : undefined;
      case 'blocks':
        return id === undefined ? ok(this.currentBlocks()) : undefined;
      case 'data': {
        if (sub !== undefined) return undefined;
        const c = this.capture;
        if (id === undefined) return ok(c ? c.json() : { enabled: false, rows: [], batches: [] });
        if (!/^\d+$/.test(id)) return { status: 400, message: `invalid batch time: ${id}` };
        const b = c?.batch(Number(id));
        return b ? ok(b) : notFound(c ? `no data kept for batch ${id}` : 'the data view is off (dstreams.ui.data.enabled=false)');
      }
      case 'receivers': {
        if (id === undefined) return ok(receiversJson(l));
        if (sub !== undefined) return undefined;
        const streamId = Number(id);
        if (!/^\d+$/.test(id)) return { status: 400, message: `invalid stream id: ${id}` };
        if (!l.streamIds.includes(streamId)) return notFound(`unknown receiver: ${id}`);
        return ok(receiverJson(l, streamId));
      }
      case 'batches': {
        if (id === undefined) {
          const statuses = query.getAll('status').flatMap((s) => s.split(','));
          const bad = statuses.find((s) => !['QUEUED', 'PROCESSING', 'COMPLETED'].includes(s.toUpperCase()));
          if (bad !== undefined) return { status: 400, message: `invalid status: ${bad} (one of QUEUED, PROCESSING, COMPLETED)` };
          return ok(batchesJson(l, statuses));
        }
        if (!/^\d+$/.test(id)) return { status: 400, message: `invalid batch id: ${id}` };
        const b = l.getBatchUIData(Number(id));
        if (!b) return notFound(`unknown batch: ${id}`);
        if (sub === undefined) return ok(batchJson(l, b));
        if (sub === 'blocks' && subId === undefined) return ok(blocksJson(b));
        if (sub !== 'operations') return undefined;
        const ops = [...b.outputOperations.values()].sort((x, y) => x.id - y.id);
        if (subId === undefined) return ok(ops.map(outputOperationJson));
        const op = /^\d+$/.test(subId) ? b.outputOperations.get(Number(subId)) : undefined;
        return op ? ok(outputOperationJson(op)) : notFound(`unknown output operation: ${subId} of batch ${id}`);
      }
      default:
        return undefined;
    }
  }

  private storageJson(): unknown {
    const pending = this.ssc.scheduler.getPendingTimes().map((t) => t.milliseconds).sort((a, b) => a - b);
    return this.storage.build(this.ssc.checkpointDir, pending, this.ssc.clock.getTimeMillis());
  }

  /** The batch being processed (else the newest queued, else the newest completed) with its blocks, and the blocks no batch has yet. */
  private currentBlocks(): unknown {
    const l = this.listener;
    const pick = (bs: BatchUIData[], newest: boolean): BatchUIData | undefined =>
      bs.sort((a, b) => (newest ? b.batchTime - a.batchTime : a.batchTime - b.batchTime))[0];
    const b = pick(l.runningBatches, false) ?? pick(l.waitingBatches, true) ?? l.lastCompletedBatch;
    return {
      current: b ? { ...blocksJson(b), status: l.statusOf(b), inputSize: b.numRecords } : null,
      unallocated: unallocatedBlocks(this.ssc.scheduler.receiverTracker),
    };
  }
}
