"""`vern check --deploy` names a passkey setting with which no passkey could be made or used
(issue 18): a relying party id that is an IP address or not a host name, no origins, an origin
outside the relying party's domain or not an origin at all; an http:// origin is a warning."""

from __future__ import annotations

import pytest
from pytest_django import Settings

from vern.accounts.passkey_checks import check_passkey_settings


def _ids(settings: Settings, rp_id: str, origins: list[str]) -> list[str]:
    settings.OTP_WEBAUTHN_RP_ID = rp_id
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = origins
    return [message.id or "" for message in check_passkey_settings(None)]


def test_a_host_name_with_its_https_origins_passes(settings: Settings) -> None:
    assert _ids(settings, "vern.example.no", ["https://vern.example.no"]) == []
    assert _ids(settings, "example.no", ["https://vern.example.no:8443"]) == []


@pytest.mark.parametrize("rp_id", ["", "127.0.0.1", "::1", "https://vern.example.no", "a:8000"])
def test_a_relying_party_id_that_is_not_a_host_name_is_an_error(
    settings: Settings, rp_id: str
) -> None:
    assert _ids(settings, rp_id, ["https://vern.example.no"]) == ["accounts.E111"]


@pytest.mark.parametrize(
    ("origins", "expected"),
    [
        ([], ["accounts.E112"]),
        (["https://vern.example.no/konto/"], ["accounts.E113"]),
        (["https://other.example.com"], ["accounts.E114"]),
        (["https://notvern.example.no"], ["accounts.E114"]),
        (["http://vern.example.no"], ["accounts.W115"]),
    ],
    ids=["none", "a-path", "another-domain", "a-lookalike", "http"],
)
def test_origins_that_cannot_work_are_named(
    settings: Settings, origins: list[str], expected: list[str]
) -> None:
    assert _ids(settings, "vern.example.no", origins) == expected
