import type { DStream } from '../streaming/dstream/DStream';
import type { InputDStream } from '../streaming/dstream/InputDStream';
import { StorageLevel } from '../storage/StorageLevel';
import type { DStreamGraph } from '../streaming/DStreamGraph';

/** One stream of the graph, for drawing. */
export interface GraphNodeJson {
  /** The stream's creation number (`MappedDStream[3]`). */
  seq: number;
  className: string;
  /** The operation that made it (`map`, `reduceByKeyAndWindow`, ...). */
  site: string;
  label: string;
  kind: 'input' | 'output' | 'transform';
  /** Longest path from an input stream: the row it is drawn in. */
  depth: number;
  slideMs: number;
  storageLevel?: string;
  checkpointMs?: number;
  rememberMs?: number;
  /** Input streams: the stream id and Spark's name (`Socket text stream [0]`), and whether a receiver feeds it. */
  inputStreamId?: number;
  name?: string;
  receiver?: boolean;
  /** Output streams: the output operation id of their jobs. */
  outputOpId?: number;
  /** Streams that keep state across batches (updateStateByKey, mapWithState, incremental windows). */
  stateful: boolean;
}

export interface GraphJson {
  batchDurationMs?: number;
  nodes: GraphNodeJson[];
  edges: Array<{ from: number; to: number }>;
  /** The same graph in Graphviz DOT (`ssc.graphToDot()`). */
  dot: string;
  /** Each output stream's lineage (`DStream.toDebugString()`). */
  debugString: string;
}

/** The DStream graph as nodes and edges (the UI draws it as SVG, rows by depth). */
export function graphJson(graph: DStreamGraph): GraphJson {
  const streams = graph.allStreams();
  const inputs = new Set<DStream<unknown>>(graph.inputStreams);
  const outputIds = new Map<DStream<unknown>, number>(graph.outputStreams.map((o, i) => [o as DStream<unknown>, i]));
  const depth = new Map<DStream<unknown>, number>();
  // allStreams() lists parents before children (creation order), so one pass gives the longest path.
  for (const d of streams) depth.set(d, d.dependencies.reduce((m, p) => Math.max(m, (depth.get(p) ?? 0) + 1), 0));
  const nodes = streams.map((d): GraphNodeJson => {
    const input = inputs.has(d) ? (d as unknown as InputDStream<unknown>) : undefined;
    const outputOpId = outputIds.get(d);
    return {
      seq: d.seq,
      className: d.className,
      site: d.creationSite,
      label: d.label,
      kind: input ? 'input' : outputOpId !== undefined ? 'output' : 'transform',
      depth: depth.get(d) ?? 0,
      slideMs: safeSlide(d),
      ...(d.storageLevel !== StorageLevel.NONE ? { storageLevel: d.storageLevel.name } : {}),
      ...(d.checkpointDuration !== undefined ? { checkpointMs: d.checkpointDuration.milliseconds } : {}),
      ...(d.rememberDuration !== undefined ? { rememberMs: d.rememberDuration.milliseconds } : {}),
      ...(input ? { inputStreamId: input.id as number, name: input.name, receiver: input.usesReceiver } : {}),
      ...(outputOpId !== undefined ? { outputOpId } : {}),
      stateful: d.mustCheckpoint,
    };
  });
  const edges: Array<{ from: number; to: number }> = [];
  for (const d of streams) for (const p of d.dependencies) edges.push({ from: p.seq, to: d.seq });
  return {
    ...(graph.batchDuration !== undefined ? { batchDurationMs: graph.batchDuration.milliseconds } : {}),
    nodes,
    edges,
    dot: graph.toDot(),
    debugString: graph.outputStreams.map((o) => o.toDebugString()).join('\n\n'),
  };
}

function safeSlide(d: DStream<unknown>): number {
  try {
    return d.slideDuration.milliseconds;
  } catch {
    return 0;
  }
}
