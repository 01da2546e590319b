/** A promise with its resolve/reject exposed: used where one part of the engine waits for another's event. */
export class Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;
  private done = false;

  constructor() {
    this.promise = new Promise<T>((res, rej) => {
      this.resolve = (v) => {
        this.done = true;
        res(v);
      };
      this.reject = (e) => {
        this.done = true;
        rej(e);
      };
    });
    // A deferred nobody awaits must not crash the process with an unhandled rejection.
    this.promise.catch(() => undefined);
  }

  get isDone(): boolean {
    return this.done;
  }
}
