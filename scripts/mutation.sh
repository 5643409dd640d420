#!/usr/bin/env bash
# Mutation testing of the core where a silent bug harms someone (issue 22, docs/testing.md,
# docs/adr/0010-mutation-testing.md). NOT part of CI: it takes minutes to an hour.
#
#   scripts/mutation.sh                 # every module set below
#   scripts/mutation.sh ground consent  # only these
#   make mutation MODULES="ground"
#
# Each module set is mutated with mutmut in its own scratch directory build/mutation/<set>/
# (a copy of pyproject.toml with a [tool.mutmut] section naming the files to mutate and the
# tests that judge them; src/, tests/ and docs/ are symlinked). mutmut's results stay there,
# so a second run only retests mutants whose code or tests changed. Printed per set: the score
# (killed / (killed + survived + no tests + timeout)) and the name of every surviving mutant;
# `cd build/mutation/<set> && mutmut show <name>` shows its diff.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
MUTMUT="${MUTMUT:-$VENV/bin/mutmut}"
PYTHON="${PYTHON:-$VENV/bin/python}"
CHILDREN="${MUTATION_CHILDREN:-$(nproc 2>/dev/null || echo 2)}"

# Per set: the files to mutate, the functions whose mutants are run (mutmut name globs,
# module.x_function__mutmut_N; empty = every mutant of the files) and the tests that judge them.
declare -A MUTATE FUNCS TESTS
MUTATE[rules]="src/vern/rules/engine.py"
# No name filter here: with one, mutmut passes the selected test ids to pytest, and ids with
# "§" in them (the scenario tests) are not found. The file list is the filter instead.
FUNCS[rules]=""
TESTS[rules]="tests/rules"
MUTATE[ground]="src/vern/police/ground.py"
FUNCS[ground]="vern.police.ground.x_ground_reasons__* vern.police.ground.x_duty_to_avert_reasons__* vern.police.ground.x_danger_reasons__* vern.police.ground.x__shared_reasons__* vern.police.ground.x_user_told_recorded__* vern.police.ground.x__consent_reasons__* vern.police.ground.x_deviation_kind__* vern.police.ground.x_offences_on__*"
TESTS[ground]="tests/police/test_the_duty_to_avert_counts_only_offences_in_force_on_the_day.py tests/police/test_only_a_consent_of_this_case_to_the_police_gives_the_ground.py tests/police/test_each_no_consent_ground_is_valid_only_with_its_record.py tests/police/test_the_duty_to_avert_is_valid_only_with_a_196_offence_and_the_reason_why.py tests/police/test_a_contact_on_consent_is_valid_only_with_a_covering_consent_in_force_after_the_information.py tests/police/test_an_anonymous_consultation_shares_nothing_identifying_and_a_contact_without_ground_opens_a_deviation.py tests/police/test_the_pages_record_a_danger_contact_and_a_leaders_justification_for_a_contact_without_ground.py"
MUTATE[consent]="src/vern/consent/selectors.py"
FUNCS[consent]="vern.consent.selectors.x__valid_at__* vern.consent.selectors.x_valid_police_consent__* vern.consent.selectors.x_valid_handover_consent__* vern.consent.selectors.x_consent_covers__* vern.consent.selectors.x__g15_order_problem__* vern.consent.selectors.x_consent_status__*"
TESTS[consent]="tests/consent/test_the_consent_selectors_pick_the_right_record.py tests/consent/test_a_consent_covers_only_its_scope_while_in_force_and_a_withdrawal_is_final.py tests/consent/test_the_consent_service_enforces_the_order_of_steps_and_the_form.py tests/consent/test_a_consent_stops_covering_at_the_exact_moment_of_its_withdrawal.py tests/police/test_a_contact_on_consent_is_valid_only_with_a_covering_consent_in_force_after_the_information.py"
MUTATE[tenancy]="src/vern/centres/tenancy.py"
FUNCS[tenancy]="vern.centres.tenancy.xǁTenantQuerySetǁ* vern.centres.tenancy.x_set_request_scope__* vern.centres.tenancy.x__restore_scope__* vern.centres.tenancy.x_system_scope__*"
TESTS[tenancy]="tests/api/test_another_centres_ids_are_404_on_every_operation.py tests/security/test_a_persistent_connection_never_carries_one_requests_centre_into_the_next.py tests/security/test_row_level_security_hides_other_centres_rows_from_the_runtime_role.py tests/security/test_the_tenant_tables_are_all_under_row_level_security.py"
MUTATE[stepup]="src/vern/accounts/sessions.py"
FUNCS[stepup]="vern.accounts.sessions.x_step_up_fresh__* vern.accounts.sessions.x_mark_step_up__*"
TESTS[stepup]="tests/security/test_a_step_up_is_fresh_only_within_its_window.py tests/security/test_sensitive_actions_need_a_code_from_the_last_5_minutes.py tests/security/test_every_export_needs_a_code_from_the_last_5_minutes_when_it_is_produced.py"
MUTATE[audit]="src/vern/audit/chain.py src/vern/audit/verify.py src/vern/audit/services.py"
FUNCS[audit]="vern.audit.chain.* vern.audit.verify.x_verify_chain__* vern.audit.verify.x_verify_log__* vern.audit.services.x_audit_record__*"
TESTS[audit]="tests/audit/test_audit_record_appends_chained_events_in_the_callers_transaction.py tests/audit/test_every_single_row_edit_deletion_insertion_or_swap_is_detected.py tests/audit/test_the_fast_canonical_form_equals_json_dumps.py tests/audit/test_signed_checkpoints_prove_the_log_is_complete.py tests/audit/test_failing_audit_write_fails_closed.py"
ORDER=(consent ground stepup rules audit tenancy)

