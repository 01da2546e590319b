/** A read-only value shared with tasks: Spark's `Broadcast[T]` (one process, so it is the value itself). */
export class Broadcast<T> {
  private destroyed = false;
  constructor(readonly id: number, private readonly v: T) {}

  get value(): T {
    if (this.destroyed) throw new Error(`Attempted to use Broadcast(${this.id}) after it was destroyed`);
    return this.v;
  }

  unpersist(): void {}

  destroy(): void {
    this.destroyed = true;
  }

  toString(): string {
    return `Broadcast(${this.id})`;
  }
}
