"""Risk mapping (K1), the joint assessment with its result page and history (G6-G8), and the
centre's reassessment settings (G8). Thin views: the rules live in services and selectors.

Reads of case pages are audited once per request by vern.audit.middleware."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from vern.accounts.models import User
from vern.accounts.request import case_worker
from vern.assessments import selectors, services
from vern.assessments.factors import BY_ID as FACTORS_BY_ID
from vern.assessments.forms import (
    USER_SUBJECT,
    AssessmentForm,
    CentreSettingsForm,
    RiskMappingForm,
)
from vern.assessments.questions import question_text, sections_with_questions, ui_lang
from vern.cases import selectors as case_selectors
from vern.cases.models import Case, CaseChild
from vern.cases.services import (
    centre_settings_for,
    ensure_open,
)
from vern.core import clock


def _case(request: HttpRequest, case_pk: int) -> tuple[User, Case]:
    user = case_worker(request)
    return user, case_selectors.case_get(user=user, pk=case_pk)


def _refuse_closed(request: HttpRequest, case: Case) -> HttpResponse | None:
    try:
        ensure_open(case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:detail", pk=case.pk)
    return None


def _add_errors(form: Form, exc: ValidationError) -> None:
    """Put a service's errors on the form's fields, or on the form when there is no field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, exc)


def _first_url(candidates: list[tuple[str, dict[str, int]]], fallback: str) -> str:
    for name, kwargs in candidates:
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return fallback


def record_links(case: Case) -> dict[str, str]:
    """Where staff record what factors 7 and 8 rest on (the consent app's pages)."""
    case_url = reverse("cases:detail", kwargs={"pk": case.pk})
    kw = {"case_pk": case.pk}
    return {
        "information": _first_url(
            [
                ("consent:information_add", kw),
                ("consent:information_create", kw),
                ("consent:information", kw),
            ],
            case_url,
        ),
        "consent": _first_url(
            [
                ("consent:consent_add", kw),
                ("consent:consent_create", kw),
                ("consent:create", kw),
                ("consent:add", kw),
            ],
            case_url,
        ),
    }


# --------------------------------------------------------------------------- risk mapping — K1


@require_safe
def mapping_list(request: HttpRequest, case_pk: int) -> HttpResponse:
    _, case = _case(request, case_pk)
    context = {
        "case": case,
        "subjects": selectors.mapping_subjects(case=case),
        "mappings": selectors.mapping_list(case=case),
    }
    return render(request, "assessments/mapping_list.html", context)


