import type { BatchCaptureJson, CellJson, PartitionJson, StreamRowJson } from './CaptureJson';

/** Elements shown on a stream's line (the web page shows every one captured). */
const SHOWN = 8;
/** Keys shown under a stateful or incremental-window stream. */
const KEYS_SHOWN = 8;
/** Longest line (an element list is cut to fit). */
const WIDTH = 160;

const cut = (s: string, n: number): string => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/** The first elements (`, ` between them, ` | ` between partitions), and how many more there are. */
function elementList(parts: readonly PartitionJson[], max = SHOWN): string {
  const out: string[] = [];
  let shown = 0;
  let total = 0;
  for (const p of parts) {
    total += p.count ?? p.elements.length;
    const take = p.elements.slice(0, Math.max(0, max - shown));
    shown += take.length;
    if (take.length > 0) out.push(take.join(', '));
  }
  const more = total - shown;
  return out.join(' | ') + (more > 0 ? ` … (+${more})` : '');
}

function countText(row: StreamRowJson, c: CellJson): string {
  if (row.kind === 'output') return '';
  if (c.rdd === undefined) return '-';
  if (c.count === undefined) return '?';
  return String(c.count);
}

/** Rows as aligned columns; `right` lists the columns aligned to the right. */
function table(rows: string[][], indent: string, right: readonly number[] = []): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const cell = (x: string, i: number, last: boolean): string => (right.includes(i) ? x.padStart(widths[i]) : last ? x : x.padEnd(widths[i]));
  return rows.map((r) => indent + r.map((x, i) => cell(x, i, i === r.length - 1)).join('  ').trimEnd());
}

/** The lines under a stream: its window, state and blocks. */
function detail(c: CellJson, time: (t: number) => string, indent: string): string[] {
  const out: string[] = [];
  const w = c.window;
  if (w) {
    const span = w.times.length ? `${time(w.times[0])} .. ${time(w.times[w.times.length - 1])} (${w.times.length} batch${w.times.length === 1 ? '' : 'es'})` : 'no batch yet';
    let line = `window ${span}`;
    if (w.incremental) {
      line += `; entered ${w.entered.map(time).join(', ') || 'nothing'}: ${elementList(w.enteredData ?? []) || '-'}`;
      line += `; left ${w.left.map(time).join(', ') || 'nothing'}: ${elementList(w.leftData ?? []) || '-'}`;
    } else {
      line += `; entered ${w.entered.map(time).join(', ') || 'nothing'}; left ${w.left.map(time).join(', ') || 'nothing'}`;
    }
    out.push(indent + cut(line, WIDTH - indent.length));
    if (w.keys?.length) {
      const rows = [['key', 'previous', '- left', '+ entered', 'window']];
      for (const k of w.keys.slice(0, KEYS_SHOWN)) rows.push([k.key, k.before ?? '-', k.left.join(' '), k.entered.join(' '), k.after ?? '-']);
      out.push(...table(rows, indent));
      if (w.keys.length > KEYS_SHOWN) out.push(`${indent}(${w.keys.length - KEYS_SHOWN} more keys)`);
    }
  }
  const s = c.state;
  if (s) {
    const facts = [`${s.keysBefore ?? '?'} -> ${s.keysAfter} keys`];
    if (s.removed !== undefined) facts.push(`${s.removed} removed`);
    if (s.timedOut !== undefined) facts.push(`${s.timedOut} timed out`);
    out.push(`${indent}state ${facts.join(', ')}`);
    if (s.keys.length) {
      const rows = [['key', 'before', 'values', 'after']];
      for (const k of s.keys.slice(0, KEYS_SHOWN)) {
        rows.push([k.key, k.before ?? '-', k.values.join(' ') + (k.numValues > k.values.length ? ` (+${k.numValues - k.values.length})` : ''), k.timedOut ? 'timed out' : k.removed ? 'removed' : (k.after ?? '-')]);
      }
      out.push(...table(rows, indent));
      if (s.keys.length > KEYS_SHOWN) out.push(`${indent}(${s.keys.length - KEYS_SHOWN} more keys)`);
    }
  }
  if (c.blocks?.length) {
    const list = c.blocks.map((b) => `${b.blockId} (${b.numRecords ?? '?'}${b.fromWal ? ', from the WAL' : ''})`).join(', ');
    out.push(indent + cut(`blocks ${list}`, WIDTH - indent.length));
  }
  if (c.lostBlocks) out.push(`${indent}${c.lostBlocks} block(s) lost (neither in memory nor in a WAL)`);
  if (c.notComputed) out.push(`${indent}${c.notComputed} of ${c.partitions.length} partitions not computed by the batch`);
  return out;
}

/**
 * A batch's data view as text (`dstreams step`): one line per stream, in the page's row order, with the element
 * count and the first elements (`, ` between them, ` | ` between partitions), then under windows their span and what entered and
 * left, under stateful streams their keys before and after, under receiver streams their blocks.
 */
export function batchDataText(rows: readonly StreamRowJson[], batch: BatchCaptureJson, time: (t: number) => string = (t) => `${t} ms`): string {
  const cells = new Map(batch.cells.map((c) => [c.seq, c]));
  const lines: string[][] = [];
  const details = new Map<number, string[]>();
  const indent = '      ';
  for (const r of rows) {
    const c = cells.get(r.seq);
    if (c === undefined) continue;
    let what: string;
    if (r.kind === 'output') what = c.output ? `${c.output.name}${c.output.durationMs !== undefined ? `, ${c.output.durationMs} ms` : ''}${c.output.failure ? `, failed: ${c.output.failure}` : ''}` : 'no job';
    else if (c.rdd === undefined) what = '(no RDD at this time)';
    else what = elementList(c.partitions);
    lines.push([`[${r.seq}]`, r.label.replace(/\[\d+\] /, ' '), countText(r, c), what]);
    details.set(lines.length - 1, detail(c, time, indent));
  }
  const out = [`streams${batch.recovered ? ' (re-run from the checkpoint after a restart)' : ''}:`];
  const formatted = table(lines, '  ', [2]);
  formatted.forEach((l, i) => {
    out.push(cut(l, WIDTH));
    out.push(...(details.get(i) ?? []));
  });
  return out.join('\n') + '\n';
}
