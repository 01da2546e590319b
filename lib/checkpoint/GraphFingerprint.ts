import type { DStreamGraph } from '../streaming/DStreamGraph';

/**
 * The shape of a DStream graph, stored in every checkpoint: for each stream (in creation order) its Spark class,
 * the operation that made it, its parents and its slide. Function bodies are not part of it: they may change
 * between runs; the shape may not.
 */
export interface FingerprintNode {
  readonly seq: number;
  readonly className: string;
  readonly site: string;
  readonly parents: readonly number[];
  readonly slideMs: number;
  readonly output: boolean;
}

export function graphFingerprint(graph: DStreamGraph): FingerprintNode[] {
  const outputs = new Set<unknown>(graph.outputStreams);
  return graph.allStreams().map((d) => ({
    seq: d.seq,
    className: d.className,
    site: d.creationSite,
    parents: d.dependencies.map((p) => p.seq),
    slideMs: d.slideDuration.milliseconds,
    output: outputs.has(d),
  }));
}

function describe(n: FingerprintNode): string {
  return `${n.className}[${n.seq}] (${n.site}${n.parents.length ? ` of ${n.parents.join(', ')}` : ''}, slide ${n.slideMs} ms)`;
}

/** The first difference between two fingerprints, as text, or undefined when they match. */
export function firstDifference(saved: readonly FingerprintNode[], current: readonly FingerprintNode[]): string | undefined {
  const n = Math.max(saved.length, current.length);
  for (let i = 0; i < n; i++) {
    const a = saved[i];
    const b = current[i];
    if (!a) return `the program defines an extra stream ${describe(b)} that the checkpoint does not have`;
    if (!b) return `the checkpoint has a stream ${describe(a)} that the program no longer defines`;
    if (a.className !== b.className || a.site !== b.site || a.slideMs !== b.slideMs || a.output !== b.output || a.parents.join() !== b.parents.join()) {
      return `stream ${i}: the checkpoint has ${describe(a)}, the program defines ${describe(b)}`;
    }
  }
  return undefined;
}
