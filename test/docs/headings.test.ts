/**
 * README.md is the front page and docs/ the manual (issue 14): nothing the old 1,048-line README said was lost when
 * it moved to docs/, the front page stays short, and no link between the pages is broken.
 *
 * `fixtures/readme-headings.txt` holds every heading of the README as it was before the move, made once with
 *   git show 955ba9b:README.md | awk '/^ *```/ { fence = !fence; next } !fence && /^#+ /' > test/docs/fixtures/readme-headings.txt
 * Each must still be a heading (any level, same text) of some page of docs/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { anchors, headings, links } from './markdown';

const root = path.join(__dirname, '..', '..');
const docsDir = path.join(root, 'docs');
const read = (file: string): string => fs.readFileSync(file, 'utf8');

const docPages = fs.existsSync(docsDir)
  ? fs.readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort().map((f) => path.join(docsDir, f))
  : [];
const pages = [path.join(root, 'README.md'), ...docPages];

test('every heading of the old README is a heading of some docs/ page', () => {
  const oldHeadings = read(path.join(__dirname, 'fixtures', 'readme-headings.txt'))
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.replace(/^#+ +/, ''));
  expect(oldHeadings.length).toBeGreaterThan(20);
  const inDocs = new Set(docPages.flatMap((p) => headings(read(p))));
  expect(oldHeadings.filter((h) => !inDocs.has(h))).toEqual([]);
});

test('README.md is a front page: under 250 lines', () => {
  const lines = read(path.join(root, 'README.md')).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  expect(lines.length).toBeLessThan(250);
});

test('docs/README.md indexes every page of docs/, and README.md links to each', () => {
  const names = docPages.map((p) => path.basename(p)).filter((n) => n !== 'README.md');
  expect(names.length).toBeGreaterThanOrEqual(12);
  const indexLinks = fs.existsSync(path.join(docsDir, 'README.md')) ? links(read(path.join(docsDir, 'README.md'))) : [];
  const frontLinks = links(read(path.join(root, 'README.md')));
  expect(names.filter((n) => !indexLinks.some((l) => l.split('#')[0] === n))).toEqual([]);
  expect(names.filter((n) => !frontLinks.some((l) => l.split('#')[0] === `docs/${n}`))).toEqual([]);
});

test('every relative link of README.md and docs/*.md points to an existing file, and anchor', () => {
  const broken: string[] = [];
  for (const page of pages) {
    for (const target of links(read(page))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      const [file, anchor] = target.split('#');
      const dest = file === '' ? page : path.resolve(path.dirname(page), decodeURIComponent(file));
      const where = `${path.relative(root, page)}: ${target}`;
      if (!fs.existsSync(dest)) {
        broken.push(`${where} (no such file)`);
      } else if (anchor !== undefined && !(dest.endsWith('.md') && anchors(read(dest)).has(anchor))) {
        broken.push(`${where} (no such heading)`);
      }
    }
  }
  expect(broken).toEqual([]);
});
