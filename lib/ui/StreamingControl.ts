import * as crypto from 'node:crypto';
import type * as http from 'node:http';
import { ManualClock } from '../core/clock/ManualClock';
import { getLogger } from '../core/logging';
import { StreamingConf } from '../core/StreamingConf';
import { StreamingContextState } from '../streaming/StreamingContextState';
import type { StreamingContext } from '../streaming/StreamingContext';
import type { ApiResult } from './ApiResult';
import { isLoopback } from './Loopback';

const log = getLogger('StreamingUI');

/** The header that carries the per-run token of the control endpoints. */
export const TOKEN_HEADER = 'x-dstreams-token';

/** Most batches one "run N" request may ask for. */
export const MAX_STEPS_PER_REQUEST = 1000;

/** A POST to `/api/v1/streaming/control/<action>`. */
export interface ControlRequest {
  readonly action: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly remoteAddress: string | undefined;
}

/** What the page knows of the controls (never the token). */
export interface ControlJson {
  readonly enabled: boolean;
  /** Why the controls are off. */
  readonly reason?: string;
  readonly clock: 'manual' | 'system';
  /** System clock: job generation is held. */
  readonly paused: boolean;
  /** Batch times the timer reached while paused (generated on resume). */
  readonly heldBatches: number;
  /** Manual clock: batches asked for and not run yet. */
  readonly stepsQueued: number;
  /** A step's answer: the first error of a batch it ran whose output operation failed. */
  readonly failure?: string;
  readonly nextBatchTime?: number;
}

const refuse = (status: 401 | 403 | 409, message: string): ApiResult => ({ status, message });

/**
 * The job controls of the web UI (ours; Spark's UI can only kill jobs): on the manual clock "next batch" and "run N"
 * drive `ssc.step()`; on the system clock "pause" and "resume" hold and release job generation
 * (JobGenerator.pause). Off unless `dstreams.ui.control.enabled` (`dstreams step` turns it on); even then they answer
 * only when the UI is bound to a loopback address, the client is on loopback, the request is same-origin, and it
 * carries this run's random token in the `X-DStreams-Token` header (the token is printed with the UI's URL,
 * `?token=...`). Every other request is refused with a status and a one-line reason.
 */
export class StreamingControl {
  readonly token = crypto.randomBytes(18).toString('base64url');
  readonly disabledReason: string | undefined;
  private stepDriver: (n: number) => Promise<void>;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    readonly ssc: StreamingContext,
    host: string,
    private readonly onChange: () => void = () => undefined,
  ) {
    if (!StreamingConf.UI_CONTROL_ENABLED.read(ssc.conf)) {
      this.disabledReason = 'job control is off: set dstreams.ui.control.enabled=true (dstreams step turns it on)';
    } else if (!isLoopback(host)) {
      this.disabledReason = `job control needs the UI bound to a loopback address, and dstreams.ui.host is ${host}`;
      log.warn(`dstreams.ui.control.enabled is ignored: ${this.disabledReason}`);
    }
    this.stepDriver = (n) => ssc.step(n);
  }

  get enabled(): boolean {
    return this.disabledReason === undefined;
  }

  get isManualClock(): boolean {
    return this.ssc.clock instanceof ManualClock;
  }

  /** Who runs a batch for "next batch": `ssc.step(n)` by default; `dstreams step` puts its BatchStepper here. */
  setStepDriver(driver: (n: number) => Promise<void>): void {
    this.stepDriver = driver;
  }

  json(): ControlJson {
    const gen = this.ssc.scheduler.jobGenerator;
    const active = this.ssc.getState() === StreamingContextState.ACTIVE;
    return {
      enabled: this.enabled,
      ...(this.disabledReason !== undefined ? { reason: this.disabledReason } : {}),
      clock: this.isManualClock ? 'manual' : 'system',
      paused: gen.isPaused,
      heldBatches: gen.heldBatchTimes.length,
      stepsQueued: this.queued,
      ...(active && this.isManualClock ? { nextBatchTime: gen.nextBatchTime().milliseconds } : {}),
    };
  }

  /** Checks a request, then runs its action. */
  async handle(req: ControlRequest): Promise<ApiResult> {
    const refused = this.check(req);
    if (refused) {
      log.warn({ action: req.action, remoteAddress: req.remoteAddress, status: refused.status }, `Refused a job control request: ${(refused as { message: string }).message}`);
      return refused;
    }
    switch (req.action) {
      case 'step':
        return this.step(req.query);
      case 'pause':
      case 'resume':
        return this.pauseOrResume(req.action);
      default:
        return { status: 404, message: `no such control: ${req.action} (one of step, pause, resume)` };
    }
  }

  private check(req: ControlRequest): ApiResult | undefined {
    if (this.disabledReason !== undefined) return refuse(403, this.disabledReason);
    if (!isLoopback(req.remoteAddress)) return refuse(403, 'job control answers loopback clients only');
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let same = false;
      try {
        same = new URL(origin).host === req.headers.host;
      } catch {
        same = false;
      }
      if (!same) return refuse(403, `job control refuses cross-origin requests (Origin ${origin})`);
    }
    const sent = req.headers[TOKEN_HEADER];
    if (typeof sent !== 'string' || sent === '') return refuse(401, 'missing token: send the X-DStreams-Token header (the token printed with the UI URL)');
    const a = Buffer.from(sent);
    const b = Buffer.from(this.token);
    if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return refuse(401, 'wrong token');
    if (this.ssc.getState() !== StreamingContextState.ACTIVE) return refuse(409, `the streaming context is ${this.ssc.getState()}`);
    return undefined;
  }

  private async step(query: URLSearchParams): Promise<ApiResult> {
    if (!this.isManualClock) return refuse(409, 'next batch needs the manual clock (spark.streaming.clock=manual); on the system clock use pause and resume');
    const raw = query.get('n') ?? '1';
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < 1 || n > MAX_STEPS_PER_REQUEST) return { status: 400, message: `n must be a whole number from 1 to ${MAX_STEPS_PER_REQUEST}, got ${raw}` };
    this.queued += n;
    this.onChange();
    // One request after another: the batches of two requests never interleave.
    // A batch whose output operation failed still ran (step() rejects with the error): the answer names the first.
    let failure: string | undefined;
    const run = this.queue.then(async () => {
      let left = n;
      try {
        while (left > 0 && this.ssc.getState() === StreamingContextState.ACTIVE) {
          try {
            await this.stepDriver(1);
          } catch (e) {
            failure ??= e instanceof Error ? `${e.name}: ${e.message.split('\n', 1)[0]}` : String(e);
          }
          left--;
          this.queued--;
          this.onChange();
        }
      } finally {
        this.queued -= left;
      }
    });
    this.queue = run.catch(() => undefined);
    await run;
    return { status: 200, body: { ...this.json(), ...(failure !== undefined ? { failure } : {}) } };
  }

  private pauseOrResume(action: 'pause' | 'resume'): ApiResult {
    if (this.isManualClock) return refuse(409, `${action} holds job generation on the system clock; on the manual clock nothing runs until the next step`);
    const gen = this.ssc.scheduler.jobGenerator;
    if (action === 'pause') gen.pause();
    else gen.resume();
    log.info(`Job generation ${action === 'pause' ? 'paused' : 'resumed'} from the UI`);
    this.onChange();
    return { status: 200, body: this.json() };
  }
}
