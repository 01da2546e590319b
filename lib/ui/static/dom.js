// DOM helpers shared by the page's modules. All text goes in through textContent: data is never markup.
/* global document */

/** An element with attributes (`class`, `text`, `data-*`, properties) and children (nodes or strings). */
export function h(tag, attrs = {}, children = []) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('data-')) e.setAttribute(k, String(v));
    else e[k] = v;
  }
  for (const c of children) if (c !== undefined && c !== null) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

export const $ = (sel) => document.querySelector(sel);
