import { getLogger } from '../core/logging';

const log = getLogger('ShutdownHook');
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * The stand-in for the JVM shutdown hook a started StreamingContext registers in Spark: on SIGINT or SIGTERM it runs
 * `onShutdown` (the context's stop), then, unless the program listens for that signal itself, re-raises the signal
 * so the process ends as it would have without the hook.
 */
export class ShutdownHook {
  private readonly handlers = new Map<NodeJS.Signals, () => void>();

  constructor(private readonly onShutdown: (signal: NodeJS.Signals) => Promise<void>) {}

  install(): void {
    for (const sig of SIGNALS) {
      const h = (): void => void this.fire(sig);
      this.handlers.set(sig, h);
      process.once(sig, h);
    }
  }

  remove(): void {
    for (const [sig, h] of this.handlers) process.off(sig, h);
    this.handlers.clear();
  }

  private async fire(sig: NodeJS.Signals): Promise<void> {
    this.remove();
    log.info({ signal: sig }, 'Invoking stop from shutdown hook');
    try {
      await this.onShutdown(sig);
    } catch (e) {
      log.error({ err: e, signal: sig }, 'Error stopping the StreamingContext on shutdown');
    }
    if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
  }
}
