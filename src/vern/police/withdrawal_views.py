"""The page that withdraws a consent (C1), under the consent pages' address and URL name
(``consent:withdraw``, see ``vern.urls``).

It lives here, above consent, because the withdrawal reaches the police contacts that rest on
the consent (``vern.police.withdrawal``). Thin like the other consent pages, whose helpers it
uses: the selector scopes the consent to the user's centre (404 otherwise), the workflow
enforces the rules and writes the audit events."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from vern.consent.forms import WithdrawForm
from vern.consent.views import _add_errors, _consent, _recipient_label
from vern.police.withdrawal import consent_withdraw_with_contacts


def consent_withdraw(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """C1: withdrawal binds from the moment she withdrew (default now; staff may record an
    earlier one) and is final, also on a closed case. Police contacts under the consent at or
    after that moment are listed on the confirmation page (and got a deviation)."""
    user, case, consent = _consent(request, case_pk, pk)
    if consent.withdrawn_at is not None:
        messages.info(request, _("Samtykket er allerede trukket tilbake."))
        return redirect("cases:detail", pk=case.pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = consent_withdraw_with_contacts(
                acting_user=user,
                consent=consent,
                withdrawn_at=form.cleaned_data["withdrawn_at"],
                manner=form.cleaned_data["manner"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if result.contacts_after:
                # Not a redirect: the list is the point of this page (a reload of it finds
                # the consent withdrawn and goes back to the case).
                return render(
                    request,
                    "consent/withdrawn.html",
                    {
                        "case": case,
                        "consent": result.consent,
                        "recipient": _recipient_label(result.consent),
                        "contacts": result.contacts_after,
                        "deviations_opened": result.deviations_opened,
                    },
                )
            messages.success(
                request,
                _(
                    "Samtykket er trukket tilbake fra %(moment)s. Opplysninger kan ikke lenger "
                    "deles med grunnlag i det."
                )
                % {
                    "moment": formats.date_format(
                        timezone.localtime(result.consent.withdrawn_at), "DATETIME_FORMAT"
                    )
                },
            )
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "consent/withdraw.html",
        {
            "case": case,
            "form": form,
            "consent": consent,
            "recipient": _recipient_label(consent),
        },
    )
