// The DStream graph as SVG: one row per depth (inputs on top, outputs at the bottom), each row ordered under its
// parents (mean x of the parents, then creation order), edges as curves with arrows.
import { el } from './charts.js';

const NODE_W = 176;
const NODE_H = 40;
const GAP_X = 22;
const GAP_Y = 34;
const PAD = 10;

function ms(x) {
  if (x === undefined) return undefined;
  return x % 1000 === 0 ? `${x / 1000} s` : `${x} ms`;
}

function clip(s, n) {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Positions: {seq: {x, y}} and the drawing's size. */
export function layout(graph) {
  const rows = new Map();
  for (const n of graph.nodes) {
    if (!rows.has(n.depth)) rows.set(n.depth, []);
    rows.get(n.depth).push(n);
  }
  const parents = new Map(graph.nodes.map((n) => [n.seq, []]));
  for (const e of graph.edges) parents.get(e.to)?.push(e.from);
  const depths = [...rows.keys()].sort((a, b) => a - b);
  const widest = Math.max(1, ...[...rows.values()].map((r) => r.length));
  const width = PAD * 2 + widest * NODE_W + (widest - 1) * GAP_X;
  const pos = new Map();
  for (const d of depths) {
    const row = rows.get(d);
    const key = (n) => {
      const ps = parents.get(n.seq).filter((p) => pos.has(p));
      return ps.length ? ps.reduce((a, p) => a + pos.get(p).x, 0) / ps.length : -1;
    };
    row.sort((a, b) => key(a) - key(b) || a.seq - b.seq);
    const rowWidth = row.length * NODE_W + (row.length - 1) * GAP_X;
    const x0 = (width - rowWidth) / 2;
    row.forEach((n, i) => pos.set(n.seq, { x: x0 + i * (NODE_W + GAP_X), y: PAD + depths.indexOf(d) * (NODE_H + GAP_Y) }));
  }
  const height = PAD * 2 + depths.length * NODE_H + Math.max(0, depths.length - 1) * GAP_Y;
  return { pos, width, height };
}

/** Draws `graph` (from /api/v1/streaming/graph) into `container`. */
export function drawGraph(container, graph) {
  if (!graph.nodes.length) {
    container.textContent = 'No streams.';
    return;
  }
  const { pos, width, height } = layout(graph);
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'DStream graph', id: 'dstream-graph' });
  svg.appendChild(
    el('defs', {}, [
      el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, [
        el('path', { d: 'M 0 0 L 10 5 L 0 10 z' }),
      ]),
    ]),
  );
  for (const e of graph.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + NODE_W / 2;
    const y1 = a.y + NODE_H;
    const x2 = b.x + NODE_W / 2;
    const y2 = b.y - 1;
    const my = (y1 + y2) / 2;
    svg.appendChild(el('path', { class: 'edge', d: `M ${x1} ${y1} C ${x1} ${my}, ${x2} ${my}, ${x2} ${y2}`, 'marker-end': 'url(#arrow)' }));
  }
  for (const n of graph.nodes) {
    const p = pos.get(n.seq);
    const classes = ['node', n.kind];
    if (n.stateful) classes.push('stateful');
    const title = `${n.className}[${n.seq}]`;
    let sub = n.kind === 'input' ? n.name ?? n.site : n.site;
    if (n.kind === 'output') sub = `output op ${n.outputOpId}: ${n.site}`;
    if (graph.batchDurationMs !== undefined && n.slideMs !== graph.batchDurationMs && n.slideMs > 0) sub += ` / slide ${ms(n.slideMs)}`;
    const details = [
      n.label,
      `slide ${ms(n.slideMs)}`,
      n.storageLevel && `storage ${n.storageLevel}`,
      n.checkpointMs !== undefined && `checkpoint every ${ms(n.checkpointMs)}`,
      n.rememberMs !== undefined && `remember ${ms(n.rememberMs)}`,
      n.receiver && 'fed by a receiver',
      n.stateful && 'keeps state across batches',
    ].filter(Boolean);
    svg.appendChild(
      el('g', { class: classes.join(' '), transform: `translate(${p.x},${p.y})`, 'data-seq': n.seq }, [
        el('title', {}, [details.join('\n')]),
        el('rect', { width: NODE_W, height: NODE_H, rx: 4 }),
        el('text', { class: 'title', x: 8, y: 16 }, [clip(title, 28)]),
        el('text', { class: 'sub', x: 8, y: 31 }, [clip(sub, 32)]),
      ]),
    );
  }
  container.replaceChildren(svg);
}
