// `npm run lint:openapi` (part of `npm test`): writes the OpenAPI document of the built server (dist/) to a
// temporary file with `cli openapi` and lints it with Redocly's recommended rules (redocly.yaml). Needs no
// network, no database and no configuration; exits non-zero on any error.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'rk-openapi-'));
const file = join(dir, 'openapi.json');
// No update check or usage report: both would reach for the network.
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };

function run(args) {
  const { status, error } = spawnSync(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
  if (error) throw error;
  return status ?? 1;
}

let status;
try {
  status = run([join(root, 'dist/apps/cli/src/main.js'), 'openapi', file]);
  if (status === 0) status = run([join(root, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', '--config', join(root, 'redocly.yaml'), file]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
