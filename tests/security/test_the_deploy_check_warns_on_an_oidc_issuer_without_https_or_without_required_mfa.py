"""`vern check --deploy` on the OpenID Connect configuration (issue 18), and the start-up
errors of a configuration that cannot work."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.security.test_production_settings_are_hardened_and_checked_at_start import (
    production_env,
    vern_command,
)
from vern.accounts.oidc_checks import check_oidc


def _ids(settings: Any) -> list[str]:
    return [message.id for message in check_oidc(None)]


@pytest.fixture
def oidc_settings(settings: Any) -> Any:
    settings.VERN_OIDC_ISSUER = "https://login.microsoftonline.com/tenant/v2.0"
    settings.VERN_OIDC_MFA_AMR = ["mfa"]
    settings.VERN_OIDC_MFA_ACR = []
    settings.VERN_OIDC_REQUIRE_MFA = True
    settings.VERN_PASSWORD_LOGIN = False
    return settings


def test_an_https_issuer_with_required_mfa_and_no_passwords_passes(oidc_settings: Any) -> None:
    assert _ids(oidc_settings) == []


def test_without_oidc_there_is_nothing_to_warn_about(settings: Any) -> None:
    settings.VERN_OIDC_ISSUER = ""
    assert _ids(settings) == []


def test_an_http_issuer_warns(oidc_settings: Any) -> None:
    oidc_settings.VERN_OIDC_ISSUER = "http://idp.kommune.no"
    assert _ids(oidc_settings) == ["accounts.W101"]


def test_password_sign_in_off_without_required_mfa_claims_warns(oidc_settings: Any) -> None:
    oidc_settings.VERN_OIDC_REQUIRE_MFA = False
    assert _ids(oidc_settings) == ["accounts.W102"]
    oidc_settings.VERN_PASSWORD_LOGIN = True  # passwords (with Vern's codes) still on: no warning
    assert _ids(oidc_settings) == []


def test_required_mfa_without_any_claim_value_warns(oidc_settings: Any) -> None:
    oidc_settings.VERN_OIDC_MFA_AMR = []
    assert _ids(oidc_settings) == ["accounts.W103"]


def test_vern_check_deploy_names_both_warnings_in_production(tmp_path: Path) -> None:
    secret = tmp_path / "oidc_secret"
    secret.write_text("a-client-secret-from-a-file\n", encoding="utf-8")
    env = production_env(
        tmp_path,
        VERN_OIDC_ISSUER="http://idp.kommune.test",
        VERN_OIDC_CLIENT_ID="vern",
        VERN_OIDC_CLIENT_SECRET_FILE=str(secret),
        VERN_PASSWORD_LOGIN="off",
    )
    result = subprocess.run(
        [*vern_command(), "check", "--deploy", "--tag", "security"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert "accounts.W101" in output, output
    assert "accounts.W102" in output, output


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"VERN_PASSWORD_LOGIN": "off"}, "VERN_PASSWORD_LOGIN=off needs OpenID Connect"),
        ({"VERN_OIDC_ISSUER": "https://idp.test"}, "VERN_OIDC_CLIENT_ID"),
        (
            {"VERN_OIDC_ISSUER": "idp.test", "VERN_OIDC_CLIENT_ID": "v"},
            "VERN_OIDC_ISSUER must be an https:// URL",
        ),
    ],
)
def test_a_configuration_that_cannot_work_stops_start_up_and_names_the_variable(
    tmp_path: Path, overrides: dict[str, str], named: str
) -> None:
    env = production_env(tmp_path, VERN_OIDC_CLIENT_SECRET="s", **overrides)
    result = subprocess.run(
        [*vern_command(), "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "vern: configuration error:" in result.stderr
    assert named in result.stderr
    assert "Traceback" not in result.stderr
