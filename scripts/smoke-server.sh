#!/usr/bin/env bash
# Starts the built server (`npm start` without the rebuild) on a fresh database, seeds the demo organisation
# and runs the walkthrough against it. With DATABASE_URL set it uses that PostgreSQL database instead of SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
PORT=${SMOKE_PORT:-3456}
export PORT
if [[ -z ${DATABASE_URL:-} ]]; then export DATABASE_PATH=$WORK/smoke.sqlite; fi
export EVIDENCE_DIR=${EVIDENCE_DIR:-$WORK/evidence}
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

node dist/apps/cli/src/main.js demo > "$WORK/demo.txt"
while IFS= read -r line; do export "${line#  }"; done < <(grep -E '^  [A-Z_]+=' "$WORK/demo.txt")
node dist/apps/server/src/main.js > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 50); do curl -fsS "http://localhost:$PORT/health" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://localhost:$PORT/health" || { cat "$WORK/server.log"; exit 1; }
echo
scripts/walkthrough.sh "http://localhost:$PORT"
