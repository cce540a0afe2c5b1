// The compiled bundles stay inside Shopify's 64 KB limit (run after build.mjs).
import assert from 'node:assert/strict';
import {readFileSync, statSync} from 'node:fs';
import {test} from 'node:test';

const LIMIT_BYTES = 64 * 1024;

for (const handle of ['customer-portal', 'customer-portal-link']) {
  test(`${handle} bundle is at most 64 KB`, () => {
    const bytes = statSync(`${handle}/dist/${handle}.js`).size;
    console.log(`${handle}: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KB)`);
    assert.ok(bytes <= LIMIT_BYTES, `${handle} is ${bytes} bytes, over ${LIMIT_BYTES}`);
  });

  test(`${handle} registers its target with shopify.extend`, () => {
    const manifest = JSON.parse(readFileSync(`${handle}/dist/manifest.json`, 'utf8'));
    const code = readFileSync(`${handle}/dist/${handle}.js`, 'utf8');
    assert.ok(code.includes(JSON.stringify(manifest.target)), 'target registered');
    assert.ok(code.includes('shopify.extend'), 'shopify.extend called');
  });
}
