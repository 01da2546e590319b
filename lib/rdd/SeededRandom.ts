/**
 * The random numbers of `sample` and of RangePartitioner's sampling: xoshiro128** seeded from a seed and a stream
 * number (the partition index), so a given seed draws the same elements of a given partition on every run and every
 * retry. Spark uses `XORShiftRandom` seeded per partition; the draws are not Spark's, only as deterministic.
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number, stream = 0) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) | 0;
    let x = fmix32(lo ^ fmix32(hi ^ fmix32((stream + 0x632be5ab) | 0)));
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      return fmix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in `[0, 1)` with 53 random bits. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A uniform integer in `[0, bound)`. */
  nextInt(bound: number): number {
    return Math.floor(this.nextDouble() * bound);
  }

  /** A Poisson-distributed count with the given mean (Knuth's method, in chunks so large means do not underflow). */
  nextPoisson(mean: number): number {
    let k = 0;
    let left = mean;
    while (left > 0) {
      const m = Math.min(left, 30);
      left -= m;
      const limit = Math.exp(-m);
      let p = this.nextDouble();
      while (p > limit) {
        k++;
        p *= this.nextDouble();
      }
    }
    return k;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** MurmurHash3's finalizer: spreads the bits of a 32-bit value. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A random seed when the caller gives none (Spark: `Utils.random.nextLong`). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 52);
}
