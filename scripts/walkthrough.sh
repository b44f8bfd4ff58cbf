#!/usr/bin/env bash
# One problem's whole life over HTTP against a started server, with the demo tokens — the README walkthrough,
# runnable. Usage: scripts/walkthrough.sh [base-url]   (needs the tokens exported by `npm run demo`)
set -euo pipefail
BASE=${1:-http://localhost:3000}
: "${INSPECTOR_TOKEN:?export the demo tokens first (npm run demo prints them)}"
: "${SUPERVISOR_TOKEN:?}" "${FACILITIES_TOKEN:?}" "${FACILITIES_DEPT:?}"

field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s)[process.argv[1]];console.log(typeof v==="object"?JSON.stringify(v):v)})' "$1"; }
call() { # token method path [json]
  local token=$1 method=$2 path=$3 body=${4:-}
  local out status
  out=$(curl -sS -X "$method" "$BASE$path" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    ${body:+-d "$body"} -w '\n%{http_code}')
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  if [[ $status != 2* ]]; then echo "FAILED $method $path -> $status $out" >&2; exit 1; fi
  printf '%s' "$out"
}
event() { # token id json
  local result
  result=$(call "$1" POST "/problems/$2/events" "$3")
  printf '  %-16s -> %-34s version %s\n' "$(echo "$3" | field type)" "$(echo "$result" | field stateDetail)" "$(echo "$result" | field version)" >&2
}

evidence() { # token id text — the department's "after" evidence, which SUBMIT of a major problem needs
  local out status file
  file=$(mktemp)
  printf '%s\n' "$3" > "$file"
  out=$(curl -sS -X POST "$BASE/problems/$2/evidence" -H "Authorization: Bearer $1" \
    -F kind=rectification -F "file=@$file;type=text/plain;filename=rectification-note.txt" -w '\n%{http_code}')
  rm -f "$file"
  status=${out##*$'\n'}
  if [[ $status != 201 ]]; then echo "FAILED evidence upload -> $status ${out%$'\n'*}" >&2; exit 1; fi
  printf '  %-16s -> sha256 %s\n' "evidence" "$(echo "${out%$'\n'*}" | field sha256)" >&2
}

DEADLINE=$(node -e 'console.log(new Date(Date.now()+14*864e5).toISOString())')
ID=$(call "$INSPECTOR_TOKEN" POST /problems '{"title":"Fire exit blocked","description":"Pallets in front of the east exit","category":"fire-safety","severity":"major","location":"Warehouse 3","inspectionRef":"INSP-2026-031","requirement":"Clear the exit, mark a keep-clear zone"}' | field id)
echo "filed problem $ID" >&2
event "$INSPECTOR_TOKEN"  "$ID" "{\"type\":\"ASSIGN\",\"departmentId\":\"$FACILITIES_DEPT\",\"deadline\":\"$DEADLINE\",\"expectedVersion\":1}"
event "$FACILITIES_TOKEN" "$ID" '{"type":"START","measures":"Move pallets to rack B","responsiblePerson":"Wang Fang","plannedCompletionDate":"2026-12-20"}'
event "$FACILITIES_TOKEN" "$ID" '{"type":"REPORT_PROGRESS","note":"Half moved","percent":50}'
evidence "$FACILITIES_TOKEN" "$ID" 'Pallets moved to rack B'
event "$FACILITIES_TOKEN" "$ID" '{"type":"SUBMIT","summary":"Exit cleared"}'
event "$INSPECTOR_TOKEN"  "$ID" '{"type":"REJECT","reason":"Keep-clear zone not marked"}'
evidence "$FACILITIES_TOKEN" "$ID" 'Keep-clear zone marked'
event "$FACILITIES_TOKEN" "$ID" '{"type":"SUBMIT","summary":"Exit cleared and zone marked"}'
event "$INSPECTOR_TOKEN"  "$ID" '{"type":"APPROVE","comment":"Checked on site"}'
event "$SUPERVISOR_TOKEN" "$ID" '{"type":"CLOSE","comment":"销号"}'

STATE=$(call "$SUPERVISOR_TOKEN" GET "/problems/$ID" | field state)
STEPS=$(call "$SUPERVISOR_TOKEN" GET "/problems/$ID/history" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items.map(r=>`${r.version}:${r.eventType}:${r.actorRole}`).join(" ")))')
echo "state: $STATE" >&2
echo "history: $STEPS" >&2
[[ $STATE == closed ]] || { echo "expected closed, got $STATE" >&2; exit 1; }
[[ $STEPS == "1:FILE:inspector 2:ASSIGN:inspector 3:START:department 4:REPORT_PROGRESS:department 5:SUBMIT:department 6:REJECT:inspector 7:SUBMIT:department 8:APPROVE:inspector 9:CLOSE:supervisor" ]] \
  || { echo "unexpected history" >&2; exit 1; }
echo "walkthrough: problem $ID went through its whole life and its history shows every step" >&2
