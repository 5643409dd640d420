"""Schemathesis against the OpenAPI document, in process (WSGI), with every check, including
ignored_auth and use_after_free: 0 failures and 0 server errors (issue 8).

Each operation runs with the token of an ansatt. Positive cases use the ids of her centre's
objects half of the time (otherwise generated ids, which are 404), so the checks reach the
services. Configuration (documented in docs/api.md):

* positive_data_acceptance also accepts 422: the schema says what is well-formed, the services
  decide what the guidance allows (K1 before an assessment, G15 before consent, a witness for
  a verbal consent, a year that has come); those refusals are 422 with the field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks

from tests.api.conftest import token_for
from tests.documents.conftest import make_assessment
from tests.factories import make_user
from vern.accounts.models import Role, User
from vern.api.endpoints import api
from vern.cases import services as case_services
from vern.cases.models import Case
from vern.centres.models import Centre
from vern.childwelfare import services as childwelfare_services
from vern.consent.services import consent_create, information_record
from vern.core import clock
from vern.police import services as police_services
from vern.relocation import services as relocation_services

load_all_checks()
ALL_CHECKS = CHECKS.get_all()
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]

CONFIG = schemathesis.Config.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}}}
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: the WSGI handler must not close the test transaction's
    database connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call(case: schemathesis.Case, token: str) -> schemathesis.Response:
    """Send ``case`` with the token, as the explicit credentials of the run.

    The token is also put into the case's own headers: a negative case that "removes" the
    required Authorization header is then judged by what really reaches the server (the
    token is always sent; what is left negative is the rest of the case)."""
    auth = {"Authorization": f"Bearer {token}"}
    if case.headers is None:
        case.headers = {}
    case.headers.update(auth)
    return case.call_and_validate(headers=auth, checks=ALL_CHECKS)


@pytest.fixture
def ids(ansatt: User) -> dict[str, object]:
    case = case_services.case_create(acting_user=ansatt, reference="FUZZ-1")
    return {"token": token_for(ansatt), "case_id": case.pk}


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api(case: schemathesis.Case, ids: dict[str, object]) -> None:
    params = case.path_parameters or {}
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if "case_id" in params and positive and hash(case.id) % 2 == 0:
        params["case_id"] = ids["case_id"]
    call(case, str(ids["token"]))


@pytest.fixture
def other_ids(ansatt: User, other_centre: Centre) -> dict[str, object]:
    """The token of centre A and the ids of centre B's case, consent and planned contact."""
    other = make_user(Role.ANSATT, other_centre)
    case = case_services.case_create(acting_user=other, reference="B-1")
    information_record(acting_user=other, case=case, kind="public_prosecution", language="nb")
    consent = consent_create(
        acting_user=other,
        case=case,
        recipient_kind="police",
        police_district="oslo",
        purpose="B",
        categories=["violence"],
        form="written",
        written_method="on_screen",
        signed_by_name="B",
        signature_confirmed=True,
    )
    plan = police_services.police_contact_record(
        acting_user=other,
        case=case,
        data=police_services.ContactInput(
            status="planned",
            contact_at=clock.now(),
            police_district="oslo",
            contact_role="investigator",
            channel="phone",
            legal_ground="anonymous",
        ),
    )
    # Casework and documents (issue 21): an assessment for assessment-explained.
    assessment = make_assessment(other, case, offences=[])
    # Relocations (issue 21): a planned move of centre B, and an end of it.
    relocation = relocation_services.relocation_plan(
        acting_user=other,
        case=case,
        reason="B",
        destination_name="B-senter",
        destination_police_district="vest",
        chosen_with_user=False,
        chosen_with_police=False,
        planned_on=clock.today(),
    )
    # Children and deviations (issue 21): a child of centre B with a concern, a deviation.
    child = case_services.child_add(acting_user=other, case=case, label="B1", birth_year=None)
    concern = childwelfare_services.concern_record(
        acting_user=other, case=case, child=child, grounds=["mistreated"], reason="B"
    )
    deviation = police_services.deviation_open(
        acting_user=other, case=case, reasons=["safety_routine_not_followed"]
    )
    return {
        "token": token_for(ansatt),
        "case_id": case.pk,
        "consent_id": consent.pk,
        "contact_id": plan.pk,
        "assessment_id": assessment.pk,
        "relocation_id": relocation.pk,
        "end": "departure",
        "child_id": child.pk,
        "concern_id": concern.pk,
        "deviation_id": deviation.pk,
    }


@schema.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_across_centres_is_404_everywhere(
    case: schemathesis.Case, other_ids: dict[str, object]
) -> None:
    """Every well-formed request of centre A's token on centre B's ids answers 404."""
    params = case.path_parameters or {}
    on_ids = "case_id" in params and case.meta is not None
    if on_ids and case.meta.generation.mode.is_positive:  # type: ignore[union-attr]
        for name in params:
            params[name] = other_ids[name]
    response = call(case, str(other_ids["token"]))
    if on_ids and case.meta.generation.mode.is_positive and response.status_code != 405:  # type: ignore[union-attr]
        assert response.status_code == 404, (case.operation.label, response.text[:300])


# --------------------------------------------------------------------------- the stateful phase


class Workflow(schema.as_state_machine()):  # type: ignore[misc]
    """Schemathesis's stateful phase: the links of the document (a created case's id into the
    operations on it, a consent's, a contact's, a relocation's...), every check, with the
    token of an ansatt (set by the test)."""

    token = ""
    calls: ClassVar[list[tuple[str, int]]] = []

    def after_call(self, response: schemathesis.Response, case: schemathesis.Case) -> None:
        super().after_call(response, case)
        self.calls.append((case.operation.label, response.status_code))

    def call(self, case: schemathesis.Case, **kwargs: object) -> schemathesis.Response:
        """The token in the case's own headers (as ``call`` above): what is sent is judged."""
        auth = {"Authorization": f"Bearer {self.token}"}
        if case.headers is None:
            case.headers = {}
        case.headers.update(auth)
        return case.call(headers=auth)

    def validate_response(
        self, response: schemathesis.Response, case: schemathesis.Case, **kwargs: object
    ) -> None:
        case.validate_response(
            response, checks=ALL_CHECKS, transport_kwargs=kwargs or None, recorder=self.recorder
        )


def test_the_workflow_the_links_lead_through_has_no_failures(ansatt: User) -> None:
    """Bounded (CI is at its time limit): a few scenarios of a few steps each."""
    Workflow.token = token_for(ansatt)
    Workflow.run(
        settings=settings(
            max_examples=12,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
    )
    # The links were followed: a case was made, and an operation ran on its id.
    made = [label for label, status in Workflow.calls if status == 201]
    assert Case.objects.filter(centre=ansatt.centre).exists(), Workflow.calls
    assert made, Workflow.calls
