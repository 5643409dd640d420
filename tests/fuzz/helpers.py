"""Shared helpers of the fuzz and benchmark tests (issue 9)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from vern.accounts import mfa
from vern.accounts.models import User
from vern.bench.seed import BENCH_PASSWORD


def login_seeded(client: Client, user: User) -> Client:
    """Log a seeded account in through the real pages: password, then a fresh backup code."""
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": BENCH_PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    response = client.post(reverse("accounts:mfa"), {"code": mfa.new_backup_codes(user)[0]})
    assert response.status_code == 302, response.content[:300]
    return client
