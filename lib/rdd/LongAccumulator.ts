/** A counter tasks add to: Spark's `LongAccumulator` (`sc.longAccumulator(name)`). */
export class LongAccumulator {
  private sumValue = 0;
  private countValue = 0;
  constructor(readonly id: number, readonly name?: string) {}

  add(v: number): void {
    this.sumValue += v;
    this.countValue += 1;
  }
  get value(): number {
    return this.sumValue;
  }
  sum(): number {
    return this.sumValue;
  }
  count(): number {
    return this.countValue;
  }
  avg(): number {
    return this.sumValue / this.countValue;
  }
  isZero(): boolean {
    return this.sumValue === 0 && this.countValue === 0;
  }
  reset(): void {
    this.sumValue = 0;
    this.countValue = 0;
  }
  toString(): string {
    return `LongAccumulator(id: ${this.id}, name: ${this.name ?? 'None'}, value: ${this.sumValue})`;
  }
}
