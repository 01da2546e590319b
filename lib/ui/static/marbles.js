// The data view ("marbles"): one row per DStream of the graph (inputs on top, outputs at the bottom, each stream
// after its parents), one column per retained batch. A cell is what the stream's RDD held at that batch: its count
// and first elements; a window's span of batches and, incremental, what entered and what left; a stateful stream's
// keys before and after; a receiver stream's blocks. Click a cell for everything captured, per partition.
// The job controls (next batch, run N, pause, resume) post to /api/v1/streaming/control/ with this run's token,
// which comes in the page's URL (`?token=...`, printed when the UI started).
/* global location, fetch, URLSearchParams */
import { $, h } from './dom.js';
import { formatBatchTime, formatBytes, formatDuration, formatNumber } from './format.js';

const API = '/api/v1/streaming';
/** Elements shown in a cell (the detail shows all captured). */
const SHOWN = 4;
/** Keys shown in a stateful cell. */
const KEYS_SHOWN = 6;

export function createMarbles({ getJson }) {
  const m = {
    context: undefined,
    rows: [],
    batches: new Map(),
    retained: 20,
    maxRecords: 20,
    selected: undefined, // { seq, time } clicked by the user
    control: undefined,
    busy: false,
    status: '',
  };
  const token = new URLSearchParams(location.search).get('token') ?? '';

  const manual = () => m.context?.clock === 'manual';
  const bd = () => m.context?.batchDurationMs ?? 1000;
  /** A batch time as print() shows it on the manual clock (`4000 ms`), else the time of day. */
  const timeText = (t) => (manual() ? `${t} ms` : formatBatchTime(t, bd(), false));
  const rowBySeq = () => new Map(m.rows.map((r) => [r.seq, r]));

  function setContext(ctx) {
    m.context = ctx;
    if (ctx.control) m.control = ctx.control;
    const d = ctx.data ?? { enabled: false };
    $('#marbles').hidden = !d.enabled && !(m.control && m.control.enabled);
    if (d.enabled) {
      m.retained = d.retainedBatches;
      m.maxRecords = d.maxRecords;
    }
  }

  async function load() {
    if (!m.context?.data?.enabled) return render();
    const d = await getJson('/data');
    m.rows = d.rows;
    for (const b of d.batches) m.batches.set(b.time, b);
    trim();
    render();
  }

  function trim() {
    const times = [...m.batches.keys()].sort((a, b) => a - b);
    for (const t of times.slice(0, Math.max(0, times.length - m.retained))) m.batches.delete(t);
  }

  function addBatch(b) {
    m.batches.set(b.time, b);
    trim();
    if (m.rows.length === 0) load().catch(() => undefined);
    else render();
  }

  function setControl(c) {
    m.control = c;
    renderControls();
  }

  // ---- controls

  async function post(action, n) {
    m.busy = true;
    m.status = action === 'step' ? `running ${n} batch${n === 1 ? '' : 'es'}...` : `${action}...`;
    renderControls();
    try {
      const r = await fetch(`${API}/control/${action}${n !== undefined ? `?n=${n}` : ''}`, { method: 'POST', headers: { 'X-DStreams-Token': token }, cache: 'no-store' });
      if (!r.ok) {
        m.status = `refused (HTTP ${r.status}): ${(await r.text()).trim()}`;
      } else {
        m.control = await r.json();
        m.status = action === 'step' ? `ran ${n} batch${n === 1 ? '' : 'es'}` : action === 'pause' ? 'job generation paused' : 'job generation resumed';
        if (m.control.failure) m.status += `; a batch failed: ${m.control.failure}`;
      }
    } catch (e) {
      m.status = `request failed: ${e.message}`;
    } finally {
      m.busy = false;
      renderControls();
    }
  }

  function renderControls() {
    const box = $('#controls');
    const c = m.control;
    if (!c || !c.enabled) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    const parts = [];
    if (!token) {
      parts.push(h('span', { class: 'muted', text: 'Job control is on: open the URL printed when the UI started (it carries the token) to step or pause from here.' }));
    } else if (c.clock === 'manual') {
      const n = h('input', { id: 'step-n', type: 'number', min: 1, max: 1000, value: m.runN ?? 5, disabled: m.busy });
      n.addEventListener('change', () => (m.runN = Math.max(1, Math.min(1000, Math.trunc(Number(n.value)) || 1))));
      const one = h('button', { type: 'button', id: 'step-one', text: 'Next batch', disabled: m.busy });
      one.addEventListener('click', () => post('step', 1));
      const run = h('button', { type: 'button', id: 'step-run', text: 'Run N', disabled: m.busy });
      run.addEventListener('click', () => post('step', Math.max(1, Math.min(1000, Math.trunc(Number(n.value)) || 1))));
      parts.push(one, h('label', {}, [' ', n, ' ']), run);
      if (c.nextBatchTime !== undefined) parts.push(h('span', { class: 'muted', id: 'next-batch', text: `next batch: ${timeText(c.nextBatchTime)}` }));
    } else {
      const pause = h('button', { type: 'button', id: 'pause', text: 'Pause', disabled: m.busy || c.paused });
      pause.addEventListener('click', () => post('pause'));
      const resume = h('button', { type: 'button', id: 'resume', text: 'Resume', disabled: m.busy || !c.paused });
      resume.addEventListener('click', () => post('resume'));
      parts.push(pause, resume, h('span', { class: c.paused ? 'pill queued' : 'pill ok', id: 'paused', text: c.paused ? `paused (${c.heldBatches} batch${c.heldBatches === 1 ? '' : 'es'} held)` : 'generating batches' }));
    }
    parts.push(h('span', { class: 'muted', id: 'control-status', text: m.status }));
    box.replaceChildren(...parts);
  }

  // ---- the grid

  /** The window cell whose span is drawn: the one clicked, else the newest window cell with an RDD. */
  function spanCell() {
    const rows = rowBySeq();
    if (m.selected && rows.get(m.selected.seq)?.window) {
      const c = m.batches.get(m.selected.time)?.cells.find((x) => x.seq === m.selected.seq);
      if (c?.window) return { row: rows.get(m.selected.seq), cell: c, time: m.selected.time };
    }
    const times = [...m.batches.keys()].sort((a, b) => b - a);
    for (const t of times) {
      for (const r of m.rows) {
        if (!r.window) continue;
        const c = m.batches.get(t).cells.find((x) => x.seq === r.seq);
        if (c?.window) return { row: r, cell: c, time: t };
      }
    }
    return undefined;
  }

  function els(list, cls = 'els') {
    const shown = list.slice(0, SHOWN);
    const box = h('div', { class: cls }, shown.map((e) => h('span', { class: 'el', text: e })));
    if (list.length > SHOWN) box.append(h('span', { class: 'more', text: `+${list.length - SHOWN}` }));
    return box;
  }

  function countText(row, cell) {
    if (cell.count === undefined) return cell.notComputed ? `${cell.notComputed} of ${cell.partitions.length} partitions not computed` : '';
    const noun = row.kind === 'input' ? 'record' : row.state ? 'key' : 'element';
    return `${formatNumber(cell.count)} ${noun}${cell.count === 1 ? '' : 's'}`;
  }

  function stateTable(state) {
    const rows = state.keys.slice(0, KEYS_SHOWN).map((k) =>
      h('tr', { 'data-key': k.key, class: k.timedOut ? 'timed-out' : k.removed ? 'removed' : '' }, [
        h('td', { class: 'key', text: k.key }),
        h('td', { class: 'before', text: k.before ?? '-' }),
        h('td', { class: 'values', text: k.values.length ? `+${k.values.join(' +')}` : '' }),
        h('td', { class: 'after', text: k.timedOut ? 'timed out' : k.removed ? 'removed' : (k.after ?? '-') }),
      ]),
    );
    const t = h('table', { class: 'keys' }, [h('thead', {}, [h('tr', {}, ['key', 'before', 'values', 'after'].map((x) => h('th', { text: x })))]), h('tbody', {}, rows)]);
    const box = h('div', { class: 'state' }, [t]);
    if (state.keys.length > KEYS_SHOWN) box.append(h('div', { class: 'muted small', text: `${state.keys.length - KEYS_SHOWN} more key(s)` }));
    return box;
  }

  function windowBox(w) {
    const first = w.times[0];
    const last = w.times[w.times.length - 1];
    const box = h('div', { class: 'window' }, [
      h('div', {
        class: 'window-span',
        'data-begin': first,
        'data-end': last,
        'data-size': w.times.length,
        text: w.times.length ? `covers ${timeText(first)} … ${timeText(last)} (${w.times.length})` : 'covers no batch yet',
      }),
    ]);
    if (w.incremental) {
      const side = (cls, sign, title, parts) => {
        const list = (parts ?? []).flatMap((p) => p.elements);
        return h('div', { class: cls, title }, [h('span', { class: 'sign', text: sign }), list.length ? els(list, 'els inline') : h('span', { class: 'muted small', text: 'nothing' })]);
      };
      box.append(
        side('entered', '+', 'entered the window with this slide', w.enteredData),
        side('left', '−', "left the window: the inverse function's input", w.leftData),
      );
    }
    return box;
  }

  function cellTd(row, cell, time, span) {
    const td = h('td', { class: `cell ${row.kind}`, 'data-seq': row.seq, 'data-batch': time });
    if (span) {
      if (span.covered.has(time) && span.parent === row.seq) td.classList.add('in-span');
      if (span.entered.has(time) && span.parent === row.seq) td.classList.add('entered-batch');
      if (span.left.has(time) && span.parent === row.seq) td.classList.add('left-batch');
      if (span.seq === row.seq && span.time === time) td.classList.add('span-owner');
    }
    if (m.selected && m.selected.seq === row.seq && m.selected.time === time) td.classList.add('selected');
    if (!cell) {
      td.append(h('span', { class: 'none', text: '·' }));
      return td;
    }
    td.addEventListener('click', () => select(row.seq, time));
    if (row.kind === 'output') {
      const o = cell.output;
      if (!o) td.append(h('span', { class: 'none', text: 'no job' }));
      else td.append(h('div', { class: o.failure ? 'pill bad' : 'pill ok', text: `${o.name}${o.durationMs !== undefined ? ` · ${formatDuration(o.durationMs)}` : ''}` }));
      if (o?.failure) td.append(h('div', { class: 'failure', text: o.failure }));
      return td;
    }
    if (!cell.rdd) {
      td.append(h('span', { class: 'none', text: row.slideMs !== bd() ? `· (slides every ${timeText(row.slideMs)})` : '· no RDD' }));
      return td;
    }
    const head = h('div', { class: 'count', text: countText(row, cell) });
    if (cell.blocks) {
      head.append(h('span', { class: 'muted', text: ` · ${cell.blocks.length} block${cell.blocks.length === 1 ? '' : 's'}` }));
      if (cell.blocks.some((b) => b.fromWal)) head.append(' ', h('span', { class: 'pill wal', text: 'read from WAL' }));
    }
    if (cell.lostBlocks) head.append(' ', h('span', { class: 'pill bad', text: `${cell.lostBlocks} block(s) lost` }));
    td.append(head);
    const all = cell.partitions.flatMap((p) => p.elements);
    if (cell.window) {
      td.append(windowBox(cell.window));
      // The window itself: (previous - left + entered) for the incremental form.
      td.append(h('div', { class: 'result' }, [h('span', { class: 'sign muted', text: '=' }), els(all, 'els inline')]));
    } else if (cell.state) td.append(stateTable(cell.state));
    else td.append(els(all));
    return td;
  }

  function render() {
    const grid = $('#marbles-grid');
    const note = $('#marbles-note');
    renderControls();
    if (!m.context?.data?.enabled) {
      note.textContent = 'The data view is off (dstreams.ui.data.enabled=false; it is on by default with the manual clock and under dstreams step).';
      grid.replaceChildren();
      return;
    }
    const times = [...m.batches.keys()].sort((a, b) => a - b);
    note.textContent = times.length
      ? `The last ${times.length} batch(es) (up to ${m.retained} kept), the first ${m.maxRecords} elements of each partition. Click a cell for all of it.`
      : 'No batch has completed yet.';
    const sc = spanCell();
    const span = sc && {
      seq: sc.row.seq,
      time: sc.time,
      parent: sc.row.parents[0],
      covered: new Set(sc.cell.window.times),
      entered: new Set(sc.cell.window.entered),
      left: new Set(sc.cell.window.left),
    };
    const head = h('tr', {}, [h('th', { class: 'stream', text: 'DStream \\ batch' })]);
    for (const t of times) {
      const b = m.batches.get(t);
      const th = h('th', { 'data-batch': t, class: span?.covered.has(t) ? 'in-window' : '' }, [h('span', { text: timeText(t) })]);
      if (b.recovered) th.append(' ', h('span', { class: 'pill recovered', title: 're-run from the checkpoint after a restart', text: 're-run' }));
      head.append(th);
    }
    const body = m.rows.map((r) => {
      const label = h('th', { class: `stream ${r.kind}` }, [h('div', { class: 'label', text: r.label })]);
      const sub = [];
      if (r.window) sub.push(`window ${timeText(r.window.windowMs)}, slide ${timeText(r.window.slideMs)}${r.window.incremental ? ', incremental' : ''}`);
      if (r.state) sub.push(r.state);
      if (r.receiver) sub.push('receiver');
      if (sub.length) label.append(h('div', { class: 'muted small', text: sub.join(' · ') }));
      const tr = h('tr', { 'data-seq': r.seq, class: r.kind }, [label]);
      for (const t of times) tr.append(cellTd(r, m.batches.get(t).cells.find((c) => c.seq === r.seq), t, span));
      return tr;
    });
    grid.replaceChildren(h('table', { class: 'marbles' }, [h('thead', {}, [head]), h('tbody', {}, body)]));
    renderDetail();
  }

  // ---- a cell in full

  function select(seq, time) {
    m.selected = { seq, time };
    render();
  }

  function partitionList(parts, label) {
    return h(
      'div',
      { class: 'partitions' },
      parts.map((p) =>
        h('div', { class: 'partition', 'data-partition': p.index }, [
          h('div', {
            class: 'muted small',
            text: `${label ? `${label} ` : ''}partition ${p.index}${p.batchTime !== undefined ? ` · batch ${timeText(p.batchTime)}` : ''}${p.blockId ? ` · ${p.blockId}` : ''}: ${p.count === undefined ? 'not computed by the batch' : `${formatNumber(p.count)} element(s)`}${p.count !== undefined && p.count > p.elements.length ? `, first ${p.elements.length} kept` : ''}`,
          }),
          h('div', { class: 'els' }, p.elements.map((e) => h('span', { class: 'el', text: e }))),
        ]),
      ),
    );
  }

  function table(cols, rows) {
    return h('table', { class: 'grid' }, [h('thead', {}, [h('tr', {}, cols.map((c) => h('th', { text: c })))]), h('tbody', {}, rows)]);
  }

  function renderDetail() {
    const box = $('#cell-detail');
    const sel = m.selected;
    const b = sel && m.batches.get(sel.time);
    const cell = b?.cells.find((c) => c.seq === sel.seq);
    const row = sel && rowBySeq().get(sel.seq);
    if (!cell || !row) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    const close = h('button', { type: 'button', class: 'close', text: '×', 'aria-label': 'Close' });
    close.addEventListener('click', () => {
      m.selected = undefined;
      render();
    });
    const parts = [h('h3', {}, [`${row.label} at ${timeText(sel.time)}`, close])];
    if (cell.rdd) parts.push(h('p', { class: 'muted mono', text: `${cell.rdd.name}, ${cell.rdd.numPartitions} partition(s)${cell.count !== undefined ? `, ${formatNumber(cell.count)} element(s)` : ''}` }));
    if (cell.output) parts.push(h('p', { text: `${cell.output.name} (output operation ${cell.output.outputOpId})${cell.output.durationMs !== undefined ? `: ${formatDuration(cell.output.durationMs)}` : ''}${cell.output.failure ? `, failed: ${cell.output.failure}` : ''}` }));
    if (cell.blocks?.length) {
      parts.push(h('h4', { text: 'Blocks' }));
      parts.push(
        table(
          ['Block', 'Records', 'Write-ahead log', 'Read from'],
          cell.blocks.map((x) =>
            h('tr', { 'data-block': x.blockId }, [
              h('td', { class: 'mono', text: x.blockId }),
              h('td', { class: 'num', text: x.numRecords === undefined ? '-' : formatNumber(x.numRecords) }),
              h('td', { class: 'mono', text: x.wal ? `${x.wal.path.split(/[\\/]/).slice(-3).join('/')} @ ${x.wal.offset} (${formatBytes(x.wal.length)})` : 'block manager only' }),
              h('td', { class: x.fromWal ? 'wal' : '', text: x.fromWal ? 'the WAL (after a restart)' : 'memory' }),
            ]),
          ),
        ),
      );
    }
    if (cell.window) {
      const w = cell.window;
      parts.push(h('h4', { text: 'Window' }));
      parts.push(
        h('p', {
          text: `Covers ${w.times.map(timeText).join(', ') || 'nothing yet'}. Entered with this slide: ${w.entered.map(timeText).join(', ') || 'none'}. Left: ${w.left.map(timeText).join(', ') || 'none'}.`,
        }),
      );
      if (w.enteredData) parts.push(h('h4', { text: 'Entered (reduced batches added)' }), partitionList(w.enteredData));
      if (w.leftData) parts.push(h('h4', { text: "Left (reduced batches taken out: the inverse function's input)" }), partitionList(w.leftData));
      if (w.keys?.length) {
        parts.push(
          h('h4', { text: 'Per key' }),
          table(
            ['Key', 'Previous window', '− left', '+ entered', 'This window'],
            w.keys.map((k) =>
              h('tr', { 'data-key': k.key }, [
                h('td', { class: 'mono', text: k.key }),
                h('td', { class: 'before', text: k.before ?? '-' }),
                h('td', { class: 'left', text: k.left.join(', ') }),
                h('td', { class: 'entered', text: k.entered.join(', ') }),
                h('td', { class: 'after', text: k.after ?? '-' }),
              ]),
            ),
          ),
        );
      }
    }
    if (cell.state) {
      const s = cell.state;
      const facts = [`${s.keysBefore === undefined ? '?' : formatNumber(s.keysBefore)} key(s) before, ${formatNumber(s.keysAfter)} after`];
      if (s.removed !== undefined) facts.push(`${formatNumber(s.removed)} removed`);
      if (s.timeoutThreshold !== undefined) {
        facts.push(s.fullScan ? `${s.timedOut} timed out (states idle since before ${timeText(s.timeoutThreshold)})` : 'no timeout check in this batch (only on the batches whose state is checkpointed)');
      }
      parts.push(h('h4', { text: `State (${s.kind})` }), h('p', { text: facts.join('; ') }));
      parts.push(
        table(
          ['Key', 'Partition', 'Before', "Batch's values", 'After'],
          s.keys.map((k) =>
            h('tr', { 'data-key': k.key, class: k.timedOut ? 'timed-out' : k.removed ? 'removed' : '' }, [
              h('td', { class: 'mono', text: k.key }),
              h('td', { class: 'num', text: k.partition }),
              h('td', { class: 'before', text: k.before ?? '-' }),
              h('td', { class: 'values', text: `${k.values.join(', ')}${k.numValues > k.values.length ? ` (+${k.numValues - k.values.length})` : ''}` }),
              h('td', { class: 'after', text: k.timedOut ? 'timed out' : k.removed ? 'removed' : (k.after ?? '-') }),
            ]),
          ),
        ),
      );
      if (s.keysTruncated) parts.push(h('p', { class: 'muted', text: `Only the first ${m.maxRecords} keys of each partition are shown.` }));
    }
    if (cell.partitions.length) parts.push(h('h4', { text: 'Partitions' }), partitionList(cell.partitions));
    box.replaceChildren(...parts);
  }

  return { setContext, load, addBatch, setControl, render };
}
