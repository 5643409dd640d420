"""Issue 15 point 4: every secret (secret key, audit key, OTP key, backup key) must be at least
32 random bytes and distinct from every other; `check --deploy` fails otherwise."""

from __future__ import annotations

import secrets
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.security.test_production_settings_are_hardened_and_checked_at_start import (
    production_env,
    vern_command,
)
from vern.core.checks import check_key_strength, key_weakness

SETTING = {
    "VERN_SECRET_KEY": "SECRET_KEY",
    "VERN_AUDIT_KEY": "VERN_AUDIT_KEY",
    "VERN_OTP_KEY": "VERN_OTP_KEY",
    "VERN_BACKUP_KEY": "VERN_BACKUP_KEY",
}


@pytest.fixture
def strong_keys(settings: Any) -> Any:
    for setting in SETTING.values():
        setattr(settings, setting, secrets.token_urlsafe(32))
    return settings


def problems() -> list[tuple[str, str]]:
    return [(str(m.id), m.msg) for m in check_key_strength(None)]


def test_four_distinct_random_keys_pass(strong_keys: Any) -> None:
    assert problems() == []


@pytest.mark.parametrize("variable", list(SETTING))
@pytest.mark.parametrize(
    "weak",
    ["x", "kort-nøkkel", "a" * 64, "abcdefghijkl" * 5, secrets.token_urlsafe(31)[:42]],
    ids=["one-char", "short", "one-letter-repeated", "repeated-pattern", "42-chars"],
)
def test_a_weak_key_is_refused_and_named(strong_keys: Any, variable: str, weak: str) -> None:
    setattr(strong_keys, SETTING[variable], weak)
    found = problems()
    assert [code for code, _ in found] == ["vern.E020"]
    assert variable in found[0][1]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("VERN_SECRET_KEY", "VERN_AUDIT_KEY"),
        ("VERN_AUDIT_KEY", "VERN_BACKUP_KEY"),
        ("VERN_OTP_KEY", "VERN_SECRET_KEY"),
        ("VERN_BACKUP_KEY", "VERN_OTP_KEY"),
    ],
)
def test_a_key_reused_for_another_secret_is_refused(
    strong_keys: Any, first: str, second: str
) -> None:
    setattr(strong_keys, SETTING[second], getattr(strong_keys, SETTING[first]))
    found = problems()
    assert [code for code, _ in found] == ["vern.E021"]
    assert first in found[0][1]
    assert second in found[0][1]


def test_hex_and_base64url_of_32_random_bytes_are_both_accepted() -> None:
    assert key_weakness(secrets.token_hex(32)) is None
    assert key_weakness(secrets.token_urlsafe(32)) is None


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"VERN_AUDIT_KEY": "x"}, "VERN_AUDIT_KEY is too weak"),
        ({"VERN_BACKUP_KEY": "y" * 40}, "VERN_BACKUP_KEY is too weak"),
        (
            {
                "VERN_AUDIT_KEY": "same-" + "k8Jq2ZrT" * 8,
                "VERN_SECRET_KEY": "same-" + "k8Jq2ZrT" * 8,
            },
            "VERN_SECRET_KEY and VERN_AUDIT_KEY are the same secret",
        ),
    ],
    ids=["audit-key-x", "weak-backup-key", "audit-key-equals-secret-key"],
)
def test_the_deploy_check_of_a_production_start_fails(
    tmp_path: Path, overrides: dict[str, str], expected: str
) -> None:
    result = subprocess.run(
        [*vern_command(), "check", "--deploy"],
        env=production_env(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert expected in output
