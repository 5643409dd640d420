"""A real OpenID provider for the OIDC tests: panva's oidc-provider under node, on 127.0.0.1.

One provider process for the whole session (tests/oidc/provider/provider.mjs, two issuers).
Its npm packages are installed by ``npm ci`` from the committed package-lock.json into a new
temporary directory for each test session (never into the source tree). Without node or npm
the tests are skipped with the reason, except under CI=true, where they fail."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from django.test import Client

from vern.accounts import oidc

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
CALLBACK = "http://testserver/konto/kommune/retur/"
AFTER_LOGOUT = "http://testserver/konto/logg-inn/"
CLIENT_ID = "vern"
CLIENT_SECRET = "vern-test-secret-0123456789abcdef"
OTHER_CLIENT_ID = "other-app"
OTHER_CLIENT_SECRET = "other-test-secret-0123456789abcdef"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if PROVIDER_DIR.parent in Path(str(item.fspath)).parents:
            # One worker runs every OIDC test: one provider process.
            item.add_marker(pytest.mark.xdist_group("oidc"))


def unavailable(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: the OIDC tests must run)")
    pytest.skip(message)


@dataclass(frozen=True)
class Provider:
    a: str  # the issuer Vern is configured with
    b: str  # another issuer: other keys, the same clients


PROVIDER_FILES = ("package.json", "package-lock.json", "provider.mjs")


def _install(npm: str, *, fresh_cache: bool) -> tuple[Path, str]:
    """A new directory outside the source tree with the provider's files and ``npm ci`` from
    the committed lockfile in it, and what npm printed on stderr when it failed.

    Never the source tree: CI once ran on a copy of a checkout that held an earlier, incomplete
    node_modules there (koa's lib/ missing), which looked installed and could not be removed.
    With ``fresh_cache`` npm gets an empty cache of its own, so a damaged entry in the user's
    npm cache cannot be extracted again."""
    where = Path(tempfile.mkdtemp(prefix="vern-oidc-provider-"))
    for name in PROVIDER_FILES:
        shutil.copyfile(PROVIDER_DIR / name, where / name)
    command = [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
    if fresh_cache:
        command += ["--prefer-online", "--cache", str(where / ".npm-cache")]
    done = subprocess.run(
        command, cwd=where, capture_output=True, text=True, timeout=300, check=False
    )
    return where, "" if done.returncode == 0 else f"npm ci failed: {done.stderr[-2000:]}"


def _start(node: str, where: Path) -> tuple[subprocess.Popen[str], str] | str:
    """The provider process and its first line (the issuers as JSON), or what it printed on
    stderr when it did not start within 30 seconds."""
    env = {
        **os.environ,
        "VERN_TEST_REDIRECT_URIS": CALLBACK,
        "VERN_TEST_POST_LOGOUT_URIS": AFTER_LOGOUT,
        "NODE_NO_WARNINGS": "1",
    }
    process = subprocess.Popen(
        [node, "provider.mjs"],
        cwd=where,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stdout = process.stdout
    assert stdout is not None
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(stdout.readline()))
    reader.start()
    reader.join(timeout=30)
    if not line or not line[0].strip():
        process.kill()
        _, err = process.communicate(timeout=10)
        return f"node provider.mjs did not start: {err[-2000:]}"
    return process, line[0]


@pytest.fixture(scope="session")
def provider() -> Iterator[Provider]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        unavailable("node and npm are needed for the OpenID provider of the OIDC tests")
    assert node is not None
    assert npm is not None
    problems: list[str] = []
    started: tuple[subprocess.Popen[str], str] | None = None
    where: Path | None = None
    # A second try in a new directory with an empty npm cache when the first install failed
    # or its provider did not start.
    for fresh_cache in (False, True):
        where, problem = _install(npm, fresh_cache=fresh_cache)
        outcome = problem or _start(node, where)
        if not isinstance(outcome, str):
            started = outcome
            break
        problems.append(outcome)
        shutil.rmtree(where, ignore_errors=True)
    if started is None or where is None:
        pytest.fail("the OpenID provider did not start, twice: " + " | ".join(problems))
    process, first = started
    stdin = process.stdin
    assert stdin is not None
    issuers = json.loads(first)
    try:
        yield Provider(a=issuers["a"], b=issuers["b"])
    finally:
        stdin.close()  # the provider exits when its stdin ends
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        shutil.rmtree(where, ignore_errors=True)


@pytest.fixture
def oidc_on(settings: Any, provider: Provider) -> Iterator[Provider]:
    """Vern configured against issuer a, as a deployment's environment would configure it."""
    settings.VERN_OIDC_ISSUER = provider.a
    settings.VERN_OIDC_CLIENT_ID = CLIENT_ID
    settings.VERN_OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.VERN_OIDC_SCOPES = "openid email profile"
    settings.VERN_OIDC_SUBJECT_CLAIM = "sub"
    settings.VERN_OIDC_MFA_AMR = ["mfa"]
    settings.VERN_OIDC_MFA_ACR = []
    settings.VERN_OIDC_REQUIRE_MFA = False
    settings.VERN_OIDC_SIGN_ALGO = "RS256"
    settings.VERN_OIDC_TIMEOUT = 5
    settings.VERN_PASSWORD_LOGIN = True
    oidc.clear_metadata_cache()
    yield provider
    oidc.clear_metadata_cache()


def sign_in_at_provider(authorization_url: str, *, sub: str, amr: str = "", acr: str = "") -> str:
    """What the person does at the provider's pages: follow the authorization request to the
    login form, submit it (the account and the factors used), give consent. Returns the URL the
    provider sends the browser back to (Vern's callback with code, state and iss)."""
    browser = requests.Session()
    url = authorization_url
    submitted = False
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and "<form" in response.text and not submitted:
            response = browser.post(
                url, data={"sub": sub, "amr": amr, "acr": acr}, allow_redirects=False, timeout=10
            )
            submitted = True
        assert response.status_code in {302, 303}, (response.status_code, response.text[:500])
        url = urllib.parse.urljoin(url, response.headers["Location"])
        if url.startswith("http://testserver/"):
            return url
    msg = "the provider never sent the browser back to Vern"
    raise AssertionError(msg)


def start_sign_in(client: Client, path: str = "/konto/kommune/logg-inn/") -> str:
    """Vern's "Logg inn med kommunen": the redirect to the provider's authorization endpoint."""
    response = client.get(path)
    assert response.status_code == 302, (response.status_code, response.content[:500])
    return str(response["Location"])


def local(url: str) -> str:
    """The path and query of a URL of the test server, for Django's test client."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def arrive(client: Client, url: str) -> Any:
    """The browser arriving at Vern's callback. Without Vern's (SameSite=Strict) session cookie
    Vern first answers with a page that continues same-site (a meta refresh); follow it."""
    response = client.get(local(url))
    if response.status_code == 200 and b'http-equiv="refresh"' in response.content:
        continue_url = response.content.decode().split('content="0;url=', 1)[1].split('"', 1)[0]
        response = client.get(continue_url.replace("&amp;", "&"))
    return response
