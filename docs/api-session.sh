#!/usr/bin/env bash
# A session with the Vern API (docs/api.md), as an integrator runs it against a local server:
# make a token (log in with password and a one-time code, then a fresh code to create the
# token, exactly as on the page «API-nøkler»), list the centre's cases, create one, read it,
# plan a relocation and read it (never with its destination), and ask the rules engine.
#
#   VERN_URL=http://127.0.0.1:8000 VERN_USERNAME=ansatt VERN_PASSWORD=... \
#     VERN_CODE=123456 VERN_STEP_UP_CODE=654321 bash docs/api-session.sh
#
# VERN_CODE and VERN_STEP_UP_CODE are two different one-time codes (two backup codes, or two
# codes of the authenticator app 30 seconds apart): a code is taken once. With VERN_TOKEN set
# the script skips making a token and uses that one. Needs bash and curl. Every call must
# succeed (curl --fail): the script stops at the first error and exits non-zero.
set -euo pipefail

BASE=${VERN_URL:-http://127.0.0.1:8000}
BASE=${BASE%/}
API=$BASE/api/v1
JAR=$(mktemp)
trap 'rm -f "$JAR"' EXIT

say() { printf '\n== %s\n' "$*"; }
csrf() { sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' | head -n 1; }
web() { curl --silent --show-error --fail --cookie "$JAR" --cookie-jar "$JAR" "$@"; }
api() { curl --silent --show-error --fail -H "Authorization: Bearer $TOKEN" "$@"; }
post() { api -X POST -H 'Content-Type: application/json' "$@"; }
first_id() { grep -o '"id": *[0-9]*' | head -n 1 | grep -o '[0-9]*$'; }

if [ -z "${VERN_TOKEN:-}" ]; then
  say "Log in as ${VERN_USERNAME:?set VERN_USERNAME} and make a token (step-up)"
  token=$(web "$BASE/konto/logg-inn/" | csrf)
  web -o /dev/null -d "csrfmiddlewaretoken=$token" --data-urlencode "username=$VERN_USERNAME" \
    --data-urlencode "password=${VERN_PASSWORD:?set VERN_PASSWORD}" "$BASE/konto/logg-inn/"
  token=$(web "$BASE/konto/mfa/" | csrf)
  web -o /dev/null -d "csrfmiddlewaretoken=$token" \
    --data-urlencode "code=${VERN_CODE:?set VERN_CODE}" "$BASE/konto/mfa/"
  token=$(web "$BASE/konto/api-nokler/" | csrf)
  page=$(web -d "csrfmiddlewaretoken=$token" -d "name=api-session" -d "days=1" \
    --data-urlencode "vern_step_up-code=${VERN_STEP_UP_CODE:?set VERN_STEP_UP_CODE}" \
    "$BASE/konto/api-nokler/ny/")
  TOKEN=$(printf '%s' "$page" | sed -n 's/.*<code id="new-token">\([^<]*\)<\/code>.*/\1/p')
  [ -n "$TOKEN" ] || { echo "no token on the page: wrong code?" >&2; exit 1; }
  echo "token ${TOKEN:0:9}... (shown once; Vern keeps only its hash)"
else
  TOKEN=$VERN_TOKEN
fi

say "List the centre's cases (GET /cases)"
api "$API/cases?limit=2"; echo

say "Create a case (POST /cases)"
reference="API-$(date +%s)-$$"
case_json=$(post -d "{\"reference\": \"$reference\"}" "$API/cases")
echo "$case_json"
case_id=$(printf '%s' "$case_json" | first_id)

say "Read it (GET /cases/$case_id)"
api "$API/cases/$case_id"; echo

say "Plan a relocation (POST /cases/$case_id/relocations): the destination is sent, never given back"
planned_on=$(date -d '+7 days' +%F 2>/dev/null || date -v+7d +%F)
move_json=$(post -d "{\"reason\": \"The perpetrator knows where the centre is.\",
  \"destination_name\": \"A centre outside Vern\", \"destination_police_district\": \"vest\",
  \"chosen_with_user\": true, \"planned_on\": \"$planned_on\"}" \
  "$API/cases/$case_id/relocations")
echo "$move_json"
move_id=$(printf '%s' "$move_json" | first_id)
api "$API/cases/$case_id/relocations/$move_id"; echo

say "Assess facts with the rules engine (POST /assess)"
post -d '{"factors": {"great_danger": true}, "risk_of_new_serious_violence": "yes"}' \
  "$API/assess?lang=en"; echo

say "Another centre's id, or none: 404 with the error shape"
code=$(curl --silent --output /dev/null --write-out '%{http_code}' \
  -H "Authorization: Bearer $TOKEN" "$API/cases/999999999")
echo "GET /cases/999999999 -> $code"
[ "$code" = 404 ]

say "Done"