def mapping_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    user, case = _case(request, case_pk)
    refused = _refuse_closed(request, case)
    if refused:
        return refused
    children = list(CaseChild.objects.filter(removed_at__isnull=True, case=case))
    form = RiskMappingForm(request.POST or None, children=children)
    if request.method == "GET" and request.GET.get("barn"):
        wanted = request.GET["barn"]
        if wanted in form.children:
            form.initial["subject"] = wanted
    if request.method == "POST" and form.is_valid():
        try:
            mapping = services.risk_mapping_record(
                acting_user=user,
                case=case,
                child=form.child,
                mapped_at=form.cleaned_data["mapped_at"],
                method=form.cleaned_data["method"],
                method_other=form.cleaned_data["method_other"],
                answers=form.answers,
                result=form.cleaned_data["result"],
                reasoning=form.cleaned_data["reasoning"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Kartleggingen er lagret."))
            return redirect("assessments:mapping_detail", case_pk=case.pk, pk=mapping.pk)
    context = {
        "case": case,
        "form": form,
        "sections": [
            (
                section,
                section.title.get(ui_lang()),
                section.intro.get(ui_lang()),
                form.question_fields(section.id),
            )
            for section, _questions in sections_with_questions()
        ],
        "user_subject": USER_SUBJECT,
    }
    return render(request, "assessments/mapping_form.html", context)


@require_safe
def mapping_detail(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    user, case = _case(request, case_pk)
    mapping = selectors.mapping_get(user=user, case=case, pk=pk)
    lang = ui_lang()
    answers = [
        (question_text(qid, lang), text)
        for section, questions in sections_with_questions()
        for qid, text in ((q.id, mapping.answers.get(q.id, "")) for q in questions)
        if text
    ]
    return render(
        request,
        "assessments/mapping_detail.html",
        {"case": case, "mapping": mapping, "answers": answers},
    )


# --------------------------------------------------------------------------- assessment — G6 to G8


def assessment_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    user, case = _case(request, case_pk)
    refused = _refuse_closed(request, case)
    if refused:
        return refused
    lang = ui_lang()
    mappings = list(selectors.user_mappings(case=case))
    offences = selectors.offence_choices(on=clock.today(), lang=lang)
    form = AssessmentForm(request.POST or None, mappings=mappings, offences=offences)
    newest = selectors.assessment_newest(case=case)
    if not form.is_bound and newest is not None:
        # Start from the newest assessment's inputs: a reassessment changes what changed.
        form.initial.update(
            {
                **{name: bool(value) for name, value in newest.factors.items()},
                **{f"note_{name}": note for name, note in newest.factor_notes.items()},
                "suspected_offences": newest.suspected_offences,
                "user_participated": "yes" if newest.user_participated else "no",
            }
        )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(
                acting_user=user,
                case=case,
                risk_mapping=form.chosen_mapping,
                factors=form.factors,
                factor_notes=form.notes,
                user_participated=bool(form.cleaned_data["user_participated"]),
                user_view=form.cleaned_data["user_view"],
                staff_judgement=form.cleaned_data["staff_judgement"],
                suspected_offences=form.cleaned_data["suspected_offences"],
                next_reassessment_on=form.cleaned_data["next_reassessment_on"],
                danger_to_life_or_health=bool(form.cleaned_data["danger_to_life_or_health"]),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Vurderingen er lagret."))
            return redirect("assessments:detail", case_pk=case.pk, pk=assessment.pk)
    derived = services.derive_factors(case=case, at=clock.now())
    chosen = form.chosen_mapping if form.is_bound and form.is_valid() else None
    preview = chosen or (mappings[0] if mappings else None)
    context = {
        "case": case,
        "form": form,
        # K1, G8: who is not mapped (or unclear) now, and the interval that follows.
        "gaps": services.mapping_gaps(case=case, risk_mapping=preview) if preview else [],
        "shortest_days": services.shortest_reassessment_days(centre_settings_for(case.centre_id)),
        "has_mapping": bool(mappings),
        "derived": derived,
        "links": record_links(case),
        "factor7": FACTORS_BY_ID["user_consents"],
        "factor8": FACTORS_BY_ID["user_informed_about_public_prosecution"],
        "open_triggers": case.triggers.filter(resolved_by__isnull=True).count(),
    }
    return render(request, "assessments/assessment_form.html", context)


def _with_references(items: object) -> list[dict[str, object]]:
    """Reasons or actions of an outcome, each with its legal references from the rulebook."""
    lines: list[dict[str, object]] = []
    for item in items if isinstance(items, list) else []:
        basis = [str(ref) for ref in item.get("basis", [])]
        lines.append({**item, "references": selectors.reference_lines(basis)})
    return lines


@require_safe
def assessment_detail(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    user, case = _case(request, case_pk)
    assessment = selectors.assessment_get(user=user, case=case, pk=pk)
    lang = ui_lang()
    outcome, shown_lang = selectors.outcome_for_display(assessment, lang)
    newest = selectors.assessment_newest(case=case)
    context = {
        "case": case,
        "assessment": assessment,
        "is_newest": newest is not None and newest.pk == assessment.pk,
        "newest": newest,
        "factor_rows": [
            (
                factor,
                bool(assessment.factors.get(factor.id)),
                assessment.factor_notes.get(factor.id, ""),
            )
            for factor in FACTORS_BY_ID.values()
        ],
        "snapshot_only": shown_lang != lang,
        "outcome": outcome,
        "reasons": _with_references(outcome.get("reasons")),
        "factor_reasons": selectors.factor_reasons(assessment, outcome, shown_lang),
        "actions": _with_references(outcome.get("actions")),
        "own_view": (own := selectors.user_view_for(assessment=assessment)),
        "own_view_rows": selectors.user_view_rows(own) if own else [],
    }
    return render(request, "assessments/assessment_detail.html", context)


@require_safe
def assessment_history(request: HttpRequest, case_pk: int) -> HttpResponse:
    _, case = _case(request, case_pk)
    return render(
        request,
        "assessments/history.html",
        {"case": case, "lines": selectors.assessment_history(case=case, lang=ui_lang())},
    )


# --------------------------------------------------------------------------- centre settings — G8


def centre_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101
    if not user.is_leader or user.centre_id is None:
        raise PermissionDenied
    current = centre_settings_for(user.centre_id)
    initial = {
        "reassess_days_required": current.reassess_days_required,
        "reassess_days_recommended": current.reassess_days_recommended,
        "reassess_days_not_indicated": current.reassess_days_not_indicated,
    }
    form = CentreSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.centre_settings_update(acting_user=user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Innstillingene er lagret."))
            return redirect("assessments_centre:settings")
    return render(request, "assessments/centre_settings.html", {"form": form})
