#!/usr/bin/env bash
# A session with the Vern API (docs/api.md), as an integrator runs it against a local server:
# make a token (log in with password and a one-time code, then a fresh code to create the
# token, exactly as on the page «API-nøkler»), then a whole case: create it, map the risk (K1),
# assess it jointly (G6, G7), inform the user (G5, G15), record a consent (C1) and a police
# contact under it (G3), withdraw the consent (C1), record that the user does not want the
# police now (G13), plan a relocation (never given back with its destination, R1), download
# the case summary PDF (a fresh code), and ask the rules engine.
#
#   VERN_URL=http://127.0.0.1:8000 VERN_USERNAME=ansatt VERN_PASSWORD=... \
#     VERN_CODE=123456 VERN_STEP_UP_CODE=654321 VERN_PDF_CODE=112233 bash docs/api-session.sh
#
# VERN_CODE, VERN_STEP_UP_CODE and VERN_PDF_CODE are three different one-time codes (backup
# codes, or codes of the authenticator app 30 seconds apart): a code is taken once. With VERN_TOKEN set
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

say "Map the risk with a tool (POST /cases/$case_id/risk-mappings, K1)"
post -d '{"method": "sara", "result": "yes", "reasoning": "Threats last week."}' \
  "$API/cases/$case_id/risk-mappings"; echo

say "Assess jointly with the user (POST /cases/$case_id/assessments, G6, G7)"
post -d '{"user_participated": true, "factors": {"great_danger": true},
  "user_view": "Wants to know what the police can do."}' \
  "$API/cases/$case_id/assessments"; echo

say "Inform the user of public prosecution (POST /cases/$case_id/information, G5, G15)"
post -d '{"kind": "public_prosecution", "language": "nb"}' "$API/cases/$case_id/information"
echo

say "Record a written consent signed on screen (POST /cases/$case_id/consents, C1)"
consent_json=$(post -d '{"recipient_kind": "police", "police_district": "oslo",
  "purpose": "Safety planning with the police.", "categories": ["violence", "identity"],
  "form": "written", "written_method": "on_screen", "signed_by_name": "The user",
  "signature_confirmed": true}' "$API/cases/$case_id/consents")
echo "$consent_json"
consent_id=$(printf '%s' "$consent_json" | first_id)

say "Plan a police contact under the consent (POST /cases/$case_id/police-contacts, G3)"
contact_at=$(date -u -d '+1 day' +%FT%TZ 2>/dev/null || date -u -v+1d +%FT%TZ)
post -d "{\"status\": \"planned\", \"contact_at\": \"$contact_at\", \"police_district\": \"oslo\",
  \"contact_role\": \"investigator\", \"channel\": \"phone\", \"legal_ground\": \"consent\",
  \"consent_id\": $consent_id, \"shared_categories\": [\"violence\"],
  \"reprisal_check\": {\"routes\": [\"police_contacts_him\"], \"risk\": \"low\",
  \"protections\": [\"safety_plan\"]}}" \
  "$API/cases/$case_id/police-contacts"; echo

say "The user withdraws the consent (POST .../consents/$consent_id/withdraw, C1)"
post -d '{"manner": "oral", "note": "Said so in a talk."}' \
  "$API/cases/$case_id/consents/$consent_id/withdraw"; echo

say "The user does not want the police now (POST /cases/$case_id/refusals, G13)"
post -d '{"reasons": "Afraid of what happens next.", "information_offered": true}' \
  "$API/cases/$case_id/refusals"; echo

say "Plan a relocation (POST /cases/$case_id/relocations): the destination is sent, never given back"
planned_on=$(date -d '+7 days' +%F 2>/dev/null || date -v+7d +%F)
move_json=$(post -d "{\"reason\": \"The perpetrator knows where the centre is.\",
  \"destination_name\": \"A centre outside Vern\", \"destination_police_district\": \"vest\",
  \"chosen_with_user\": true, \"planned_on\": \"$planned_on\"}" \
  "$API/cases/$case_id/relocations")
echo "$move_json"
move_id=$(printf '%s' "$move_json" | first_id)
api "$API/cases/$case_id/relocations/$move_id"; echo

say "The case summary as PDF, with a fresh code (POST .../documents/case-summary)"
pdf=$(mktemp)
post -H "X-Vern-OTP: ${VERN_PDF_CODE:?set VERN_PDF_CODE}" -o "$pdf" \
  -d '{"lang": "en", "relocations": true}' "$API/cases/$case_id/documents/case-summary"
head -c 5 "$pdf" | grep -q '%PDF-' || { echo "not a PDF" >&2; exit 1; }
echo "case summary: $(wc -c < "$pdf") bytes of PDF"
rm -f "$pdf"

say "The case now (GET /cases/$case_id): its state after all this"
api "$API/cases/$case_id"; echo

say "Assess facts with the rules engine (POST /assess)"
post -d '{"factors": {"great_danger": true}, "risk_of_new_serious_violence": "yes"}' \
  "$API/assess?lang=en"; echo

say "Another centre's id, or none: 404 with the error shape"
code=$(curl --silent --output /dev/null --write-out '%{http_code}' \
  -H "Authorization: Bearer $TOKEN" "$API/cases/999999999")
echo "GET /cases/999999999 -> $code"
[ "$code" = 404 ]

say "Done"
