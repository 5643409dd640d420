"""Staff management for leaders, centre management for administrators (no case content)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vern.accounts.forms import CentreForm, InviteForm
from vern.accounts.models import Role, User
from vern.accounts.request import request_user
from vern.accounts.services import (
    centre_create,
    invitation_create,
    password_reset_start,
    user_deactivate,
)
from vern.centres.selectors import centre_list, manageable_users


def _user(request: HttpRequest) -> User:
    return request_user(request)


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if _user(request).role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@role_required(Role.LEDER)
def staff(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    people = manageable_users(acting_user=user).order_by("-is_active", "full_name")
    return render(
        request,
        "centres/staff.html",
        {"people": people, "form": InviteForm(inviter=user), "centre": user.centre},
    )


@role_required(Role.ADMINISTRATOR)
def centres(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = CentreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        centre = centre_create(acting_user=user, **form.cleaned_data)
        messages.success(request, _("Krisesenteret %(name)s er opprettet.") % {"name": centre.name})
        return redirect("centres:list")
    return render(
        request,
        "centres/list.html",
        {
            "centres": centre_list(acting_user=user),
            "form": form,
            "invite_form": InviteForm(inviter=user),
            "people": manageable_users(acting_user=user).select_related("centre"),
        },
    )


@role_required(Role.LEDER, Role.ADMINISTRATOR)
def invite(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = InviteForm(request.POST or None, inviter=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _invitation, link = invitation_create(
                acting_user=user,
                email=data["email"],
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                centre=data.get("centre"),
                accept_url_base=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "centres/invited.html", {"link": link, "email": data["email"]})
    return render(request, "centres/invite.html", {"form": form})


@require_POST
@role_required(Role.LEDER, Role.ADMINISTRATOR)
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    target = get_object_or_404(manageable_users(acting_user=user), pk=pk, is_active=True)
    user_deactivate(acting_user=user, user=target)
    messages.success(request, _("Kontoen er deaktivert, og alle øktene er avsluttet."))
    return redirect("centres:list" if user.is_administrator else "centres:staff")


@require_POST
@role_required(Role.LEDER, Role.ADMINISTRATOR)
def start_reset(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    target = get_object_or_404(manageable_users(acting_user=user), pk=pk, is_active=True)
    password_reset_start(acting_user=user, user=target, request=request)
    messages.success(request, _("En lenke for å velge nytt passord er sendt til brukeren."))
    return redirect("centres:list" if user.is_administrator else "centres:staff")
