"""Issue 15 point 9: Vern in production settings, served over a real TLS connection (a
self-signed certificate made here, a server on 127.0.0.1 only), sets its CSRF, session and
language cookies with Secure, HttpOnly and SameSite, sends HSTS, and gives the session a new
key when MFA completes, all as a browser sees it on the wire."""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import json
import re
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.security.test_production_settings_are_hardened_and_checked_at_start import (
    production_env,
)

LOOPBACK = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[2]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
START_TIMEOUT = 180


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOOPBACK)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: str

    def cookies(self) -> dict[str, str]:
        """Each Set-Cookie header by cookie name (the raw header, to read its flags)."""
        found: dict[str, str] = {}
        for name, value in self.headers:
            if name.lower() == "set-cookie":
                found[value.split("=", 1)[0].strip()] = value
        return found

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")


@dataclass
class Browser:
    """A minimal browser over TLS that trusts only the test's certificate."""

    port: int
    context: ssl.SSLContext
    jar: dict[str, str]

    @property
    def origin(self) -> str:
        return f"https://{LOOPBACK}:{self.port}"

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        connection = http.client.HTTPSConnection(
            LOOPBACK, self.port, context=self.context, timeout=60
        )
        headers = {"Host": f"{LOOPBACK}:{self.port}"}
        if self.jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers.update({
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + path,
            })  # fmt: skip
        try:
            connection.request(method, path, body=body, headers=headers)
            assert isinstance(connection.sock, ssl.SSLSocket)  # a real TLS connection
            assert connection.sock.version() in {"TLSv1.2", "TLSv1.3"}
            raw = connection.getresponse()
            response = Response(raw.status, raw.getheaders(), raw.read().decode("utf-8"))
        finally:
            connection.close()
        for header in response.cookies().values():
            morsel = SimpleCookie(header)
            for name, value in morsel.items():
                self.jar[name] = value.value
        return response


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Browser, dict[str, str]]]:
    directory = tmp_path_factory.mktemp("tls")
    cert, key = _self_signed(directory)
    env = production_env(directory, VERN_ALLOWED_HOSTS=LOOPBACK)
    env["PYTHONPATH"] = f"{ROOT / 'src'}:{ROOT}"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.security.tls_server", str(cert), str(key)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            process.wait(timeout=START_TIMEOUT)
            stderr = process.stderr.read() if process.stderr else ""
            pytest.fail(f"the TLS server did not start: {stderr[-2000:]}")
        account = json.loads(line)
        context = ssl.create_default_context(cafile=str(cert))
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        yield Browser(int(account["port"]), context, {}), account
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def _assert_flags(header: str, name: str) -> None:
    parts = [p.strip().lower() for p in header.split(";")]
    assert "secure" in parts, f"{name} cookie without Secure over TLS: {header}"
    assert "httponly" in parts, f"{name} cookie without HttpOnly: {header}"
    assert {"samesite=strict", "samesite=lax"} & set(parts), f"{name} without SameSite: {header}"


@pytest.fixture(scope="module")
def walk(server: tuple[Browser, dict[str, str]]) -> dict[str, Response]:
    """Login page, password, backup code, language: every cookie Vern sets on the way."""
    browser, account = server
    steps: dict[str, Response] = {}
    steps["login_page"] = browser.request("GET", "/konto/logg-inn/")
    token = CSRF_FIELD.search(steps["login_page"].body)
    assert token is not None, steps["login_page"].status
    steps["password"] = browser.request(
        "POST",
        "/konto/logg-inn/",
        {"csrfmiddlewaretoken": token.group(1), "username": account["username"],
         "password": account["password"]},
    )  # fmt: skip
    mfa_page = browser.request("GET", "/konto/mfa/")
    token = CSRF_FIELD.search(mfa_page.body)
    assert token is not None, mfa_page.status
    steps["mfa"] = browser.request(
        "POST", "/konto/mfa/", {"csrfmiddlewaretoken": token.group(1), "code": account["backup"]}
    )
    home = browser.request("GET", "/")
    steps["home"] = home
    token = CSRF_FIELD.search(home.body)
    assert token is not None, home.status
    steps["language"] = browser.request(
        "POST", "/i18n/setlang/", {"csrfmiddlewaretoken": token.group(1), "language": "en"}
    )
    return steps


def test_the_server_listens_on_the_loopback_address_only(
    server: tuple[Browser, dict[str, str]],
) -> None:
    browser, _account = server
    assert browser.origin.startswith(f"https://{LOOPBACK}:")


def test_the_login_page_sets_a_secure_httponly_samesite_csrf_cookie(
    walk: dict[str, Response],
) -> None:
    page = walk["login_page"]

    assert page.status == 200
    cookies = page.cookies()
    assert cookies, "no cookie on the login page"
    for name, header in cookies.items():
        _assert_flags(header, name)


def test_the_session_cookie_of_a_login_is_secure_httponly_and_samesite(
    walk: dict[str, Response],
) -> None:
    response = walk["password"]

    assert response.status == 302, response.body[:500]
    assert response.header("Location").startswith("/konto/mfa/")
    assert "vern_session" in response.cookies()
    _assert_flags(response.cookies()["vern_session"], "session")


def test_completing_mfa_sends_a_new_session_cookie_with_the_flags(
    walk: dict[str, Response],
) -> None:
    before = SimpleCookie(walk["password"].cookies()["vern_session"])["vern_session"].value
    response = walk["mfa"]

    assert response.status == 302, response.body[:500]
    header = response.cookies().get("vern_session", "")
    assert header, "MFA completed without a new session cookie"
    _assert_flags(header, "session")
    assert SimpleCookie(header)["vern_session"].value != before
    assert walk["home"].status == 200


def test_the_language_cookie_has_the_flags(walk: dict[str, Response]) -> None:
    cookies = walk["language"].cookies()

    language = [header for name, header in cookies.items() if "lang" in name]
    assert language, f"no language cookie: {list(cookies)}"
    for header in language:
        _assert_flags(header, "language")


def test_every_response_over_tls_sends_hsts(walk: dict[str, Response]) -> None:
    for step, response in walk.items():
        hsts = response.header("Strict-Transport-Security")
        assert "max-age=" in hsts, step
        assert int(hsts.split("max-age=", 1)[1].split(";", 1)[0]) >= 31536000, step
