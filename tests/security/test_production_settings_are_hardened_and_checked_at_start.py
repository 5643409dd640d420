"""Production: the settings module, loaded with VERN_ENV=production, gives cookies that are
Secure, HttpOnly and SameSite (and the responses carry them so); ``vern check --deploy``
passes with no issues; without VERN_SECRET_KEY Vern refuses to start and names the variable."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from http.cookies import Morsel
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from tests.factories import PASSWORD
from vern.accounts.models import User

COOKIE_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "DEBUG",
)


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    # A clean production environment: nothing of the test run's own configuration (the browser
    # tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright, which Django rightly refuses to deploy).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("VERN_") and k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "VERN_ENV": "production",
            "VERN_SECRET_KEY": secrets.token_urlsafe(64),
            "VERN_AUDIT_KEY": secrets.token_urlsafe(32),
            "VERN_OTP_KEY": secrets.token_urlsafe(32),
            "VERN_BACKUP_KEY": secrets.token_urlsafe(32),  # `vern backup` (warned if missing)
            "VERN_ALLOWED_HOSTS": "vern.example.no",
            "VERN_DATA_DIR": str(tmp_path / "data"),
            "DJANGO_SETTINGS_MODULE": "vern.settings",
        }
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def vern_command() -> list[str]:
    script = Path(sys.executable).with_name("vern")
    return [str(script)] if script.exists() else [sys.executable, "-m", "vern.cli"]


@pytest.fixture(scope="module")
def production_values(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The cookie and transport settings as vern.settings computes them in production."""
    code = (
        "import json; from vern import settings as s; "
        f"print(json.dumps({{k: getattr(s, k) for k in {COOKIE_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=production_env(tmp_path_factory.mktemp("prod")),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    values: dict[str, object] = json.loads(result.stdout)
    return values


def test_production_settings_ask_for_secure_cookies_hsts_and_https(
    production_values: dict[str, object],
) -> None:
    assert production_values["SESSION_COOKIE_SECURE"] is True
    assert production_values["CSRF_COOKIE_SECURE"] is True
    assert production_values["LANGUAGE_COOKIE_SECURE"] is True
    assert production_values["SESSION_COOKIE_HTTPONLY"] is True
    assert production_values["CSRF_COOKIE_HTTPONLY"] is True
    assert production_values["SESSION_COOKIE_SAMESITE"] in {"Strict", "Lax"}
    assert production_values["CSRF_COOKIE_SAMESITE"] in {"Strict", "Lax"}
    assert int(str(production_values["SECURE_HSTS_SECONDS"])) >= 31536000
    assert production_values["SECURE_SSL_REDIRECT"] is True
    assert production_values["DEBUG"] is False


def _assert_flags(morsel: Morsel[str], name: str) -> None:
    assert morsel["secure"], f"{name} cookie without Secure"
    assert morsel["httponly"], f"{name} cookie without HttpOnly"
    assert morsel["samesite"] in {"Strict", "Lax"}, f"{name} cookie without SameSite"


def test_session_csrf_and_language_cookies_carry_the_flags(
    production_values: dict[str, object], settings: Settings, ansatt: User
) -> None:
    for key in COOKIE_SETTINGS:
        if key.endswith(("_SECURE", "_HTTPONLY", "_SAMESITE")) and key.startswith(
            ("SESSION_", "CSRF_", "LANGUAGE_")
        ):
            setattr(settings, key, production_values[key])
    client = Client()

    csrf = client.get(reverse("accounts:login"), secure=True).cookies
    login = client.post(
        reverse("accounts:login"),
        {"username": ansatt.username, "password": PASSWORD},
        secure=True,
    ).cookies
    language = client.post(reverse("set_language"), {"language": "en"}, secure=True).cookies

    _assert_flags(csrf[settings.CSRF_COOKIE_NAME], "CSRF")
    _assert_flags(login[settings.SESSION_COOKIE_NAME], "session")
    _assert_flags(language[settings.LANGUAGE_COOKIE_NAME], "language")


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`vern collectstatic` run once, as a deployment does before `vern serve`."""
    root = tmp_path_factory.mktemp("static")
    env = production_env(tmp_path_factory.mktemp("collect"), VERN_STATIC_ROOT=str(root))
    subprocess.run(
        [*vern_command(), "collectstatic", "--noinput", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return root


def test_check_deploy_passes_with_no_issues(tmp_path: Path, collected_static: Path) -> None:
    result = subprocess.run(
        [*vern_command(), "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path, VERN_STATIC_ROOT=str(collected_static)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output


@pytest.mark.parametrize("variable", ["VERN_SECRET_KEY", "VERN_AUDIT_KEY", "VERN_OTP_KEY"])
def test_without_a_secret_production_refuses_to_start_and_names_it(
    tmp_path: Path, variable: str
) -> None:
    result = subprocess.run(
        [*vern_command(), "check", "--deploy"],
        env=production_env(tmp_path, **{variable: None}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("vern: configuration error: "), result.stderr
    assert variable in result.stderr
    assert "Traceback" not in result.stderr


def test_a_short_secret_key_fails_the_deploy_check(tmp_path: Path) -> None:
    result = subprocess.run(
        [*vern_command(), "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path, VERN_SECRET_KEY="kort"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_check_deploy_fails_without_collected_static_files_and_names_collectstatic(
    tmp_path: Path,
) -> None:
    result = subprocess.run(
        [*vern_command(), "check", "--deploy"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "ops.E001" in output
    assert "vern collectstatic" in output


def test_the_web_server_refuses_to_start_without_collected_static_files(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import vern.wsgi"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode != 0
    assert "vern collectstatic" in result.stderr


def test_the_web_server_starts_with_collected_static_files(
    tmp_path: Path, collected_static: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import vern.wsgi"],
        env=production_env(tmp_path, VERN_STATIC_ROOT=str(collected_static)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("hosts", ["*", "vern.example.no,*", "*.example.no"])
def test_a_wildcard_allowed_host_stops_production_start_up(tmp_path: Path, hosts: str) -> None:
    result = subprocess.run(
        [*vern_command(), "check", "--deploy"],
        env=production_env(tmp_path, VERN_ALLOWED_HOSTS=hosts),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 2, result.stdout + result.stderr
    assert "VERN_ALLOWED_HOSTS" in result.stderr
    assert "Traceback" not in result.stderr
