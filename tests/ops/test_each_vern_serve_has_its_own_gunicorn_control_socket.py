"""`vern serve` hands gunicorn a control socket of its own, under VERN_DATA_DIR and named
after the bind address, instead of gunicorn's default ~/.gunicorn/gunicorn.ctl that every
instance of the same OS user would take over (issue 15 point 8)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django import Settings

from vern.ops.management.commands import serve

# vern serve applies a new rulebook version to the open cases before it starts (issue 13).
pytestmark = pytest.mark.django_db


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A data directory with a short path, as /var/lib/vern is (pytest's tmp_path can be
    longer than a Unix socket path may be)."""
    path = Path(tempfile.mkdtemp(prefix="vs-", dir="/tmp"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _argv(monkeypatch: pytest.MonkeyPatch, *args: str) -> list[str]:
    seen: list[list[str]] = []
    monkeypatch.setattr(serve.os, "execvp", lambda file, argv: seen.append(list(argv)))
    call_command("serve", *args)
    return seen[0]


def _socket(argv: list[str]) -> str | None:
    if "--no-control-socket" in argv:
        return None
    return argv[argv.index("--control-socket") + 1]


def test_two_instances_get_two_sockets_under_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, short_dir: Path
) -> None:
    tmp_path = short_dir
    settings.DATA_DIR = tmp_path
    first = _socket(_argv(monkeypatch, "--bind", "127.0.0.1:8000"))
    second = _socket(_argv(monkeypatch, "--bind", "127.0.0.1:8001"))

    assert first is not None
    assert second is not None
    assert first != second
    assert Path(first).parent == tmp_path / "run"
    assert (tmp_path / "run").stat().st_mode & 0o777 == 0o700
    assert ".gunicorn" not in first


def test_another_data_dir_gets_another_socket_for_the_same_bind(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, short_dir: Path
) -> None:
    tmp_path = short_dir
    settings.DATA_DIR = tmp_path / "a"
    first = _socket(_argv(monkeypatch, "--bind", "127.0.0.1:8000"))
    settings.DATA_DIR = tmp_path / "b"
    second = _socket(_argv(monkeypatch, "--bind", "127.0.0.1:8000"))

    assert first is not None
    assert first != second


def test_a_data_dir_too_deep_for_a_socket_disables_the_control_socket(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path / ("d" * 120)
    argv = _argv(monkeypatch)

    assert _socket(argv) is None
    assert "--control-socket" not in argv
