// The streaming page: the live feed (WebSocket /ws) keeps batches, statistics, receivers and the data view
// (marbles.js) current; the graph, blocks, write-ahead logs, checkpoints and state are read from the JSON endpoints
// after batches complete.
// All text goes in through textContent: batch descriptions and error messages are data, never markup.
/* global document, window, location, history, fetch, requestAnimationFrame, setTimeout, setInterval, WebSocket */
import { histogram, niceCeil, sparkline, timeline } from './charts.js';
import {
  convertToUnit,
  formatBatchTime,
  formatBytes,
  formatDuration,
  formatDurationVerbose,
  formatNumber,
  normalizeDuration,
} from './format.js';
import { $, h } from './dom.js';
import { drawGraph } from './graph.js';
import { createMarbles } from './marbles.js';

const API = '/api/v1/streaming';
const COMPLETED_SHOWN = 50;

const model = {
  context: undefined,
  statistics: undefined,
  batches: new Map(), // batchId -> batch JSON
  receivers: [],
  graph: undefined,
  selected: undefined,
  showAllCompleted: false,
  stopped: false,
};

const marbles = createMarbles({ getJson });

/** Spark's API dates (`2015-03-04T04:40:00.000GMT`) as epoch ms. */
const apiDateMs = (d) => Date.parse(d.replace(/GMT$/, 'Z'));
const td = (text, cls) => h('td', { class: cls, text: text === undefined ? '-' : String(text) });

