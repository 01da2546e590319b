// Module hooks for ES-module programs run from a source checkout (registered by checkoutEsmPreload.ts, which
// `dstreams run` and `dstreams step` load only there). In the checkout 'dstreams' is lib/index.ts, which tsx loads as
// CommonJS; Node gives an ES-module importer only the names it can read in a CommonJS file, and none through
// `export * from`, so `import { StreamingContext } from 'dstreams'` would fail. For an `import` of 'dstreams' these
// hooks answer a small ES module that requires lib/index.ts (the same instance CommonJS code gets) and exports its
// names one by one, as esbuild (tsx's own dependency) lists them from the source. Plain JavaScript: hooks run on
// Node's loader thread, before any TypeScript support. The installed package needs none of this: its dist/ is plain
// CommonJS whose names Node reads.
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const INDEX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'index.ts');
const FACADE = 'dstreams-checkout:esm';

export async function resolve(specifier, context, next) {
  if (specifier === 'dstreams' && context.conditions.includes('import')) return { url: FACADE, shortCircuit: true };
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url !== FACADE) return next(url, context);
  const names = await exportNames();
  const lines = [
    "import { createRequire } from 'node:module';",
    `const dstreams = createRequire(${JSON.stringify(pathToFileURL(INDEX).href)})(${JSON.stringify(INDEX)});`,
    'export default dstreams;',
    ...names.map((n) => `export const ${n} = dstreams.${n};`),
  ];
  return { format: 'module', source: lines.join('\n'), shortCircuit: true };
}

/** The names lib/index.ts exports, from esbuild's metafile of a bundle that is never written. */
async function exportNames() {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [INDEX],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    logLevel: 'silent',
    outdir: path.dirname(INDEX),
  });
  const out = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
  return (out?.exports ?? []).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
}
