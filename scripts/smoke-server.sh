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

# Backup and restore: an online backup of the running server, restored into a fresh database and evidence folder
# and verified there (exit 0 only when everything matches); a second restore over it must be refused (exit 2).
node dist/apps/cli/src/main.js backup "$WORK/backup" > "$WORK/backup.json"
if [[ -n ${DATABASE_URL:-} ]]; then
  RESTORE_DB="$(basename "${DATABASE_URL%%\?*}")_restore"
  ADMIN_URL="${DATABASE_URL%/*}/postgres"
  psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $RESTORE_DB WITH (FORCE)" -c "CREATE DATABASE $RESTORE_DB"
  trap 'kill $SERVER 2>/dev/null || true; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $RESTORE_DB WITH (FORCE)" || true; rm -rf "$WORK"' EXIT
  RESTORE_ENV=(DATABASE_URL="${DATABASE_URL%/*}/$RESTORE_DB")
else
  RESTORE_ENV=(DATABASE_PATH="$WORK/restored.sqlite")
fi
env "${RESTORE_ENV[@]}" EVIDENCE_DIR="$WORK/restored-evidence" node dist/apps/cli/src/main.js restore "$WORK/backup" > "$WORK/restore.json" \
  || { cat "$WORK/restore.json"; exit 1; }
set +e
env "${RESTORE_ENV[@]}" EVIDENCE_DIR="$WORK/restored-evidence" node dist/apps/cli/src/main.js restore "$WORK/backup" > /dev/null 2> "$WORK/refused.txt"
REFUSED=$?
set -e
[[ $REFUSED == 2 ]] && grep -q 'BACKUP.TARGET_NOT_EMPTY' "$WORK/refused.txt" || { echo "a restore over data was not refused ($REFUSED)"; cat "$WORK/refused.txt"; exit 1; }
echo "backup + restore + verify: $(node -e 'const r=require(process.argv[1]);console.log(JSON.stringify(r.restored))' "$WORK/restore.json")"
