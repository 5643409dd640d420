"""A production-configured Vern behind a small TLS-wrapped WSGI server, for the TLS cookie test.

Run as ``python -m tests.security.tls_server CERT KEY`` with VERN_ENV=production and a fresh
VERN_DATA_DIR: it migrates the SQLite database, collects the static files, creates one staff
member with a backup code, binds 127.0.0.1 only (port chosen by the system) and prints one JSON
line (port, username, password, backup code) when it is ready to serve. Not a test module."""

from __future__ import annotations

import json
import socketserver
import ssl
import sys
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

LOOPBACK = "127.0.0.1"
PASSWORD = "en-lang-og-hemmelig-tls-setning"


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Handler(WSGIRequestHandler):
    def get_environ(self) -> dict[str, Any]:
        environ = super().get_environ()
        environ["HTTPS"] = "on"  # the connection is TLS: wsgi.url_scheme is https
        return environ

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        return


def _prepare() -> dict[str, str]:
    import django

    django.setup()
    from django.core.management import call_command

    from vern.accounts import mfa
    from vern.accounts.models import Role, User
    from vern.accounts.models import VernTOTPDevice as TOTPDevice
    from vern.centres.models import Centre, PoliceDistrict

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    centre = Centre.objects.create(
        name="TLS-senteret", municipality="Testby", police_district=PoliceDistrict.OSLO
    )
    user = User(username="tls-ansatt", email="tls@example.invalid", role=Role.ANSATT)
    user.centre = centre
    user.set_password(PASSWORD)
    user.save()
    TOTPDevice.objects.create(user=user, name=mfa.TOTP_NAME, confirmed=True)
    return {
        "username": user.username,
        "password": PASSWORD,
        "backup": mfa.new_backup_codes(user)[0],
    }


def main(cert: str, key: str) -> None:
    account = _prepare()
    from vern.wsgi import application

    server = make_server(LOOPBACK, 0, application, server_class=_Server, handler_class=_Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(json.dumps({"port": server.server_address[1], **account}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