async function getJson(path) {
  const r = await fetch(`${API}${path}`, { cache: 'no-store' });
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

// ---- rendering, coalesced to one pass per frame

let renderQueued = false;
function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

function batchList(status) {
  return [...model.batches.values()].filter((b) => b.status === status);
}

function render() {
  renderHeader();
  renderStatistics();
  renderBatches();
  renderReceivers();
  renderDetail();
}

function renderHeader() {
  const c = model.context;
  const s = model.statistics;
  if (!c) return;
  $('#app-name').textContent = `${c.appName} · ${c.master} · ${c.clock === 'manual' ? 'manual clock' : 'system clock'}`;
  if (!s) return;
  const started = c.startTime > 0 ? c.startTime : undefined;
  const summary = $('#summary');
  summary.replaceChildren();
  const running = model.stopped ? 'Ran' : 'Running';
  summary.append(`${running} batches of `, h('strong', { text: formatDuration(s.batchDuration) }));
  if (started !== undefined) {
    const now = Date.now();
    summary.append(' for ', h('strong', { text: formatDurationVerbose(Math.max(0, now - started)) }), ` since ${formatBatchTime(started, 1000)}`);
  }
  summary.append(` (${formatNumber(s.numTotalCompletedBatches)} completed batches, ${formatNumber(s.numProcessedRecords)} records)`);
  $('#footer').textContent = `${c.appId} · retained batches: ${c.retainedBatches} · checkpoint: ${c.checkpointDir ?? 'none'} · receiver WAL: ${c.receiverWriteAheadLog ? 'on' : 'off'}`;
}

/** One statistics row: a timeline and a histogram of the completed batches' values. */
/**
 * One statistics row: a timeline and a histogram of the completed batches' values. The three delay rows share one
 * scale (`maxMs`, as Spark's page does), so they compare at a glance; the batch interval is drawn when in range.
 */
function renderStatRow(key, values, { rate, limitMs, maxMs }) {
  const completed = batchList('COMPLETED').sort((a, b) => a.batchId - b.batchId);
  const pts = [];
  for (const b of completed) {
    const v = values(b);
    if (v !== undefined) pts.push({ x: b.batchId, v, failed: b.numFailedOutputOps > 0 });
  }
  const bd = model.statistics?.batchDuration ?? 1000;
  const xMin = pts.length ? pts[0].x : 0;
  const xMax = pts.length ? pts[pts.length - 1].x : 0;
  let unit;
  let conv;
  if (rate) {
    unit = 'records/sec';
    conv = (v) => v;
  } else {
    unit = normalizeDuration(Math.max(1, maxMs))[1];
    conv = (v) => convertToUnit(v, unit);
  }
  const ys = pts.map((p) => conv(p.v));
  // At least 1 (record/s or time unit), so an idle stream draws a flat line at 0 rather than a zoomed-in axis.
  const yMax = niceCeil(Math.max(1, ...(rate ? ys : [conv(maxMs)])) * 1.05);
  const avg = ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : undefined;
  const avgRaw = pts.length ? pts.reduce((a, p) => a + p.v, 0) / pts.length : undefined;
  const limit = limitMs !== undefined ? conv(limitMs) : undefined;
  const points = pts.map((p, i) => ({
    x: p.x,
    y: ys[i],
    failed: p.failed,
    title: `${formatBatchTime(p.x, bd)}: ${formatNumber(ys[i])} ${unit}`,
  }));
  timeline(document.getElementById(`timeline-${key}`), {
    points,
    xMin,
    xMax,
    yMax,
    unit,
    avg,
    limit,
    formatX: (t) => formatBatchTime(t, bd, false),
    ariaLabel: `${key} timeline`,
  });
  histogram(document.getElementById(`histogram-${key}`), { values: ys, yMax, unit, avg, limit, ariaLabel: `${key} histogram` });
  const avgEl = document.getElementById(`avg-${key}`);
  avgEl.textContent = avgRaw === undefined ? 'Avg: -' : rate ? `Avg: ${formatNumber(avgRaw)} records/sec` : `Avg: ${formatDuration(avgRaw)}`;
}

function renderStatistics() {
  const s = model.statistics;
  if (!s) return;
  const bd = s.batchDuration;
  const completed = batchList('COMPLETED');
  $('#timeline-span').textContent = `last ${completed.length} batches, ${formatNumber(s.numTotalCompletedBatches)} completed in total`;
  const rec = model.receivers.filter((r) => r.isActive !== undefined);
  $('#receivers-summary').textContent = `${s.numActiveReceivers}/${s.numReceivers} receivers active${rec.length === 0 && model.receivers.length ? ` · ${model.receivers.length} input stream(s)` : ''}`;
  renderStatRow('inputRate', (b) => (b.inputSize * 1000) / bd, { rate: true });
  let maxMs = 1;
  for (const b of completed) maxMs = Math.max(maxMs, b.schedulingDelay ?? 0, b.processingTime ?? 0, b.totalDelay ?? 0);
  renderStatRow('schedulingDelay', (b) => b.schedulingDelay, { maxMs });
  renderStatRow('processingTime', (b) => b.processingTime, { limitMs: bd, maxMs });
  renderStatRow('totalDelay', (b) => b.totalDelay, { limitMs: bd, maxMs });
}

function opsProgress(b) {
  const total = Math.max(1, b.numTotalOutputOps);
  const bar = h('div', { class: 'progress' });
  const done = h('div', { class: 'done' });
  done.style.width = `${(b.numCompletedOutputOps / total) * 100}%`;
  const failed = h('div', { class: 'failed' });
  failed.style.left = `${(b.numCompletedOutputOps / total) * 100}%`;
  failed.style.width = `${(b.numFailedOutputOps / total) * 100}%`;
  const runningOps = b.outputOperations.filter((o) => o.startTime !== undefined && o.endTime === undefined).length;
  const running = h('div', { class: 'running' });
  running.style.left = `${((b.numCompletedOutputOps + b.numFailedOutputOps) / total) * 100}%`;
  running.style.width = `${(runningOps / total) * 100}%`;
  let label = `${b.numCompletedOutputOps}/${b.numTotalOutputOps}`;
  if (b.numFailedOutputOps) label += ` (${b.numFailedOutputOps} failed)`;
  if (runningOps) label += ` (${runningOps} running)`;
  bar.append(done, failed, running, h('span', { text: label }));
  return bar;
}

function batchRow(b, active) {
  const bd = model.statistics?.batchDuration ?? 1000;
  const tr = h('tr', { 'data-batch-id': b.batchId, 'data-status': b.status, class: model.selected === b.batchId ? 'selected' : '' });
  tr.addEventListener('click', () => selectBatch(b.batchId));
  tr.append(
    h('td', {}, [h('a', { class: 'batch-link', href: `#batch-${b.batchId}`, text: formatBatchTime(b.batchId, bd) })]),
    td(formatNumber(b.inputSize) + ' records', 'num'),
    td(formatDuration(b.schedulingDelay), 'num'),
    td(formatDuration(b.processingTime), 'num'),
  );
  if (!active) tr.append(td(formatDuration(b.totalDelay), 'num'));
  tr.append(h('td', {}, [opsProgress(b)]));
  if (active) {
    const cls = b.status === 'PROCESSING' ? 'pill run' : 'pill queued';
    const text = b.status === 'PROCESSING' ? 'processing' : 'queued';
    tr.append(h('td', {}, [h('span', { class: cls, text: b.retries ? `${text} (retry ${b.retries})` : text })]));
  }
  return tr;
}

function renderBatches() {
  const active = [...batchList('PROCESSING'), ...batchList('QUEUED')].sort((a, b) => a.batchId - b.batchId);
  const completed = batchList('COMPLETED').sort((a, b) => b.batchId - a.batchId);
  $('#active-batches .count').textContent = String(active.length);
  $('#active-batches tbody').replaceChildren(...active.map((b) => batchRow(b, true)));
  const total = model.statistics?.numTotalCompletedBatches ?? completed.length;
  $('#completed-batches .count').textContent = total > completed.length ? `last ${completed.length} out of ${total}` : String(completed.length);
  const shown = model.showAllCompleted ? completed : completed.slice(0, COMPLETED_SHOWN);
  $('#completed-batches tbody').replaceChildren(...shown.map((b) => batchRow(b, false)));
  const more = $('#more-batches');
  more.hidden = completed.length <= COMPLETED_SHOWN;
  more.textContent = model.showAllCompleted ? `Show the newest ${COMPLETED_SHOWN}` : `Show all ${completed.length}`;
}

function errorCell(message, detail) {
  if (!message) return td('');
  const d = h('details', { class: 'error' }, [h('summary', { text: message.split('\n')[0].slice(0, 120) }), h('pre', { text: detail || message })]);
  return h('td', {}, [d]);
}

function renderReceivers() {
  const rows = model.receivers.map((r) => {
    const status = r.isActive === undefined ? '-' : r.isActive ? 'ACTIVE' : 'INACTIVE';
    const spark = h('td');
    sparkline(spark, r.eventRates ?? []);
    return h('tr', { 'data-stream-id': r.streamId }, [
      td(r.streamName),
      h('td', {}, [h('span', { class: r.isActive ? 'pill ok' : r.isActive === false ? 'pill bad' : 'pill', text: status })]),
      td(r.executorHost ? `${r.executorId} @ ${r.executorHost}` : '-'),
      td(r.avgEventRate === undefined ? '-' : formatNumber(r.avgEventRate), 'num'),
      spark,
      td(r.rateLimit === undefined ? '-' : formatNumber(r.rateLimit), 'num'),
      td(r.lastErrorTime ? formatBatchTime(apiDateMs(r.lastErrorTime), 1) : '-'),
      errorCell(r.lastErrorMessage, r.lastError),
    ]);
  });
  $('#receivers tbody').replaceChildren(...rows);
}

// ---- batch details

let detailBlocks = { batchId: undefined, blocks: [] };

function selectBatch(id) {
  model.selected = id;
  history.replaceState(null, '', `#batch-${id}`);
  $('#batch-detail').hidden = false;
  getJson(`/batches/${id}/blocks`)
    .then((b) => {
      detailBlocks = b;
      scheduleRender();
    })
    .catch(() => undefined);
  scheduleRender();
}

/** A WAL file's path relative to the checkpoint folder (where all the logs live). */
function walPath(p) {
  const dir = model.context?.checkpointDir;
  return dir && p.startsWith(dir) ? p.slice(dir.length).replace(/^[\\/]/, '') : p;
}

function blockRows(blocks) {
  return blocks.map((b) =>
    h('tr', {}, [
      td(b.blockId, 'mono'),
      td(b.streamId),
      td(b.numRecords === undefined ? '-' : formatNumber(b.numRecords), 'num'),
      td(b.wal ? `${walPath(b.wal.path)} @ ${b.wal.offset} (${formatBytes(b.wal.length)})` : 'block manager only', 'mono'),
    ]),
  );
}

function renderDetail() {
  const id = model.selected;
  const b = id === undefined ? undefined : model.batches.get(id);
  if (!b) return;
  const bd = model.statistics?.batchDuration ?? 1000;
  $('#detail-time').textContent = formatBatchTime(b.batchId, bd);
  const kv = $('#detail-summary');
  kv.replaceChildren();
  const pairs = [
    ['Batch Duration', formatDuration(b.batchDuration)],
    ['Status', b.status],
    ['Input Size', `${formatNumber(b.inputSize)} records`],
    ['Scheduling Delay', formatDuration(b.schedulingDelay)],
    ['Processing Time', formatDuration(b.processingTime)],
    ['Total Delay', formatDuration(b.totalDelay)],
  ];
  if (b.retries) pairs.push(['Retries', String(b.retries)]);
  for (const [k, v] of pairs) kv.append(h('div', { class: 'k', text: k }), h('div', { text: v }));
  $('#detail-ops tbody').replaceChildren(
    ...b.outputOperations.map((o) =>
      h('tr', {}, [
        td(o.outputOpId, 'num'),
        td(o.name),
        td(o.description, 'mono'),
        td(formatDuration(o.duration), 'num'),
        h('td', {}, [
          h('span', {
            class: o.failureReason ? 'pill bad' : o.endTime ? 'pill ok' : o.startTime ? 'pill run' : 'pill queued',
            text: o.failureReason ? 'failed' : o.endTime ? 'succeeded' : o.startTime ? 'running' : 'waiting',
          }),
        ]),
        errorCell(o.failureReason, o.failureReason),
      ]),
    ),
  );
  const names = new Map(model.receivers.map((r) => [r.streamId, r.streamName]));
  $('#detail-inputs tbody').replaceChildren(...b.inputs.map((i) => h('tr', {}, [td(names.get(i.streamId) ?? i.streamId), td(formatNumber(i.numRecords), 'num'), td(i.description ?? '')])));
  $('#detail-blocks tbody').replaceChildren(...(detailBlocks.batchId === b.batchId ? blockRows(detailBlocks.blocks) : []));
}

// ---- the parts read from JSON endpoints

async function refreshGraph() {
  model.graph = await getJson('/graph');
  drawGraph($('#graph-box'), model.graph);
  $('#graph-debug').textContent = model.graph.debugString;
  $('#graph-dot').textContent = model.graph.dot;
}

async function refreshBlocks() {
  const r = await getJson('/blocks');
  const bd = model.statistics?.batchDuration ?? 1000;
  const cur = $('#current-batch');
  if (r.current) {
    cur.classList.remove('muted');
    cur.replaceChildren(
      h('span', { class: r.current.status === 'PROCESSING' ? 'pill run' : r.current.status === 'QUEUED' ? 'pill queued' : 'pill ok', text: r.current.status.toLowerCase() }),
      ` batch ${formatBatchTime(r.current.batchId, bd)}: ${formatNumber(r.current.inputSize)} records in ${r.current.blocks.length} block(s)`,
    );
  }
  $('#blocks-table tbody').replaceChildren(...blockRows(r.current ? r.current.blocks : []));
  const n = r.unallocated.length;
  const recs = r.unallocated.reduce((a, b) => a + (b.numRecords ?? 0), 0);
  $('#unallocated').textContent = n ? `${n} block(s) with ${formatNumber(recs)} records received, waiting for the next batch.` : 'No received block waiting for a batch.';
}

async function refreshStorage() {
  const s = await getJson('/storage');
  const bd = model.statistics?.batchDuration ?? 1000;
  const fmtT = (t) => formatBatchTime(t, bd);
  const wal = $('#wal-body');
  const cps = $('#checkpoints-body');
  if (!s.checkpointDir) return;
  wal.classList.remove('muted');
  cps.classList.remove('muted');
  if (s.error) {
    cps.textContent = s.error;
    return;
  }
  const walParts = [];
  if (!s.wal.length) walParts.push(h('p', { class: 'muted', text: 'No write-ahead log yet (receiver WAL off, or no receiver).' }));
  for (const f of s.wal) {
    const title = f.kind === 'metadata' ? 'Driver block metadata' : f.kind === 'receiver' ? `Receiver data, stream ${f.streamId}` : f.folder;
    const records = f.segments.reduce((a, x) => a + (x.records ?? 0), 0);
    walParts.push(h('h3', { text: `${title} (${f.folder}): ${f.segments.length} segment(s), ${formatBytes(f.bytes)}, ${formatNumber(records)} records` }));
    walParts.push(
      h('table', { class: 'grid' }, [
        h('thead', {}, [h('tr', {}, [h('th', { text: 'Segment' }), h('th', { text: 'From' }), h('th', { text: 'To' }), h('th', { class: 'num', text: 'Size' }), h('th', { class: 'num', text: 'Records' }), h('th', { text: 'Note' })])]),
        h(
          'tbody',
          {},
          f.segments.map((x) =>
            h('tr', { 'data-segment': x.name }, [
              td(x.name, 'mono'),
              td(x.startTime === undefined ? '-' : fmtT(x.startTime)),
              td(x.endTime === undefined ? '-' : fmtT(x.endTime)),
              td(formatBytes(x.bytes), 'num'),
              td(x.records === undefined ? '-' : formatNumber(x.records), 'num'),
              td(x.error ?? x.damage ?? ''),
            ]),
          ),
        ),
      ]),
    );
  }
  wal.replaceChildren(...walParts);

  const parts = [];
  const times = (ts) => (ts.length ? ts.map(fmtT).join(', ') : 'none');
  parts.push(h('div', { class: 'kv' }, [
    h('div', { class: 'k', text: 'Folder' }), h('div', { class: 'mono', text: s.checkpointDir }),
    h('div', { class: 'k', text: 'Pending now' }), h('div', { text: times(s.pendingBatches) }),
    h('div', { class: 'k', text: 'Pending at checkpoint' }), h('div', { text: times(s.checkpointPendingBatches) }),
    h('div', { class: 'k', text: 'Recovers from' }), h('div', { text: s.recoverFrom ? `${s.recoverFrom.file} (checkpoint time ${fmtT(s.recoverFrom.checkpointTimeMs)})` : 'nothing yet: a restart creates a new context' }),
    h('div', { class: 'k', text: 'A restart now re-runs' }), h('div', { text: s.restartWouldRun.length ? `${s.restartWouldRun.length}${s.restartWouldRun.length >= 100 ? '+' : ''} batch(es) from ${fmtT(s.restartWouldRun[0])}` : 'none' }),
  ]));
  parts.push(
    h('table', { class: 'grid', id: 'checkpoint-table' }, [
      h('thead', {}, [h('tr', {}, [h('th', { text: 'Checkpoint file' }), h('th', { text: 'Time' }), h('th', { class: 'num', text: 'Size' }), h('th', { text: 'State' })])]),
      h(
        'tbody',
        {},
        s.checkpoints.map((c) =>
          h('tr', {}, [
            td(c.name, 'mono'),
            td(fmtT(c.timeMs)),
            td(formatBytes(c.bytes), 'num'),
            h('td', {}, [h('span', { class: c.valid ? 'pill ok' : 'pill bad', text: c.valid ? (c.backup ? 'valid (backup)' : 'valid') : `invalid: ${c.error}` })]),
          ]),
        ),
      ),
    ]),
  );
  cps.replaceChildren(...parts);
}

async function refreshState() {
  const r = await getJson('/state');
  const body = $('#state-body');
  if (!r.streams.length) return;
  body.classList.remove('muted');
  const bd = model.statistics?.batchDuration ?? 1000;
  body.replaceChildren(
    h('table', { class: 'grid' }, [
      h('thead', {}, [h('tr', {}, [h('th', { text: 'Stream' }), h('th', { text: 'As of batch' }), h('th', { class: 'num', text: 'Keys' }), h('th', { class: 'num', text: 'Partitions' }), h('th', { text: 'Keys per partition' })])]),
      h(
        'tbody',
        {},
        r.streams.map((s) => {
          const bars = h('div', { class: 'bars' });
          const max = Math.max(1, ...(s.keysPerPartition ?? []));
          for (const k of s.keysPerPartition ?? []) {
            const d = h('div', { title: `${k} keys` });
            d.style.height = `${Math.max(1, (k / max) * 24)}px`;
            bars.append(d);
          }
          return h('tr', { 'data-seq': s.seq }, [
            td(s.label),
            td(s.batchTime === undefined ? 'no state yet' : formatBatchTime(s.batchTime, bd)),
            td(s.keys === undefined ? '-' : formatNumber(s.keys), 'num'),
            td(s.partitions ?? '-', 'num'),
            h('td', {}, [bars]),
          ]);
        }),
      ),
    ]),
  );
}

/** The JSON parts, at most every 500 ms (after batch events, and every 2 s for logs growing between batches). */
let refreshTimer;
let lastRefresh = 0;
function scheduleRefresh() {
  if (refreshTimer || model.stopped) return;
  const wait = Math.max(0, 500 - (Date.now() - lastRefresh));
  refreshTimer = setTimeout(async () => {
    refreshTimer = undefined;
    if (model.stopped) return;
    lastRefresh = Date.now();
    await Promise.allSettled([refreshBlocks(), refreshStorage(), refreshState()]);
  }, wait);
}

// ---- the live feed

function applyBatch(b) {
  model.batches.set(b.batchId, b);
  // Keep the server's bound: only `retainedBatches` completed batches.
  const limit = model.context?.retainedBatches ?? 1000;
  const done = batchList('COMPLETED');
  if (done.length > limit) {
    done.sort((x, y) => x.batchId - y.batchId);
    for (const old of done.slice(0, done.length - limit)) model.batches.delete(old.batchId);
  }
}

function onMessage(msg) {
  switch (msg.type) {
    case 'snapshot':
      model.context = msg.context;
      model.statistics = msg.statistics;
      model.receivers = msg.receivers;
      model.batches = new Map(msg.batches.map((b) => [b.batchId, b]));
      setConn('live');
      marbles.setContext(msg.context);
      marbles.load().catch(() => undefined);
      refreshGraph().catch(() => undefined);
      scheduleRefresh();
      break;
    case 'event':
      if (msg.statistics) model.statistics = msg.statistics;
      if (msg.batch) applyBatch(msg.batch);
      if (msg.receivers) model.receivers = msg.receivers;
      if (msg.receiver) {
        const i = model.receivers.findIndex((r) => r.streamId === msg.receiver.streamId);
        if (i >= 0) model.receivers[i] = msg.receiver;
        else model.receivers.push(msg.receiver);
      }
      if (msg.event === 'onStreamingStarted' && model.context) model.context.startTime = msg.time;
      if (msg.event === 'onBatchSubmitted' || msg.event === 'onBatchStarted' || msg.event === 'onBatchCompleted') scheduleRefresh();
      if (msg.batch && msg.batch.batchId === model.selected && msg.event === 'onBatchCompleted') selectBatch(model.selected);
      break;
    case 'data':
      marbles.addBatch(msg.batch);
      return;
    case 'control':
      marbles.setControl(msg.control);
      return;
    case 'stopped':
      model.stopped = true;
      model.context = msg.context;
      marbles.setControl(undefined);
      // The server closes right after this message: nothing more to fetch.
      setConn('stopped');
      break;
  }
  scheduleRender();
}

function setConn(state) {
  const c = $('#conn');
  c.dataset.state = state;
  c.textContent = { live: 'live', connecting: 'connecting', stopped: 'context stopped', disconnected: 'disconnected, retrying' }[state];
}

let retryMs = 500;
function connect() {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  ws.onmessage = (e) => onMessage(JSON.parse(e.data));
  ws.onopen = () => {
    retryMs = 500;
  };
  ws.onclose = () => {
    if (model.stopped) return;
    setConn('disconnected');
    setTimeout(connect, retryMs);
    retryMs = Math.min(10000, retryMs * 2);
  };
}

$('#more-batches').addEventListener('click', () => {
  model.showAllCompleted = !model.showAllCompleted;
  scheduleRender();
});
$('#detail-close').addEventListener('click', () => {
  model.selected = undefined;
  $('#batch-detail').hidden = true;
  history.replaceState(null, '', location.pathname);
  scheduleRender();
});
window.addEventListener('resize', scheduleRender);
setInterval(() => {
  if (!model.stopped) scheduleRefresh();
}, 2000);
const fromHash = /^#batch-(\d+)$/.exec(location.hash);
if (fromHash) selectBatch(Number(fromHash[1]));
connect();
