/**
 * Deterministic synthetic records for demos, classes, benchmarks and fault experiments: the same seed gives the
 * same sequence. `words`: one word per line; `lines`: 1-12 words; `json`: a click event per line. Words follow a
 * skewed (Zipf-like) distribution over a fixed vocabulary, so word counts look like real text.
 */
export type RecordKind = 'words' | 'lines' | 'json';

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'be', 'da', 'fo', 'gu', 'hi', 'ja', 'po', 'ze'];
const COMMON = ['the', 'a', 'to', 'of', 'and', 'in', 'is', 'it', 'spark', 'stream', 'batch', 'data', 'word', 'count', 'time', 'window'];

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vocabulary(size: number): string[] {
  const words = [...COMMON];
  for (let i = 0; words.length < size; i++) {
    let w = '';
    let n = i;
    do {
      w += SYLLABLES[n % SYLLABLES.length];
      n = Math.floor(n / SYLLABLES.length);
    } while (n > 0);
    if (!words.includes(w)) words.push(w);
  }
  return words;
}

export class RecordGenerator {
  private readonly random: () => number;
  private readonly vocab: string[];
  private id = 0;

  constructor(readonly kind: RecordKind, seed = 42, vocabularySize = 1000) {
    this.random = prng(seed);
    this.vocab = vocabulary(vocabularySize);
  }

  private word(): string {
    // Squaring a uniform variable skews picks towards the front of the vocabulary (frequent words).
    const r = this.random();
    return this.vocab[Math.floor(r * r * this.vocab.length)];
  }

  /** The next record as one line of text (without the newline). */
  next(): string {
    this.id++;
    switch (this.kind) {
      case 'words':
        return this.word();
      case 'lines': {
        const n = 1 + Math.floor(this.random() * 12);
        let s = this.word();
        for (let i = 1; i < n; i++) s += ' ' + this.word();
        return s;
      }
      case 'json':
        return JSON.stringify({
          id: this.id,
          user: `u${Math.floor(this.random() * 100)}`,
          page: `/${this.word()}`,
          action: this.random() < 0.9 ? 'view' : 'click',
          status: this.random() < 0.95 ? 200 : 404,
        });
    }
  }

  /** The next `n` records joined with newlines, newline-terminated (one write for a whole tick). */
  nextChunk(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += this.next() + '\n';
    return s;
  }
}
