/**
 * Just enough Markdown for the docs tests: the headings and the links of a page, outside fenced code blocks and
 * inline code, and GitHub's anchor for a heading (so `page.md#anchor` links can be checked).
 */

/** A page's lines outside fenced code blocks (a fence may be indented, as inside a list item). */
function proseLines(text: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^ *```/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) out.push(line);
  }
  return out;
}

/** The text of every ATX heading (`## Text` -> `Text`), in page order. */
export function headings(text: string): string[] {
  const out: string[] = [];
  for (const line of proseLines(text)) {
    const m = /^#{1,6} +(.*?) *#* *$/.exec(line);
    if (m) out.push(m[1]);
  }
  return out;
}

/**
 * GitHub's anchor for a heading: lower case, inline-code backticks and punctuation dropped (letters, digits,
 * `-` and `_` kept), each space a `-`; a repeated anchor gets `-1`, `-2`, ... as on GitHub.
 */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const h of headings(text)) {
    const base = h.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The targets of inline links `[text](target)` outside code, e.g. `docs/kafka.md#the-direct-stream`. */
export function links(text: string): string[] {
  const out: string[] = [];
  for (const line of proseLines(text)) {
    const prose = line.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(([^)\s]+)(?: +"[^"]*")?\)/g)) out.push(m[1]);
  }
  return out;
}
