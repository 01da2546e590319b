import * as fs from 'node:fs';
import * as path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type of a static file by its extension. */
export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The page's files (lib/ui/static). From a compiled build (dist/lib/ui) the folder is the package's own
 * lib/ui/static, which the package ships as it is (there is no build step for the page).
 */
export function defaultStaticRoot(): string {
  const here = path.join(__dirname, 'static');
  if (fs.existsSync(path.join(here, 'index.html'))) return here;
  return path.resolve(__dirname, '..', '..', '..', 'lib', 'ui', 'static');
}

/**
 * Maps a URL path below the static prefix to a file strictly inside `root`, or undefined: `..` segments, encoded
 * separators or dots, NUL bytes, absolute paths, and symbolic links that lead out of the folder are all refused.
 */
export function resolveStaticFile(root: string, urlPath: string): string | undefined {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return undefined; // malformed percent-encoding
  }
  if (rel.includes('\0') || rel.includes('\\')) return undefined;
  const segments = rel.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return undefined;
  const realRoot = fs.realpathSync(root);
  const candidate = path.resolve(realRoot, ...segments);
  if (!candidate.startsWith(realRoot + path.sep)) return undefined;
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    return undefined;
  }
  if (!real.startsWith(realRoot + path.sep)) return undefined;
  try {
    if (!fs.statSync(real).isFile()) return undefined;
  } catch {
    return undefined;
  }
  return real;
}
