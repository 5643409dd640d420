"""Issue 15 point 1: every response that carries case data out of Vern (each PDF, the signed
consent form, the statistics CSV, the relocation destination, a new API key) needs a one-time
code entered within VERN_STEP_UP_SECONDS at the moment the response is produced. The form
window (VERN_STEP_UP_FORM_SECONDS) is only for saving ordinary forms: a code 6 minutes old
still saves a form, and never produces an export, GET or POST."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from tests.factories import backup_code, current_totp, login_verified
from tests.security import objects
from tests.security.conftest import Clock
from tests.security.urls import SENSITIVE_BODY
from vern.accounts.models import User
from vern.api.models import ApiToken
from vern.audit.actions import AuditAction
from vern.audit.models import AuditEvent
from vern.relocation.models import Relocation

pytestmark = pytest.mark.urls("tests.security.urls")

FORM_SAVE = "/test-only/step-up/"  # a view behind step_up_required (an ordinary form)
STALE = 301  # seconds: older than VERN_STEP_UP_SECONDS, well inside the form window


@dataclass(frozen=True)
class Export:
    name: str
    url: Callable[[objects.World], str]
    method: str = "GET"
    data: dict[str, str] = field(default_factory=dict)
    role: str = "ansatt"

    def produced(self, response: object, world: objects.World) -> bool:
        """Whether ``response`` is the export itself (not a step-up page or redirect)."""
        status = getattr(response, "status_code", 0)
        headers = getattr(response, "headers", {})
        if status != 200:
            return False
        if self.name == "relocation_destination":
            relocation = Relocation.objects.get(pk=world.resolve(objects.OWN + "relocation"))
            return relocation.destination_name in response.content.decode()  # type: ignore[attr-defined]
        if self.name == "api_token":
            return ApiToken.objects.filter(name=self.data["name"]).exists()
        return "attachment" in headers.get("Content-Disposition", "")


def _own(world: objects.World, kind: str) -> object:
    return world.resolve(objects.OWN + kind)


EXPORTS = [
    Export(
        "information_sheet",
        lambda w: reverse("documents:information_sheet", args=[_own(w, "case")]),
    ),
    Export(
        "consent_form",
        lambda w: reverse(
            "documents:consent_form", args=[_own(w, "consent_case"), _own(w, "consent")]
        ),
    ),
    Export(
        "assessment_explained",
        lambda w: reverse(
            "documents:assessment_explained",
            args=[_own(w, "assessment_case"), _own(w, "assessment")],
        ),
    ),
    Export(
        "access_report_pdf",
        lambda w: reverse("documents:access_report_pdf", args=[_own(w, "case")]),
    ),
    Export(
        "case_summary",
        lambda w: reverse("documents:case_summary", args=[_own(w, "case")]),
        method="POST",
        data={"sprak": "nb", "timeline": "on", "consents": "on"},
    ),
    Export(
        "signed_consent_file",
        lambda w: reverse(
            "consent:download",
            args=[_own(w, "consent_case"), _own(w, "consent"), _own(w, "signed_consent_file")],
        ),
    ),
    Export(
        "relocation_destination",
        lambda w: reverse(
            "relocation:reveal", args=[_own(w, "relocation_case"), _own(w, "relocation")]
        ),
    ),
    Export("centre_statistics_csv", lambda w: reverse("stats:centre_csv")),
    Export(
        "national_statistics_csv", lambda w: reverse("stats:national_csv"), role="administrator"
    ),
    Export(
        "api_token",
        lambda w: reverse("api_tokens:create"),
        method="POST",
        data={"name": "Journalsystemet", "days": "30"},
    ),
]
IDS = [export.name for export in EXPORTS]


def _keep_alive(client: Client, clock: Clock, *, seconds: int) -> None:
    """Move the clock on in steps short enough that the session never idles out."""
    while seconds > 0:
        step = min(seconds, 240)
        clock.advance(seconds=step)
        seconds -= step
        assert client.get("/").status_code == 200


def _request(client: Client, export: Export, url: str) -> object:
    if export.method == "POST":
        return client.post(url, export.data)
    return client.get(url)


@pytest.fixture
def people(ansatt: User, administrator: User) -> dict[str, User]:
    return {"ansatt": ansatt, "administrator": administrator}


@pytest.fixture
def staff(
    request: pytest.FixtureRequest,
    client: Client,
    people: dict[str, User],
    frozen_clock: Clock,
) -> tuple[Client, User]:
    """Logged in with password and a code at the clock's start (that code is the step-up)."""
    export: Export = request.param
    user = people[export.role]
    login_verified(client, user)
    return client, user


def test_the_rule_holds_for_the_default_windows(settings: Settings) -> None:
    assert settings.VERN_STEP_UP_SECONDS == 300
    assert settings.VERN_STEP_UP_FORM_SECONDS > STALE


@pytest.mark.parametrize(
    ("export", "staff"), [(e, e) for e in EXPORTS], ids=IDS, indirect=["staff"]
)
def test_a_fresh_code_produces_the_export(
    export: Export, staff: tuple[Client, User], world: objects.World, frozen_clock: Clock
) -> None:
    client, _user = staff
    frozen_clock.advance(seconds=299)

    response = _request(client, export, export.url(world))

    assert export.produced(response, world), getattr(response, "status_code", None)


