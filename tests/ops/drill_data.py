"""Data for the reliability drills, built through the ORM in a drill database.

Run in a subprocess whose environment points at the drill database (see conftest.py):

    python -m tests.ops.drill_data build --cases 3      # a full world for the backup drill
    python -m tests.ops.drill_data canary               # canaries for the purge test (JSON)

Every case gets a row in every case-related table (children, timeline, triggers, mappings,
assessments, information, consents with an uploaded file, refusals, police contacts,
deviations, relocations) and the audit events its services would write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

_counter = itertools.count(1)
Text = Callable[[str, int], str]


def _plain(label: str, max_length: int) -> str:
    return f"{label} {next(_counter)}"[:max_length]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vern.settings")
    import django

    django.setup()


def make_staff(centre: Any, n: int) -> Any:
    from vern.accounts.models import User

    return User.objects.create(
        username=f"drill-{centre.pk}-{n}-{secrets.token_hex(3)}",
        role="leder" if n == 0 else "ansatt",
        centre=centre,
        full_name=f"Drill Staff {n}",
    )


def write_upload(centre_id: int, name: str, content: bytes) -> str:
    from django.conf import settings

    directory = Path(settings.MEDIA_ROOT) / "consents" / str(centre_id)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    (directory / name).write_bytes(content)
    return f"consents/{centre_id}/{name}"


def make_case_tree(
    *,
    centre: Any,
    user: Any,
    reference: str,
    closed_days_ago: int | None,
    text: Text = _plain,
    file_marker: str = "",
) -> Any:
    """One case with a row in every case table and the audit events; returns the case."""
    from vern.assessments.models import Assessment, RiskMapping
    from vern.audit.actions import AuditAction
    from vern.audit.services import audit_record
    from vern.cases.models import Case, CaseChild, CaseEvent, ReassessmentTrigger
    from vern.childwelfare.models import ChildWelfareConcern, ChildWelfareNotification
    from vern.consent import filestore
    from vern.consent.models import (
        Consent,
        ConsentRefusal,
        InformationRecord,
        SignedConsentFile,
    )
    from vern.core import clock
    from vern.police.models import Deviation, PoliceContact
    from vern.relocation.models import Relocation

    now = clock.now()
    c = {"centre": centre}
    case = Case.objects.create(
        **c, reference=reference, name=text("Navn", 200), created_by=user, language="nb"
    )
    audit_record(
        action=AuditAction.CASE_CREATED,
        actor=user,
        centre=centre,
        object_type="case",
        object_id=case.pk,
    )
    child = CaseChild.objects.create(**c, case=case, label=text("Barn", 40), birth_year=2018)
    CaseEvent.objects.create(
        **c,
        case=case,
        at=now,
        kind="case_created",
        summary=text("Sak opprettet", 300),
        actor=user,
        object_type="case",
        object_id=case.pk,
    )
    mapping = RiskMapping.objects.create(
        **c,
        case=case,
        mapped_by=user,
        mapped_at=now,
        method="other",
        method_other=text("Verktøy", 100),
        answers={"q1": text("svar", 200)},
        result="yes",
        reasoning=text("Begrunnelse med æøå", 2000),
    )
    RiskMapping.objects.create(
        **c,
        case=case,
        child=child,
        mapped_by=user,
        mapped_at=now,
        method="guidance_questions",
        answers={},
        result="unknown",
        reasoning=text("Barnets kartlegging", 2000),
    )
    audit_record(
        action=AuditAction.RISK_MAPPING_SAVED,
        actor=user,
        centre=centre,
        object_type="risk_mapping",
        object_id=mapping.pk,
    )
    first = Assessment.objects.create(
        **c,
        case=case,
        assessed_by=user,
        assessed_at=now,
        risk_mapping=mapping,
        factors={"f1": True},
        factor_notes={"f1": text("notat", 200)},
        user_participated=True,
        user_view=text("Brukerens syn", 2000),
        staff_judgement=text("Vurdering", 2000),
        consent_form="written",
        suspected_offences=["threats"],
        facts={"a": 1},
        outcome={"police_involvement": "recommended", "text": text("utfall", 200)},
        rulebook_id="vern-no",
        rulebook_version="1.0.0",
        police_involvement="recommended",
        next_step="consent",
        next_reassessment_on=now.date(),
    )
    second = Assessment.objects.create(
        **c,
        case=case,
        assessed_by=user,
        assessed_at=now,
        risk_mapping=mapping,
        factors={"f1": False},
        user_participated=False,
        facts={"a": 2},
        outcome={"police_involvement": "required"},
        rulebook_id="vern-no",
        rulebook_version="1.0.0",
        police_involvement="required",
        next_step="contact",
        next_reassessment_on=now.date(),
        supersedes=first,
        cause="consent_given",
    )
    audit_record(
        action=AuditAction.ASSESSMENT_SAVED,
        actor=user,
        centre=centre,
        object_type="assessment",
        object_id=second.pk,
    )
    ReassessmentTrigger.objects.create(
        **c,
        case=case,
        kind="new_threat",
        occurs_on=now.date(),
        recorded_by=user,
        resolved_by=second,
    )
    info = InformationRecord.objects.create(
        **c,
        case=case,
        kind="public_prosecution",
        given_by=user,
        given_at=now,
        language=text("norsk", 40),
        offences=["threats"],
        measures_shown=["alarm"],
        rulebook_version="1.0.0",
    )
    audit_record(
        action=AuditAction.INFORMATION_GIVEN,
        actor=user,
        centre=centre,
        object_type="information",
        object_id=info.pk,
    )
    consent = Consent.objects.create(
        **c,
        case=case,
        recipient_kind="police",
        police_district="oslo",
        recipient_unit=text("Enhet", 200),
        purpose=text("Formål", 2000),
        categories=["identity", "violence"],
        form="written",
        written_method="upload",
        signed_by_name=text("Signert", 200),
        verbal_witness=text("Vitne", 200),
        verbal_reason=text("Grunn", 2000),
        given_at=now,
        recorded_by=user,
        information_record=info,
    )
    audit_record(
        action=AuditAction.CONSENT_GIVEN,
        actor=user,
        centre=centre,
        object_type="consent",
        object_id=consent.pk,
    )
    content = b"%PDF-1.4\n% signed consent " + file_marker.encode() + b"\n" + os.urandom(64)
    content += b"\n%%EOF\n"
    stored = write_upload(centre.pk, f"{file_marker or secrets.token_hex(16)}.pdf", content)
    signed = SignedConsentFile.objects.create(
        **c,
        consent=consent,
        sha256=hashlib.sha256(content).hexdigest(),
        content_type=text("application/pdf", 40),
        size=len(content),
        stored_name=stored,
        uploaded_by=user,
        uploaded_at=now,
    )
    # Since issue 20 the bytes are in the database; the copy under MEDIA_ROOT stands for a
    # form uploaded before it (backups and the purge handle both).
    filestore.save_content(signed=signed, content=content)
    ConsentRefusal.objects.create(
        **c,
        case=case,
        recorded_by=user,
        refused_at=now,
        reasons=text("Grunner", 2000),
    )
    contact = PoliceContact.objects.create(
        **c,
        case=case,
        status="done",
        contact_at=now,
        police_district="oslo",
        police_unit=text("Politienhet", 200),
        contact_role="investigator",
        channel="phone",
        shared_categories=["identity"],
        legal_ground="consent",
        ground_valid=True,
        consent=consent,
        duty_to_avert_why=text("Hvorfor", 2000),
        measures_decided=["alarm"],
        outcome_note=text("Utfall", 2000),
        reprisal_check={"routes": ["summons"], "note": text("risiko", 200)},
        recorded_by=user,
    )
    audit_record(
        action=AuditAction.POLICE_CONTACT_RECORDED,
        actor=user,
        centre=centre,
        object_type="police_contact",
        object_id=contact.pk,
    )
    deviation = Deviation.objects.create(
        **c,
        case=case,
        kind="other",
        police_contact=contact,
        reasons=["other"],
        description=text("Avvik", 2000),
        opened_at=now,
        opened_by=user,
        leader_comment=text("Leders kommentar", 2000),
    )
    audit_record(
        action=AuditAction.DEVIATION_OPENED,
        actor=user,
        centre=centre,
        object_type="deviation",
        object_id=deviation.pk,
    )
    relocation = Relocation.objects.create(
        **c,
        case=case,
        reason=text("Ikke trygt", 2000),
        destination_name=text("Nytt senter", 200),
        destination_police_district="vest",
        handover="consent",
        handover_consent=consent,
        recorded_by=user,
    )
    audit_record(
        action=AuditAction.RELOCATION_RECORDED,
        actor=user,
        centre=centre,
        object_type="relocation",
        object_id=relocation.pk,
    )
    # B1: a concern for the child and the notification to the child welfare service.
    notification = ChildWelfareNotification.objects.create(
        **c,
        case=case,
        sent_on=now.date(),
        service=text("Barnevernstjeneste", 200),
        channel="phone",
        shared_categories=["child_situation"],
        shared_summary=text("Delt med barnevernet", 2000),
        sent_by=user,
        user_told="no",
        user_told_how=text("Hvordan", 200),
        user_not_told_reason=text("Ikke fortalt", 1000),
        recorded_by=user,
    )
    concern = ChildWelfareConcern.objects.create(
        **c,
        case=case,
        child=child,
        grounds=["mistreated"],
        reason=text("Bekymring", 2000),
        recorded_by=user,
        recorded_at=now,
        notification=notification,
        resolution_note=text("Forklaring", 1000),
    )
    for object_type, pk, action in (
        ("child_welfare_notification", notification.pk, AuditAction.CHILD_WELFARE_NOTIFIED),
        ("child_welfare_concern", concern.pk, AuditAction.CHILD_WELFARE_CONCERN_RECORDED),
    ):
        audit_record(
            action=action, actor=user, centre=centre, object_type=object_type, object_id=pk
        )
    if closed_days_ago is not None:
        case.status = "closed"
        case.closed_at = now - dt.timedelta(days=closed_days_ago)
        case.closed_by = user
        case.close_reason = "moved_out_safe"
        case.save()
        audit_record(
            action=AuditAction.CASE_CLOSED,
            actor=user,
            centre=centre,
            object_type="case",
            object_id=case.pk,
            reason="moved_out_safe",
        )
    return case


def build(cases: int) -> dict[str, int]:
    """Two centres, staff, ``cases`` cases per centre (some closed), with files and events."""
    from vern.cases.models import CentreSettings
    from vern.centres.models import Centre
    from vern.centres.tenancy import system_scope

    with system_scope():
        for n in range(2):
            centre = Centre.objects.create(
                name=f"Drillsenter {n} {secrets.token_hex(2)}",
                municipality="Fjordby",
                police_district="oslo" if n == 0 else "vest",
            )
            CentreSettings.objects.create(centre=centre, reassess_days_required=5)
            staff = [make_staff(centre, i) for i in range(2)]
            for i in range(cases):
                make_case_tree(
                    centre=centre,
                    user=staff[i % 2],
                    reference=f"D{n}-{i}",
                    closed_days_ago=400 if i % 3 == 2 else None,
                )
    return {"centres": 2, "cases": 2 * cases}


def canary() -> dict[str, list[str]]:
    """Expired cases in two centres full of unique canary strings, and cases to keep.

    Every char, text and JSON field of every case-related row gets its own canary (except
    Case.status, which the purge selects on, and SignedConsentFile.stored_name, which names
    the file and holds a canary itself); so does every uploaded file's name and content."""
    from django.db import models

    from vern.cases.models import Case
    from vern.centres.models import Centre
    from vern.centres.tenancy import system_scope
    from vern.ops.retention import collect_rows

    purge: list[str] = []
    keep: list[str] = []
    used: set[str] = set()

    def token(kind: str, max_length: int) -> str:
        while True:
            value = ("CNRY" + kind + secrets.token_hex(12))[: min(max_length, 24)]
            if value not in used:
                used.add(value)
                return value

    def fill(case: Any, kind: str, bucket: list[str]) -> None:
        for model, ids in collect_rows(case.pk).items():
            for pk in ids:
                changes: dict[str, object] = {}
                for field in model._meta.concrete_fields:
                    if (model is Case and field.name == "status") or field.name == "stored_name":
                        continue
                    if isinstance(field, models.JSONField):
                        value = token(kind, 24)
                        changes[field.attname] = {"canary": value}
                    elif isinstance(field, (models.CharField, models.TextField)):
                        max_length = field.max_length or 2000
                        if max_length < 8:
                            raise SystemExit(f"{model.__name__}.{field.name} is too short")
                        value = token(kind, max_length)
                        changes[field.attname] = value
                    else:
                        continue
                    bucket.append(value)
                model._base_manager.filter(pk=pk).update(**changes)

    with system_scope():
        centres = [
            Centre.objects.create(
                name=f"Kanarisenter {n} {secrets.token_hex(2)}",
                municipality="Fjordby",
                police_district="oslo",
            )
            for n in range(2)
        ]
        for n, centre in enumerate(centres):
            user = make_staff(centre, n)
            marker_p = token("P", 24)
            expired = make_case_tree(
                centre=centre,
                user=user,
                reference=f"P{n}",
                closed_days_ago=4000,
                file_marker=marker_p,
            )
            purge.append(marker_p)
            fill(expired, "P", purge)
            # Kept: an open case, and a closed case still inside the retention period.
            for days in (None, 10):
                marker_k = token("K", 24)
                kept = make_case_tree(
                    centre=centre,
                    user=user,
                    reference=f"K{n}-{days}",
                    closed_days_ago=days,
                    file_marker=marker_k,
                )
                keep.append(marker_k)
                fill(kept, "K", keep)
    return {"purge": purge, "keep": keep}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--cases", type=int, default=3)
    sub.add_parser("canary")
    args = parser.parse_args(argv)
    _setup()
    result: object = build(args.cases) if args.cmd == "build" else canary()
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
