"""Factors 7 and 8 come from consent, which is above assessments in the layering: the consent
app registers the reader (vern.assessments.sources, docs/adr/0011). Without a reader nothing is
derived and nothing is saved: a silent "no consent, not informed" would change outcomes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.assessments.helpers import assess, consent_to_police, inform, make_case, map_user
from vern.accounts.models import User
from vern.assessments import services, sources
from vern.assessments.checks import check_consent_reader
from vern.assessments.models import Assessment
from vern.audit.models import AuditEvent
from vern.cases.models import Case
from vern.consent.assessment_facts import read_consent_facts
from vern.core import clock


@pytest.fixture
def no_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "_readers", {})


def test_the_consent_app_registers_its_reader_at_start_up() -> None:
    assert sources._readers == {"consent": read_consent_facts}
    # Registering the same reader again (ready() may run twice) changes nothing.
    sources.register_consent_reader(read_consent_facts)
    assert sources._readers == {"consent": read_consent_facts}


def test_a_second_different_reader_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "_readers", {"consent": read_consent_facts})

    with pytest.raises(ImproperlyConfigured, match="already registered"):
        sources.register_consent_reader(lambda *, case, at: read_consent_facts(case=case, at=at))


@pytest.mark.usefixtures("no_reader")
def test_deriving_the_factors_without_a_reader_fails_loudly() -> None:
    with pytest.raises(ImproperlyConfigured, match="no consent reader is registered"):
        services.derive_factors(case=Case(pk=1, centre_id=1), at=clock.now())


@pytest.mark.django_db
def test_the_registered_reader_gives_factors_7_and_8(ansatt: User) -> None:
    case = make_case(ansatt)
    map_user(ansatt, case, "yes")
    consent_to_police(ansatt, case, form="verbal")
    inform(ansatt, case)

    derived = services.derive_factors(case=case, at=clock.now())

    assert (derived.user_consents, derived.user_informed_about_public_prosecution) == (True, True)
    assert derived.consent_form == "verbal"


@pytest.mark.django_db
def test_an_assessment_without_a_reader_is_refused_and_writes_nothing(
    ansatt: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = make_case(ansatt)
    mapping = map_user(ansatt, case, "yes")
    first = assess(ansatt, case, mapping)
    events = AuditEvent.objects.count()
    monkeypatch.setattr(sources, "_readers", {})

    with pytest.raises(ImproperlyConfigured):
        assess(ansatt, case, mapping)
    with pytest.raises(ImproperlyConfigured):
        services.assessment_reevaluate(acting_user=ansatt, case=case, cause="consent_given")

    assert list(Assessment.objects.filter(case=case)) == [first]
    assert AuditEvent.objects.count() == events


def test_the_system_check_reports_a_missing_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    assert check_consent_reader(None) == []

    monkeypatch.setattr(sources, "_readers", {})

    assert [message.id for message in check_consent_reader(None)] == ["assessments.E001"]
