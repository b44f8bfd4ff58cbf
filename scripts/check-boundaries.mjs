// Keeps the pure core pure: the domain library and the workflows import no framework, ORM or driver.
// Run by `npm test` (and so by CI); exits non-zero naming each offending import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const PURE_FOLDERS = ['libs/domain', 'libs/calendar', 'libs/ledger', 'workflows'];
const PURE_LIBS = /^\/libs\/(domain|calendar|ledger)\//;
const FORBIDDEN = /^(@nestjs\/|typeorm|class-validator|class-transformer|express|pg$|better-sqlite3|reflect-metadata|helmet)/;
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (path.endsWith('.ts')) yield path;
  }
}

const violations = [];
let checked = 0;
for (const folder of PURE_FOLDERS) {
  for (const file of sourceFiles(join(root, folder))) {
    checked += 1;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (FORBIDDEN.test(specifier)) violations.push(`${relative(root, file)} imports "${specifier}"`);
      const target = `/${join(relative(root, file), '..', specifier)}`;
      if (specifier.startsWith('.') && /^\/(apps|libs)\//.test(target) && !PURE_LIBS.test(target)) {
        violations.push(`${relative(root, file)} imports "${specifier}", outside the pure core`);
      }
    }
  }
}

if (checked === 0) {
  console.error('check-boundaries: no files found to check; the folder list is out of date.');
  process.exit(1);
}
if (violations.length > 0) {
  console.error(`The pure core must not depend on frameworks or adapters:\n  ${violations.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-boundaries: ${checked} files in ${PURE_FOLDERS.join(', ')} import no framework.`);