sets=("$@")
if [ ${#sets[@]} -eq 0 ]; then sets=("${ORDER[@]}"); fi

toml_list() { # words -> TOML list of strings
  local out="" w
  for w in "$@"; do out+="\"$w\", "; done
  echo "[${out%, }]"
}

summary=()
for set in "${sets[@]}"; do
  if [ -z "${MUTATE[$set]:-}" ]; then
    echo "unknown module set '$set' (known: ${ORDER[*]})" >&2
    exit 2
  fi
  work="$ROOT/build/mutation/$set"
  mkdir -p "$work/data"
  for link in src tests docs; do ln -sfn "$ROOT/$link" "$work/$link"; done
  # shellcheck disable=SC2086
  {
    cat "$ROOT/pyproject.toml"
    echo
    echo "[tool.mutmut]"
    echo "source_paths = [\"src\"]"
    echo "only_mutate = $(toml_list ${MUTATE[$set]})"
    echo "pytest_add_cli_args_test_selection = $(toml_list ${TESTS[$set]})"
    echo "pytest_add_cli_args = [\"-p\", \"no:cacheprovider\", \"-q\"]"
    echo "also_copy = [\"docs\"]"
    echo "use_git_change_detection = false"
    # Every mutant run starts a test session: Django, and for DB tests migrating a fresh
    # SQLite test database, costs seconds that the per-test timings do not include.
    echo "timeout_constant = 60.0"
  } >"$work/pyproject.toml"

  echo "== $set: mutating ${MUTATE[$set]}"
  echo "   judged by ${TESTS[$set]}"
  start=$(date +%s)
  (
    cd "$work"
    # The mutated copy in mutants/src must be what the tests import, not src/.
    unset PYTHONPATH
    export DJANGO_SETTINGS_MODULE=vern.settings VERN_DATA_DIR="$work/data"
    # shellcheck disable=SC2086
    set -f  # the globs are mutmut's, not the shell's
    "$MUTMUT" run --max-children "$CHILDREN" ${FUNCS[$set]} >"$work/run.log" 2>&1 || {
      echo "   mutmut run failed, see $work/run.log" >&2
      tail -c 2000 "$work/run.log" | tr '\r' '\n' | tail -20 >&2
      exit 1
    }
    "$MUTMUT" results --all true >"$work/results.txt" 2>&1
  )
  secs=$(( $(date +%s) - start ))
  # shellcheck disable=SC2086
  line=$(set -f; "$PYTHON" - "$work/results.txt" "$set" "$secs" ${FUNCS[$set]} <<'PY'
import fnmatch, sys
path, name, secs, *globs = sys.argv[1:]
counts: dict[str, int] = {}
survivors = []
for line in open(path, encoding="utf-8"):
    key, _, status = line.strip().rpartition(": ")
    if not key or not any(fnmatch.fnmatch(key, g) for g in globs or ["*"]):
        continue
    counts[status] = counts.get(status, 0) + 1
    if status not in {"killed", "caught by type check", "not checked"}:
        survivors.append(f"{key}: {status}")
killed = counts.get("killed", 0) + counts.get("caught by type check", 0)
judged = sum(counts.values()) - counts.get("not checked", 0)
score = 100 * killed / judged if judged else 0.0
print(f"{name:8} {judged:5} mutants  killed {killed:4}  survived {counts.get('survived', 0):4}"
      f"  no tests {counts.get('no tests', 0):3}  timeout {counts.get('timeout', 0):3}"
      f"  score {score:5.1f} %  ({secs} s)")
with open(path + ".survivors", "w", encoding="utf-8") as out:
    out.write("".join(s + "\n" for s in survivors))
PY
)
  summary+=("$line")
  echo "   $line"
  echo "   surviving mutants (cd build/mutation/$set && mutmut show NAME):"
  sed 's/^/     /' "$work/results.txt.survivors"
done

echo
echo "== mutation score per module set"
printf '%s\n' "${summary[@]}"
