/**
 * The word-count benchmarks' input: `words / perLine` lines of `perLine` words drawn from `distinct` words with
 * xorshift32. The same arguments give the same lines; seed 0 is the rdd-wordcount data set.
 */
export function wordLines(words: number, distinct: number, perLine: number, seed = 0): string[] {
  const vocab: string[] = [];
  for (let i = 0; i < distinct; i++) vocab.push(`w${(i * 7919).toString(36)}`);
  let s = (0x9e3779b9 ^ (seed * 0x85ebca6b)) | 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % distinct;
  };
  const lines: string[] = [];
  for (let n = 0; n < words; n += perLine) {
    const ws: string[] = [];
    for (let j = 0; j < perLine && n + j < words; j++) ws.push(vocab[next()]);
    lines.push(ws.join(' '));
  }
  return lines;
}
