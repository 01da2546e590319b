/**
 * The web UI. Importing this module (the package entry does) makes every StreamingContext serve its UI while it
 * runs when `dstreams.ui.enabled` is true: `start()` binds it (on `dstreams.ui.host:dstreams.ui.port`), `stop()`
 * closes it, and `ssc.uiWebUrl` says where it is (Spark's `sc.uiWebUrl`).
 */
import { StreamingConf } from '../core/StreamingConf';
import { getLogger } from '../core/logging';
import { StreamingContext } from '../streaming/StreamingContext';
import { StreamingContextState } from '../streaming/StreamingContextState';
import { StreamingUI } from './StreamingUI';

const log = getLogger('StreamingUI');

declare module '../streaming/StreamingContext' {
  interface StreamingContext {
    /** Spark's `uiWebUrl`: `http://host:port` of the running UI, or undefined (not enabled, not started, stopped). */
    readonly uiWebUrl: string | undefined;
  }
}

const uis = new WeakMap<StreamingContext, StreamingUI>();

/** The UI of a context, while it has one (for programs and tests that want its listener or port). */
export function streamingUIOf(ssc: StreamingContext): StreamingUI | undefined {
  return uis.get(ssc);
}

const originalStart = StreamingContext.prototype.start;
const originalStop = StreamingContext.prototype.stop;

StreamingContext.prototype.start = function start(this: StreamingContext): Promise<void> {
  const wasActive = this.getState() === StreamingContextState.ACTIVE;
  // Validation errors throw here, before any UI exists.
  const started = originalStart.call(this);
  if (wasActive || uis.has(this) || this.getState() !== StreamingContextState.ACTIVE || !StreamingConf.UI_ENABLED.read(this.conf)) return started;
  const ui = new StreamingUI(this);
  uis.set(this, ui);
  // The listener goes on the bus now, in the same turn as start(): events are delivered later, so none is missed.
  ui.attach();
  const bound = ui.start();
  return Promise.all([started, bound]).then(
    () => undefined,
    async (e) => {
      await ui.stop().catch(() => undefined);
      // Spark fails the context when its UI cannot bind; a context that failed to start is already stopped.
      if (this.getState() === StreamingContextState.ACTIVE) {
        log.error({ err: e }, 'The streaming UI could not start; stopping the context');
        await originalStop.call(this).catch(() => undefined);
      }
      throw e;
    },
  );
};

StreamingContext.prototype.stop = function stop(this: StreamingContext, ...args: Parameters<StreamingContext['stop']>): Promise<void> {
  // Throws synchronously inside a listener callback, as the original does.
  const stopped = originalStop.apply(this, args);
  const ui = uis.get(this);
  if (!ui) return stopped;
  return stopped.then(
    () => ui.stop(),
    async (e) => {
      await ui.stop();
      throw e;
    },
  );
};

Object.defineProperty(StreamingContext.prototype, 'uiWebUrl', {
  configurable: true,
  get(this: StreamingContext): string | undefined {
    return uis.get(this)?.url;
  },
});

export { StreamingUI, type StreamingUIOptions } from './StreamingUI';
export { StreamingJobProgressListener, type ProgressUpdate, type RateUIData } from './StreamingJobProgressListener';
export { BatchUIData, type BlockUIData, type OutputOperationUIData } from './BatchUIData';
export {
  type StreamingStatisticsJson,
  type ReceiverJson,
  type BatchJson,
  type OutputOperationJson,
  statisticsJson,
  receiversJson,
  receiverJson,
  batchesJson,
  batchJson,
  outputOperationJson,
} from './StreamingApi';
export { graphJson, type GraphJson, type GraphNodeJson } from './GraphReport';
export { stateSizes, type StateSizeJson } from './StateReport';
export { StorageReport, type StorageJson, type WalFolderJson, type SegmentJson } from './StorageReport';
export { UIServer, type UIServerOptions, type ApiResult, CONTROL_PREFIX } from './UIServer';
export { StreamingControl, type ControlJson, type ControlRequest, TOKEN_HEADER, MAX_STEPS_PER_REQUEST } from './StreamingControl';
export { BatchDataCapture } from './capture/BatchDataCapture';
export type * from './capture/CaptureJson';
export { UIBindException } from './UIErrors';
export { resolveStaticFile, defaultStaticRoot } from './StaticFiles';
export * as UIUtils from './UIUtils';
