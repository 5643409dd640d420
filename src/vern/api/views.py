"""The staff member's own API tokens: list, create (after step-up) and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vern.accounts.models import User
from vern.accounts.request import request_user
from vern.accounts.views import step_up_for_export
from vern.api import services
from vern.api.forms import TokenForm
from vern.api.models import ApiToken
from vern.core import clock


def _user(request: HttpRequest) -> User:
    user = request_user(request)
    if not services.may_hold_tokens(user):
        raise PermissionDenied
    return user


def _list(request: HttpRequest, user: User, form: TokenForm, new_raw: str = "") -> HttpResponse:
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": services.api_tokens_of(user=user),
            "now": clock.now(),
            "new_raw": new_raw,
        },
    )


def token_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return _list(request, user, TokenForm())


@step_up_for_export
def token_create(request: HttpRequest) -> HttpResponse:
    """Creating a token needs a fresh one-time code: the token reaches case data."""
    user = _user(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.api_token_create(
                acting_user=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # Shown once, on this response only; it is never stored or shown again.
            return _list(request, user, TokenForm(), new_raw=new.raw)
    return render(request, "api/token_create.html", {"form": form})


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    try:
        token = services.api_token_get(user=user, pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    services.api_token_revoke(acting_user=user, token=token)
    messages.success(request, _("Nøkkelen er trukket tilbake og virker ikke lenger."))
    return redirect("api_tokens:list")
