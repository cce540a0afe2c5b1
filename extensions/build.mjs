// Builds each extension the way Shopify's CLI does (one bundle per extension: its target
// module registered with `shopify.extend`), checks Shopify's 64 KB limit, and builds the unit
// tests for node's test runner.
//
//   node build.mjs            SHOPIFY_APP_URL (default http://127.0.0.1:8000) is the backend
import {build} from 'esbuild';
import {readdirSync, mkdirSync, writeFileSync, statSync, existsSync} from 'node:fs';
import {join} from 'node:path';

export const LIMIT_BYTES = 64 * 1024; // Shopify refuses larger compiled UI extensions
const APP_URL = (process.env.SHOPIFY_APP_URL || 'http://127.0.0.1:8000').replace(/\/+$/, '');
const EXTENSIONS = [
  {handle: 'customer-portal', target: 'customer-account.page.render'},
  {handle: 'customer-portal-link', target: 'customer-account.order-index.block.render'},
];

const common = {
  bundle: true,
  minify: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
  define: {__APP_URL__: JSON.stringify(APP_URL)},
};

let failed = false;
for (const {handle, target} of EXTENSIONS) {
  const outdir = join(handle, 'dist');
  mkdirSync(outdir, {recursive: true});
  const outfile = join(outdir, `${handle}.js`);
  await build({
    ...common,
    stdin: {
      contents:
        `import run from './src/index.tsx';\n` +
        `shopify.extend(${JSON.stringify(target)}, (...args) => run(...args));\n`,
      resolveDir: handle,
      sourcefile: `${handle}-entry.js`,
      loader: 'js',
    },
    format: 'iife',
    outfile,
  });
  const bytes = statSync(outfile).size;
  writeFileSync(
    join(outdir, 'manifest.json'),
    JSON.stringify({handle, target, appUrl: APP_URL, bytes, limit: LIMIT_BYTES}, null, 2) + '\n',
  );
  const kb = (bytes / 1024).toFixed(1);
  console.log(`${handle}: ${bytes} bytes (${kb} KB of ${LIMIT_BYTES / 1024} KB)`);
  if (bytes > LIMIT_BYTES) {
    console.error(`${handle}: the bundle is over Shopify's ${LIMIT_BYTES / 1024} KB limit`);
    failed = true;
  }
}

// Unit tests: TypeScript compiled for node (node 20 runs no TypeScript by itself).
const testsDir = join('customer-portal', 'tests');
if (existsSync(testsDir)) {
  const entryPoints = readdirSync(testsDir)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join(testsDir, name));
  await build({
    ...common,
    minify: false,
    entryPoints,
    outdir: join('build', 'tests'),
    outExtension: {'.js': '.mjs'},
    platform: 'node',
    format: 'esm',
    packages: 'external',
  });
}
process.exit(failed ? 1 : 0);
