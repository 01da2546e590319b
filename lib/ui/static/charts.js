// Timelines and histograms drawn as plain SVG (no chart library: two chart kinds do not earn a dependency).
// As in Spark's Streaming tab, a row's histogram shares the timeline's y axis: its bars lie on their side.
/* global document */

const NS = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and children. */
export function el(tag, attrs = {}, children = []) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  for (const c of children) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

/** 1, 2 or 5 times a power of ten, at least x. */
export function niceCeil(x) {
  if (!(x > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 5, 10]) if (m * p >= x - 1e-9) return m * p;
  return 10 * p;
}

function label(v) {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return v.toLocaleString('en-US', { maximumFractionDigits: 0 });
  if (Math.abs(v) >= 10) return v.toFixed(0);
  return v.toFixed(Math.abs(v) >= 1 ? 1 : 2);
}

function frame(container, height) {
  const width = Math.max(160, Math.floor(container.clientWidth || 300));
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  container.replaceChildren(svg);
  return { svg, width, height };
}

/**
 * Draws points [{x, y, title, failed}] over [xMin, xMax] × [0, yMax]: a line, dots, the y unit, the mean (dashed,
 * amber) and an optional limit (dashed, red; e.g. the batch interval).
 */
export function timeline(container, { points, xMin, xMax, yMax, unit, avg, limit, formatX, ariaLabel }) {
  const { svg, width, height } = frame(container, 150);
  svg.setAttribute('aria-label', ariaLabel ?? 'timeline');
  const m = { l: 46, r: 12, t: 14, b: 22 };
  const w = width - m.l - m.r;
  const h = height - m.t - m.b;
  const span = xMax > xMin ? xMax - xMin : 1;
  const X = (x) => m.l + ((x - xMin) / span) * w;
  const Y = (y) => m.t + h - (Math.min(y, yMax) / yMax) * h;
  for (const f of [0, 0.5, 1]) {
    const y = m.t + h - f * h;
    svg.appendChild(el('line', { class: 'gridline', x1: m.l, x2: m.l + w, y1: y, y2: y }));
    svg.appendChild(el('text', { x: m.l - 4, y: y + 3, 'text-anchor': 'end' }, [label(f * yMax)]));
  }
  svg.appendChild(el('text', { x: 2, y: 9 }, [unit]));
  svg.appendChild(el('line', { class: 'axis', x1: m.l, x2: m.l, y1: m.t, y2: m.t + h }));
  svg.appendChild(el('line', { class: 'axis', x1: m.l, x2: m.l + w, y1: m.t + h, y2: m.t + h }));
  if (points.length === 0) {
    svg.appendChild(el('text', { class: 'empty', x: m.l + w / 2, y: m.t + h / 2, 'text-anchor': 'middle' }, ['no completed batch yet']));
    return svg;
  }
  const ticks = xMax > xMin ? [xMin, (xMin + xMax) / 2, xMax] : [xMin];
  ticks.forEach((t, i) => {
    const anchor = ticks.length === 1 ? 'middle' : i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle';
    svg.appendChild(el('text', { x: X(t), y: height - 6, 'text-anchor': anchor }, [formatX(t)]));
  });
  if (limit !== undefined && limit <= yMax) svg.appendChild(el('line', { class: 'limit', x1: m.l, x2: m.l + w, y1: Y(limit), y2: Y(limit) }));
  if (avg !== undefined) svg.appendChild(el('line', { class: 'avg', x1: m.l, x2: m.l + w, y1: Y(avg), y2: Y(avg) }));
  svg.appendChild(el('polyline', { class: 'series', points: points.map((p) => `${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(' ') }));
  if (points.length <= 300) {
    for (const p of points) {
      svg.appendChild(el('circle', { class: p.failed ? 'dot failed' : 'dot', cx: X(p.x), cy: Y(p.y), r: points.length > 60 ? 2 : 3 }, [el('title', {}, [p.title])]));
    }
  }
  return svg;
}

/** The distribution of `values` over [0, yMax] in `bins` bins, bars to the right, counted in batches. */
export function histogram(container, { values, yMax, bins = 10, unit, avg, limit, ariaLabel }) {
  const { svg, width, height } = frame(container, 150);
  svg.setAttribute('aria-label', ariaLabel ?? 'histogram');
  const m = { l: 46, r: 16, t: 14, b: 22 };
  const w = width - m.l - m.r;
  const h = height - m.t - m.b;
  const counts = new Array(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor((v / yMax) * bins)))]++;
  const cMax = niceCeil(Math.max(1, ...counts));
  const Y = (y) => m.t + h - (Math.min(y, yMax) / yMax) * h;
  for (const f of [0, 0.5, 1]) {
    const y = m.t + h - f * h;
    svg.appendChild(el('text', { x: m.l - 4, y: y + 3, 'text-anchor': 'end' }, [label(f * yMax)]));
  }
  svg.appendChild(el('text', { x: 2, y: 9 }, [unit]));
  svg.appendChild(el('line', { class: 'axis', x1: m.l, x2: m.l, y1: m.t, y2: m.t + h }));
  svg.appendChild(el('line', { class: 'axis', x1: m.l, x2: m.l + w, y1: m.t + h, y2: m.t + h }));
  svg.appendChild(el('text', { x: m.l, y: height - 6 }, ['0']));
  svg.appendChild(el('text', { x: m.l + w, y: height - 6, 'text-anchor': 'end' }, [`${cMax} batches`]));
  const bh = h / bins;
  counts.forEach((c, i) => {
    if (c === 0) return;
    const lo = (i / bins) * yMax;
    const hi = ((i + 1) / bins) * yMax;
    svg.appendChild(
      el('rect', { class: 'bar', x: m.l + 1, y: m.t + h - (i + 1) * bh + 0.5, width: Math.max(1, (c / cMax) * w), height: Math.max(1, bh - 1) }, [
        el('title', {}, [`${label(lo)}-${label(hi)} ${unit}: ${c} batch${c === 1 ? '' : 'es'}`]),
      ]),
    );
  });
  if (limit !== undefined && limit <= yMax) svg.appendChild(el('line', { class: 'limit', x1: m.l, x2: m.l + w, y1: Y(limit), y2: Y(limit) }));
  if (avg !== undefined) svg.appendChild(el('line', { class: 'avg', x1: m.l, x2: m.l + w, y1: Y(avg), y2: Y(avg) }));
  return svg;
}

/** A tiny line of [time, value] pairs for table cells. */
export function sparkline(container, pairs) {
  const width = 120;
  const height = 22;
  const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'event rate' });
  container.replaceChildren(svg);
  if (pairs.length < 2) return svg;
  const max = Math.max(1e-9, ...pairs.map((p) => p[1]));
  const x0 = pairs[0][0];
  const span = Math.max(1, pairs[pairs.length - 1][0] - x0);
  const pts = pairs.map(([t, v]) => `${(((t - x0) / span) * (width - 2) + 1).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  svg.appendChild(el('polyline', { class: 'series', points: pts.join(' ') }));
  return svg;
}
