// Part of `npm test`, after lint:openapi has built dist/: fails when the console's generated API types
// (apps/console/src/api/schema.d.ts) differ from what the server's OpenAPI document gives now, so the console is
// type-checked against the real contract and not against an old copy of it.
import { readFileSync } from 'node:fs';
import { generateSchemaTypes, root, SCHEMA_FILE } from './console-api.mjs';

const committed = readFileSync(SCHEMA_FILE, 'utf8');
const generated = generateSchemaTypes();
if (committed !== generated) {
  const a = committed.split('\n');
  const b = generated.split('\n');
  let line = 0;
  while (line < a.length && a[line] === b[line]) line += 1;
  console.error(
    `${SCHEMA_FILE.slice(root.length + 1)} does not match the server's OpenAPI document (first difference at line ${line + 1}:\n` +
      `  committed: ${a[line] ?? '(end of file)'}\n  generated: ${b[line] ?? '(end of file)'}).\n` +
      'Run `npm run console:api` and commit the result.',
  );
  process.exit(1);
}
console.log('The console API types match the server\'s OpenAPI document.');
