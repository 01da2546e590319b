import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The `--import` argument that loads tsx's loader from this package's own dependencies (a file URL), so a program
 * run from any folder finds it (a bare `--import tsx` is resolved from the working folder).
 */
export function tsxImport(): string {
  return pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;
}

/** Whether this is the TypeScript source checkout (run through tsx) rather than the installed package's dist/. */
export const FROM_SOURCE = __filename.endsWith('.ts');

/**
 * The node arguments before a program's path: tsx's loader, and in a source checkout the "dstreams-source" export
 * condition, so that the program's `import ... from 'dstreams'` (package self-reference) loads lib/index.ts rather
 * than a dist/ that may be stale or absent, and the hooks that give an ES-module program its named imports.
 */
export function programNodeArgs(): string[] {
  if (!FROM_SOURCE) return ['--import', tsxImport()];
  // In the checkout, ES-module importers of 'dstreams' also need checkoutEsmHooks.ts (after tsx, which loads it).
  return ['--conditions=dstreams-source', '--import', tsxImport(), '--import', siblingModule('checkoutEsmPreload')];
}

/** The file URL of a module beside this one (TypeScript in a checkout, JavaScript in the build): a preload. */
export function siblingModule(name: string): string {
  return pathToFileURL(path.join(__dirname, `${name}${FROM_SOURCE ? '.ts' : '.js'}`)).href;
}

/** The package's root folder (its package.json): two levels above lib/cli, three above dist/lib/cli. */
export const PACKAGE_ROOT = path.resolve(__dirname, FROM_SOURCE ? '../..' : '../../..');
