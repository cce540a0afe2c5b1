// Runs Shopify's theme-check on a theme app extension with the `theme-check:theme-app-extension`
// config; prints every offense and exits 1 when any is an error (severity 0).
import path from 'node:path';
import { check } from '@shopify/theme-check-node';

const root = path.resolve(process.argv[2] ?? '../../extensions/manage-subscriptions');
const config = path.join(root, '.theme-check.yml');
const offenses = await check(root, config);
const names = ['error', 'warning', 'info'];
for (const o of offenses) {
  const where = `${path.relative(root, o.uri.replace('file://', ''))}:${o.start.line + 1}`;
  console.log(`${names[o.severity] ?? o.severity} ${o.check} ${where} ${o.message}`);
}
const errors = offenses.filter((o) => o.severity === 0).length;
console.log(`theme-check: ${offenses.length} offenses, ${errors} errors in ${root}`);
process.exit(errors ? 1 : 0);
