"""A real OpenID provider for the OIDC tests: panva's oidc-provider under node, on 127.0.0.1.

One provider process for the whole session (tests/oidc/provider/provider.mjs, two issuers).
Its npm packages are installed by ``npm ci`` from the committed package-lock.json into
tests/oidc/provider/node_modules (ignored by git) when missing. Without node or npm the tests
are skipped with the reason, except under CI=true, where they fail."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
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


def _provider_installed() -> bool:
    """Whether npm ci finished: its hidden lockfile and the package's entry point are there."""
    modules = PROVIDER_DIR / "node_modules"
    return (modules / ".package-lock.json").is_file() and (
        modules / "oidc-provider" / "lib" / "index.js"
    ).is_file()


def _install_provider(npm: str) -> None:
    """``npm ci`` from the committed lockfile, again from scratch if an install failed or left
    the tree incomplete (both seen in CI: the package's files cut off after its licence; npm
    finding cached tarball data "corrupted" and then failing to enter a directory it was
    extracting). Between attempts ``npm cache verify`` drops bad cache entries."""
    problem = ""
    for attempt in range(3):
        if _provider_installed():
            return
        if attempt:
            subprocess.run(
                [npm, "cache", "verify"],
                cwd=PROVIDER_DIR,
                capture_output=True,
                timeout=120,
                check=False,
            )
        shutil.rmtree(PROVIDER_DIR / "node_modules", ignore_errors=True)
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=PROVIDER_DIR,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        problem = "" if done.returncode == 0 else done.stderr[-2000:]
    if problem:
        unavailable(f"npm ci in {PROVIDER_DIR} failed three times: {problem}")
    if not _provider_installed():
        unavailable(f"npm ci in {PROVIDER_DIR} left oidc-provider incomplete")


def _start(node: str) -> tuple[subprocess.Popen[str], str] | str:
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
        cwd=PROVIDER_DIR,
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
        return str(err[-2000:])
    return process, line[0]


@pytest.fixture(scope="session")
def provider() -> Iterator[Provider]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        unavailable("node and npm are needed for the OpenID provider of the OIDC tests")
    assert node is not None
    assert npm is not None
    _install_provider(npm)
    started = _start(node)
    if isinstance(started, str):
        # Once in CI node could not resolve the freshly installed package: install it again
        # from scratch and start once more before giving up.
        shutil.rmtree(PROVIDER_DIR / "node_modules", ignore_errors=True)
        _install_provider(npm)
        started = _start(node)
    if isinstance(started, str):
        pytest.fail(f"the OpenID provider did not start: {started}")
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
