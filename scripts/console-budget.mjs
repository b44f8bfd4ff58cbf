// The console's first load: the scripts index.html loads and preloads, gzip-compressed, must stay under the budget
// (issue [console]: 400 KB). Every screen is its own chunk, loaded when first opened. Run by `npm run build:console`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 400 * 1024;
const dir = join(import.meta.dirname, '..', 'dist', 'console');
const html = readFileSync(join(dir, 'index.html'), 'utf8');
const initial = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((match) => match[1]);
if (initial.length === 0) {
  console.error('console-budget: index.html names no script; the build is not what this check expects.');
  process.exit(1);
}
let total = 0;
for (const path of initial) {
  const size = gzipSync(readFileSync(join(dir, path.replace(/^\//, '')))).length;
  total += size;
  console.log(`  ${(size / 1024).toFixed(1).padStart(7)} KB gzip  ${path}`);
}
const verdict = total <= BUDGET_BYTES ? 'within' : 'OVER';
console.log(`console-budget: initial JavaScript ${(total / 1024).toFixed(1)} KB gzip, ${verdict} the ${BUDGET_BYTES / 1024} KB budget.`);
if (total > BUDGET_BYTES) process.exit(1);
