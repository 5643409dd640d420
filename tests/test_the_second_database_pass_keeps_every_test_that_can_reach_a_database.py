"""The PostgreSQL pass of CI leaves out only tests that cannot reach a database (docs/testing.md,
"Two databases"): the rule in ``tests/conftest.py`` is checked here on tests of each kind that
this session collected."""

from __future__ import annotations

import pytest

from tests.conftest import reaches_a_database

REACHING = {
    # the django_db mark on the module
    "tests/core/test_every_page_speaks_nynorsk_and_english.py": True,
    # live_server through Playwright's page fixture
    "tests/e2e/test_the_quick_exit_ends_the_session_and_back_shows_no_vern_page.py": True,
    # a session fixture that runs `vern` in other processes against DATABASE_URL (drill_db)
    "tests/ops/test_backups_keep_the_audit_checkpoints.py": True,
    # the rules engine: pure
    "tests/rules/test_every_rulebook_scenario_gives_its_expected_outcome.py": False,
    "tests/rules/test_the_rules_keep_their_invariants_for_every_combination_of_facts.py": False,
}


def _items_of(session: pytest.Session, path: str) -> list[pytest.Item]:
    return [item for item in session.items if item.nodeid.split("::")[0] == path]


@pytest.mark.parametrize(("path", "reaches"), sorted(REACHING.items()))
def test_each_kind_of_test_is_classified_by_whether_it_can_reach_a_database(
    request: pytest.FixtureRequest, path: str, reaches: bool
) -> None:
    items = _items_of(request.session, path)
    if not items:
        pytest.skip(f"{path} was not collected in this run")
    assert {reaches_a_database(item) for item in items} == {reaches}, path


def test_a_test_with_a_database_fixture_reaches_it(
    db: None, request: pytest.FixtureRequest
) -> None:
    assert reaches_a_database(request.node)
