import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The `--import` argument that loads tsx's loader from this package's own dependencies (a file URL), so a program
 * run from any folder finds it (a bare `--import tsx` is resolved from the working folder).
 */
export function tsxImport(): string {
  return pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;
}