@pytest.mark.parametrize(
    ("export", "staff"), [(e, e) for e in EXPORTS], ids=IDS, indirect=["staff"]
)
def test_a_code_older_than_5_minutes_is_refused_for_the_export_but_saves_a_form(
    export: Export, staff: tuple[Client, User], world: objects.World, frozen_clock: Clock
) -> None:
    client, _user = staff
    url = export.url(world)
    _keep_alive(client, frozen_clock, seconds=STALE)
    before = AuditEvent.objects.filter(
        action__in=[AuditAction.EXPORT, AuditAction.DOCUMENT_GENERATED, AuditAction.ACCESS_REPORT]
    ).count()

    refused = _request(client, export, url)
    form_save = client.post(FORM_SAVE)

    assert not export.produced(refused, world)
    if export.method == "GET":
        assert getattr(refused, "status_code", None) == 302
        assert refused["Location"] == reverse("accounts:step_up") + "?" + urlencode(  # type: ignore[index]
            {"next": url}
        )
    else:
        assert "accounts/step_up.html" in [t.name for t in refused.templates]  # type: ignore[attr-defined]
    assert "Content-Disposition" not in getattr(refused, "headers", {})
    assert (
        AuditEvent.objects.filter(
            action__in=[
                AuditAction.EXPORT,
                AuditAction.DOCUMENT_GENERATED,
                AuditAction.ACCESS_REPORT,
            ]
        ).count()
        == before
    )
    assert (form_save.status_code, form_save.content.decode()) == (200, SENSITIVE_BODY)


@pytest.mark.parametrize(
    ("export", "staff"), [(e, e) for e in EXPORTS], ids=IDS, indirect=["staff"]
)
def test_a_new_code_produces_the_export_again(
    export: Export, staff: tuple[Client, User], world: objects.World, frozen_clock: Clock
) -> None:
    """GET: the step-up page sends the user back to the export. POST: the code is entered in
    the step-up form shown in place, which carried the input; the export is made with it."""
    client, user = staff
    url = export.url(world)
    _keep_alive(client, frozen_clock, seconds=STALE)

    if export.method == "GET":
        to_step_up = client.get(url)["Location"]
        back = client.post(to_step_up, {"code": current_totp(user), "next": url})
        assert back["Location"] == url
        response = client.get(back["Location"])
    else:
        in_place = client.post(url, export.data)
        page = in_place.content.decode()
        for name, value in export.data.items():
            assert f'name="{name}" value="{value}"' in page
        carried = {**export.data, "vern_step_up-code": current_totp(user)}
        response = client.post(url, carried)

    assert export.produced(response, world)


def test_the_summary_made_after_the_code_in_place_has_what_was_chosen(
    client: Client, ansatt: User, world: objects.World, frozen_clock: Clock
) -> None:
    login_verified(client, ansatt)
    url = reverse("documents:case_summary", args=[_own(world, "case")])
    _keep_alive(client, frozen_clock, seconds=STALE)
    chosen = {"sprak": "en", "police": "on"}

    client.post(url, chosen)
    response = client.post(url, {**chosen, "vern_step_up-code": backup_code(ansatt)})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("seq")
    assert event.details["lang"] == "en"
    assert event.details.get("police") is True
    assert event.details.get("timeline") is False


def test_a_wrong_code_in_place_keeps_the_input_and_makes_nothing(
    client: Client, ansatt: User, frozen_clock: Clock
) -> None:
    login_verified(client, ansatt)
    url = reverse("api_tokens:create")
    _keep_alive(client, frozen_clock, seconds=STALE)
    data = {"name": "Rapportverktøyet", "days": "7"}

    response = client.post(url, {**data, "vern_step_up-code": "000000"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Koden stemmer ikke" in page
    assert 'name="name" value="Rapportverktøyet"' in page
    assert 'name="days" value="7"' in page
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.STEP_UP_FAILED).count() == 1


def test_the_step_up_form_in_place_posts_to_the_export_and_carries_no_csrf_copy(
    client: Client, ansatt: User, frozen_clock: Clock
) -> None:
    login_verified(client, ansatt)
    url = reverse("api_tokens:create")
    _keep_alive(client, frozen_clock, seconds=STALE)

    page = client.post(url, {"name": "X", "days": "7"}).content.decode()

    step_up_form = page.split(f'action="{url}"', 1)[1].split("</form>", 1)[0]
    assert step_up_form.count('name="csrfmiddlewaretoken"') == 1
    assert 'name="vern_step_up-code"' in step_up_form


def test_the_window_for_exports_follows_the_setting(
    client: Client, ansatt: User, world: objects.World, frozen_clock: Clock, settings: Settings
) -> None:
    settings.VERN_STEP_UP_SECONDS = 60
    login_verified(client, ansatt)
    url = reverse("documents:information_sheet", args=[_own(world, "case")])
    frozen_clock.advance(seconds=59)
    assert client.get(url).status_code == 200

    frozen_clock.advance(seconds=2)

    assert client.get(url).status_code == 302
