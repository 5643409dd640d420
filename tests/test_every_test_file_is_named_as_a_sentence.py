"""Every test file is named as a sentence saying what holds (issue 16 point 6).

``tests/consent/test_a_withdrawn_consent_voids_planned_contacts.py`` says what a failure
means before the file is opened; ``test_consent_pages.py`` or ``test_reflow.py`` only names a
topic. The check is a heuristic, stated here so that a failure is easy to read:

* the name after ``test_`` has at least ``MIN_WORDS`` words (split on ``_``), and
* at least one of them is in ``VERBS``: a finite verb, an auxiliary or modal, or ``never``
  (``the_destination_never_leaks``); a verb that is also a common noun (``NOUN_VERBS``:
  ``records``, ``check`` …) does not count as the last word, where it is the noun
  (``corrections_and_late_records``, ``planned_contact_and_reprisal_check``).

It catches the usual topic names (a noun or two, ``..._pages``, ``..._service``, ``..._drill``);
a name that passes can still be a topic in disguise, which is for the review to judge. When a
new sentence uses a verb that is not in the list, add the verb to ``VERBS``. There is no
allow-list: every test file's name passes. Helpers (``conftest.py``, ``oracle.py``,
``helpers.py`` …) are not ``test_*.py`` files and are not checked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
MIN_WORDS = 4

# Finite verbs, auxiliaries and modals that make a file name a sentence.
_VERB_WORDS = """
accept accepts add adds agree agrees answer answers appear appears append appends applies apply
are ask asks assume assumes bind binds bring brings build builds can cannot carries carry catch
catches check checks clear clears close closes come comes count counts cover covers create
creates decide decides delete deletes derive derives describe describes do does end ends
enforce enforces equal equals explain explains fail fails find finds fit fits flag flags follow
follows fork forks get gets give gives go goes grow grows hand hands has have hide hides hold
holds is keep keeps land lands lead leads leak leaks learn learns leave leaves link links list
lists load loads lock locks lose loses make makes mark marks may move moves must name names
need needs never offer offers open opens pass passes pick picks point points prove proves put
puts reach reaches read reads record records refuse refuses render renders require requires
review reviews revoke revokes run runs save saves say says see sees send sends serve serves
show shows sign signs speak speaks stay stays stop stops store stores survive survives switch
switches take takes tell tells translate translates use uses verifies verify void voids walk
walks want wants warn warns was were work works write writes
"""
VERBS = frozenset(_VERB_WORDS.split())
# Verbs that are also nouns a topic name ends with: they count only before the last word.
_NOUN_VERB_WORDS = """
check checks count counts end ends flag flags link links list lists lock locks mark marks name
names point points record records review reviews store stores work works
"""
NOUN_VERBS = frozenset(_NOUN_VERB_WORDS.split())


def is_a_sentence(stem: str) -> bool:
    """Whether a test module's name (without ``.py``) reads as a sentence by the heuristic."""
    words = stem.removeprefix("test_").split("_")
    verbs = [word for word in words[:-1] if word in VERBS]
    if words[-1] in VERBS and words[-1] not in NOUN_VERBS:
        verbs.append(words[-1])
    return len(words) >= MIN_WORDS and bool(verbs)


def _test_files() -> list[Path]:
    return sorted(path for path in TESTS.rglob("test_*.py") if "__pycache__" not in path.parts)


def test_every_test_file_is_named_as_a_sentence() -> None:
    files = _test_files()
    assert len(files) > 100  # the walk found the suite
    topics = [
        path.relative_to(TESTS.parent).as_posix() for path in files if not is_a_sentence(path.stem)
    ]
    assert not topics, (
        "name these test files as sentences saying what holds (at least "
        f"{MIN_WORDS} words and a verb, see this test's docstring): {topics}"
    )


@pytest.mark.parametrize(
    "stem",
    [
        # Names the suite had before issue 16 point 6.
        "test_case_lifecycle",
        "test_consent_pages",
        "test_backup_restore_drill",
        "test_reflow",
        "test_assessment_service",
        "test_signed_consent_uploads",
        "test_workflow_duty_to_avert",
        "test_contact_anonymous_or_without_ground",
        "test_the_danger_ground_and_the_justification_on_the_pages",
        "test_translations_are_complete",
        "test_destination_never_leaks",
        "test_corrections_and_late_records",
        "test_planned_contact_and_reprisal_check",
        "test_harfbuzz_subset_check",
    ],
)
def test_a_topic_name_is_not_a_sentence(stem: str) -> None:
    assert not is_a_sentence(stem)


@pytest.mark.parametrize(
    "stem",
    [
        "test_a_closed_case_refuses_new_writes",
        "test_every_consent_page_renders_in_three_languages",
        "test_the_destination_never_appears_in_the_timeline_lists_titles_or_urls",
        "test_a_withdrawn_consent_voids_planned_contacts",
        "test_the_reassessment_lists_agree",
        "test_the_case_page_links_to_each_of_its_sections",
    ],
)
def test_a_sentence_name_is_a_sentence(stem: str) -> None:
    assert is_a_sentence(stem)
