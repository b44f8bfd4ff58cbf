// `npm run console:api`: regenerates the console's API types (apps/console/src/api/schema.d.ts) with openapi-typescript
// from the OpenAPI document of the built server (dist/), as `cli openapi` writes it. check-console-api.mjs (part of
// `npm test`) uses the same steps to tell when the committed file no longer matches the server.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(import.meta.dirname, '..');
export const SCHEMA_FILE = join(root, 'apps/console/src/api/schema.d.ts');
// No usage report or update check: the generator loads redocly.yaml, and neither may reach for the network.
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };

function run(args) {
  const { status, error, stderr } = spawnSync(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (error) throw error;
  if (status !== 0) throw new Error(`${args.slice(0, 2).join(' ')} failed (exit ${status}):\n${stderr}`);
}

/** The schema.d.ts the current server's document gives. */
export function generateSchemaTypes() {
  const dir = mkdtempSync(join(tmpdir(), 'rk-console-api-'));
  try {
    const document = join(dir, 'openapi.json');
    const types = join(dir, 'schema.d.ts');
    run([join(root, 'dist/apps/cli/src/main.js'), 'openapi', document]);
    // A default makes a field optional to send, not present in every answer the generator cannot tell apart: off.
    run([join(root, 'node_modules/openapi-typescript/bin/cli.js'), document, '--default-non-nullable=false', '--output', types]);
    return readFileSync(types, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(SCHEMA_FILE, generateSchemaTypes());
  console.log(`Wrote ${SCHEMA_FILE.slice(root.length + 1)}`);
}
