#!/usr/bin/env python3
"""Two-node drill (issue 20): two `vern serve` against one PostgreSQL, one is SIGKILLed mid-write.

1. A throwaway database ``vern_nodes_<random>`` (the role needs CREATEDB) is migrated, and a
   centre with one staff account per client, each with an informed case and a consent, is
   made through Vern's own services.
2. Two ``vern serve`` instances (node A and node B) start on two free loopback ports, each with
   its own ``VERN_DATA_DIR`` and the same keys from the environment: nothing else is shared.
3. Each client logs in with its password on one node and gives its MFA code on the other, then
   works in rounds, alternating nodes as a load balancer would: it creates a case on one node
   (a write; acknowledged by the 302 to the new case), uploads a signed consent form (a PNG,
   a write) on one node, opens the case page and downloads the newest form on the other (the
   download needs the step-up of the login: sessions are in the database, so it holds).
4. In round ``--kill-round`` a timer SIGKILLs the whole process group of node A (master and
   workers) a few milliseconds into the round, while writes are in flight. The clients then do
   what a load balancer with a ``/healthz`` check does: send everything to node B.
5. Checks: every acknowledged case and upload is in the database; every stored form's bytes
   are in the database with the checksum of their upload (``vern files verify``) and no file
   of a case is in either node's data folder; every download returned the bytes of a stored
   form; the audit chain verifies with its checkpoints; node B answered every request after
   the kill as expected (no error).
6. With ``--backup`` (the default): node B stops; ``vern backup`` (node A's data folder), the
   database is dropped and made again empty, both data folders are wiped, ``vern restore``
   (node B's data folder) — every table's rows and checksums, and every stored form's
   checksum, are the same as before the backup, and the chain verifies.

It prints requests per node, kills, acknowledged writes and ``lost: 0``; exit status 1 on any
problem. Only 127.0.0.1 traffic; every loop is bounded; both servers are stopped at the end.

    DATABASE_URL=postgres://vern:vern@127.0.0.1:5432/vern \\
        .venv/bin/python scripts/node_drill.py [--clients 4] [--rounds 8] [--kill-round 3]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DOWNLOAD_LINK = re.compile(r'href="(/saker/\d+/samtykke/\d+/signert-skjema/(\d+)/)"')
PASSWORD = "node-drill-" + "p" * 20


# --------------------------------------------------------------------------- environment


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _environment(base_url: str, scratch: str, data_dir: Path) -> dict[str, str]:
    parts = urlsplit(base_url)
    return {
        "DJANGO_SETTINGS_MODULE": "vern.settings",
        "DATABASE_URL": parts._replace(path=f"/{scratch}").geturl(),
        "VERN_DATA_DIR": str(data_dir),
        "VERN_ENV": "development",
        "VERN_DEBUG": "0",
        "VERN_ALLOWED_HOSTS": "127.0.0.1",
        # What every node needs from the environment: the same keys (docs/operations.md).
        "VERN_SECRET_KEY": "node-drill-secret-" + secrets.token_urlsafe(40),
        "VERN_AUDIT_KEY": "node-drill-audit-" + secrets.token_urlsafe(40),
        "VERN_OTP_KEY": "node-drill-otp-" + secrets.token_urlsafe(40),
        "VERN_BACKUP_KEY": "node-drill-backup-" + secrets.token_urlsafe(40),
        "VERN_AUDIT_CHECKPOINT_EVERY": "20",
        "VERN_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
    }


def _vern(
    env: dict[str, str], *args: str, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vern.cli", *args],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Node:
    name: str
    port: int
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    requests: int = 0
    after_kill: int = 0
    dead: bool = False
    workers: int = 1

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "vern.cli",
                "serve",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
            ],
            env={**os.environ, **self.env},
            cwd=ROOT,
            start_new_session=True,  # its own process group: the kill takes every worker
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def healthy(self) -> bool:
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        return False

    def wait_healthy(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.healthy():
                return
            if self.process is not None and self.process.poll() is not None:
                break
            time.sleep(0.2)
        msg = f"node {self.name} did not answer /healthz"
        raise RuntimeError(msg)

    def kill(self) -> None:
        """SIGKILL the master and every worker at once (a node dies)."""
        self.dead = True
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


# --------------------------------------------------------------------------- the clients


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    killed_at: float | None = None
    acked_cases: list[str] = field(default_factory=list)
    acked_uploads: dict[int, int] = field(default_factory=dict)  # consent id -> acknowledged
    downloads: list[str] = field(default_factory=list)  # sha256 of every downloaded form
    failed_before_kill_node: int = 0  # requests to the killed node that got no answer
    problems: list[str] = field(default_factory=list)
    problems_after_kill: int = 0  # unexpected answers of the survivor after the kill
    armed: bool = False  # the kill round has begun
    write_sent_to_a: threading.Event = field(default_factory=threading.Event)
    chain: str = ""


class Client:
    """One staff member's browser, behind a load balancer that alternates nodes."""

    def __init__(self, nodes: list[Node], tally: Tally) -> None:
        self.nodes = nodes
        self.tally = tally
        self.cookies: dict[str, str] = {}

    def _pick(self, preferred: Node) -> Node:
        # The load balancer's health check: a dead node gets nothing.
        if preferred.dead:
            return next(n for n in self.nodes if not n.dead)
        return preferred

    def request(
        self,
        node: Node,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        body: bytes | None = None,
        content_type: str = "",
    ) -> tuple[int, bytes, dict[str, str], Node] | None:
        target = self._pick(node)
        headers = {"Host": f"127.0.0.1:{target.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urlencode(form).encode()
            content_type = "application/x-www-form-urlencoded"
        if content_type:
            headers["Content-Type"] = content_type
        after_kill = self.tally.killed_at is not None and not target.dead
        try:
            conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=60)
            conn.request(method, path, body=body, headers=headers)
            if method == "POST" and self.tally.armed and target is self.nodes[0]:
                self.tally.write_sent_to_a.set()  # the kill lands during this write
            response = conn.getresponse()
            data = response.read()
            conn.close()
        except (OSError, http.client.HTTPException):
            if target.dead:
                with self.tally.lock:
                    self.tally.failed_before_kill_node += 1
                return None  # in flight on the node that died: never acknowledged
            raise
        with self.tally.lock:
            target.requests += 1
            if after_kill:
                target.after_kill += 1
        for header in response.msg.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        return response.status, data, dict(response.getheaders()), target

    def expect(self, result: Any, status: int, what: str) -> bool:
        """A request that reached a live node must give the expected status."""
        if result is None:
            return False
        got, _data, _headers, target = result
        if got != status:
            with self.tally.lock:
                if self.tally.killed_at is not None:
                    self.tally.problems_after_kill += 1
                self.tally.problems.append(
                    f"{what} on node {target.name}: {got}, expected {status}"
                )
            return False
        return True

    def csrf(self, html: bytes) -> str:
        match = CSRF_INPUT.search(html.decode("utf-8", "replace"))
        return match.group(1) if match else self.cookies.get("csrftoken", "")


def _png(seed: str) -> bytes:
    from PIL import Image

    digest = hashlib.sha256(seed.encode()).digest()
    image = Image.new("RGB", (24, 16), (digest[0], digest[1], digest[2]))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _multipart(csrf: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{csrf}\r\n".encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="signed_file"; '
        f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'.encode()
        + content
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _login(client: Client, first: Node, second: Node, username: str, code: str) -> bool:
    """Password on one node, the MFA code on the other."""
    page = client.request(first, "GET", "/konto/logg-inn/")
    if page is None:
        return False
    posted = client.request(
        first,
        "POST",
        "/konto/logg-inn/",
        form={
            "csrfmiddlewaretoken": client.csrf(page[1]),
            "username": username,
            "password": PASSWORD,
        },
    )
    if not client.expect(posted, 302, "login"):
        return False
    page = client.request(second, "GET", "/konto/mfa/")
    if page is None:
        return False
    verified = client.request(
        second,
        "POST",
        "/konto/mfa/",
        form={"csrfmiddlewaretoken": client.csrf(page[1]), "code": code},
    )
    return client.expect(verified, 302, "mfa")


def _round(client: Client, one: Node, other: Node, seat: dict[str, Any], n: int) -> None:
    tally = client.tally
    # A write on one node: a new case.
    page = client.request(one, "GET", "/saker/ny/")
    if client.expect(page, 200, "case form") and page is not None:
        reference = f"N-{seat['index']}-{n}-{secrets.token_hex(2)}"
        created = client.request(
            one,
            "POST",
            "/saker/ny/",
            form={
                "csrfmiddlewaretoken": client.csrf(page[1]),
                "reference": reference,
                "language": "nb",
                "responsible": str(seat["user_id"]),
            },
        )
        if client.expect(created, 302, "case create"):
            with tally.lock:
                tally.acked_cases.append(reference)
    # A write on the other node: the signed consent form.
    upload_path = f"/saker/{seat['case_id']}/samtykke/{seat['consent_id']}/signert-skjema/"
    page = client.request(other, "GET", upload_path)
    if client.expect(page, 200, "upload form") and page is not None:
        body, content_type = _multipart(
            client.csrf(page[1]), "skann.png", _png(f"{seat['index']}-{n}")
        )
        uploaded = client.request(other, "POST", upload_path, body=body, content_type=content_type)
        if client.expect(uploaded, 302, "upload"):
            with tally.lock:
                tally.acked_uploads[seat["consent_id"]] = (
                    tally.acked_uploads.get(seat["consent_id"], 0) + 1
                )
    # Reads on the first node again: the case page, then the newest form.
    page = client.request(one, "GET", f"/saker/{seat['case_id']}/")
    if client.expect(page, 200, "case page") and page is not None:
        links = DOWNLOAD_LINK.findall(page[1].decode("utf-8", "replace"))
        if links:
            newest = max(links, key=lambda link: int(link[1]))[0]
            got = client.request(one, "GET", newest)
            if client.expect(got, 200, "download") and got is not None:
                with tally.lock:
                    tally.downloads.append(hashlib.sha256(got[1]).hexdigest())


def _client_thread(
    nodes: list[Node], tally: Tally, seat: dict[str, Any], rounds: int, start: threading.Barrier
) -> None:
    client = Client(nodes, tally)
    a, b = nodes if seat["index"] % 2 == 0 else nodes[::-1]
    try:
        if not _login(client, a, b, seat["username"], seat["code"]):
            with tally.lock:
                tally.problems.append(f"client {seat['index']}: login failed")
            return
        for n in range(rounds):
            start.wait(timeout=120)
            one, other = (a, b) if n % 2 == 0 else (b, a)
            _round(client, one, other, seat, n)
    except Exception as exc:  # noqa: BLE001 (reported as a problem of the drill)
        with tally.lock:
            tally.problems.append(f"client {seat['index']}: {type(exc).__name__}: {exc}")
        with contextlib.suppress(threading.BrokenBarrierError):
            start.abort()


# --------------------------------------------------------------------------- in-process checks


def _django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _seed(clients: int) -> list[dict[str, Any]]:
    from vern.accounts import mfa, otp_secrets
    from vern.accounts.models import Role, User, VernTOTPDevice
    from vern.cases.services import case_create
    from vern.centres.models import Centre
    from vern.centres.tenancy import system_scope
    from vern.consent import services as consent_services

    seats = []
    with system_scope():
        centre = Centre.objects.create(name="Drill senter")
        for index in range(clients):
            user = User.objects.create(
                username=f"node-drill-{index}",
                role=Role.ANSATT,
                centre=centre,
                full_name=f"Drill {index}",
            )
            user.set_password(PASSWORD)
            user.save()
            # Enrolled: an authenticator (its secret encrypted with VERN_OTP_KEY) and backup
            # codes; the drill signs in with a backup code.
            VernTOTPDevice.objects.create(
                user=user,
                name=mfa.TOTP_NAME,
                confirmed=True,
                key=otp_secrets.encrypt_totp_key(secrets.token_hex(20), user_id=user.pk),
            )
            case = case_create(acting_user=user, reference=f"D-{index}")
            consent_services.information_record(
                acting_user=user, case=case, kind="public_prosecution", language="nb"
            )
            consent = consent_services.consent_create(
                acting_user=user,
                case=case,
                recipient_kind="police",
                police_district="oslo",
                recipient_unit="Familievoldskoordinator",
                purpose="Vurdere sikkerhetstiltak",
                categories=["identity", "violence"],
                form="verbal",
                written_method="",
                signed_by_name="",
                signature_confirmed=False,
                verbal_witness="Kollega",
                verbal_reason="Brukeren var på telefon",
            )
            seats.append(
                {
                    "index": index,
                    "username": user.username,
                    "user_id": user.pk,
                    "code": mfa.new_backup_codes(user)[0],
                    "case_id": case.pk,
                    "consent_id": consent.pk,
                }
            )
    return seats


def _state() -> dict[str, Any]:
    """Every table's rows and checksum, every stored form's checksum, the chain."""
    from django.db import connection, transaction

    from vern.audit.verify import verify_log
    from vern.centres.tenancy import system_scope
    from vern.consent.models import SignedConsentFile, SignedConsentFileContent
    from vern.ops.tables import table_checksums

    with transaction.atomic(), connection.cursor() as cursor:
        sums = {t: s.to_json() for t, s in table_checksums(cursor, "postgresql").items()}
    sums.pop("vern_cache", None)  # a cache, not data
    with system_scope():
        files = {
            pk: (sha, hashlib.sha256(bytes(content)).hexdigest())
            for pk, sha, content in SignedConsentFileContent.objects.values_list(
                "signed_file_id", "signed_file__sha256", "content"
            )
        }
        signed = set(SignedConsentFile.objects.values_list("pk", flat=True))
    connection.close()
    result = verify_log()
    connection.close()
    return {"tables": sums, "files": files, "signed": signed, "chain": result}


def _disk_files(data_dir: Path) -> list[str]:
    media = data_dir / "files"
    return [str(p) for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _check(
    tally: Tally, seats: list[dict[str, Any]], data_dirs: list[Path]
) -> tuple[list[str], int]:
    """The problems, and how many acknowledged writes are lost."""
    from django.db import connection

    from vern.cases.models import Case
    from vern.centres.tenancy import system_scope
    from vern.consent.filestore import verify_stored
    from vern.consent.models import SignedConsentFile

    problems = list(tally.problems)
    with system_scope():
        references = set(Case.objects.values_list("reference", flat=True))
        counts = {
            seat["consent_id"]: SignedConsentFile.objects.filter(
                consent_id=seat["consent_id"]
            ).count()
            for seat in seats
        }
    lost_cases = [r for r in tally.acked_cases if r not in references]
    problems += [f"acknowledged case {r} is missing" for r in lost_cases]
    lost = len(lost_cases)
    for consent_id, acked in tally.acked_uploads.items():
        if counts.get(consent_id, 0) < acked:
            lost += acked - counts.get(consent_id, 0)
            problems.append(
                f"consent {consent_id}: {acked} uploads acknowledged, {counts[consent_id]} stored"
            )
    stored = verify_stored()
    problems += stored.problems
    connection.close()
    state = _state()
    shas = {sha for sha, _actual in state["files"].values()}
    problems += [
        f"signed consent file {pk}: stored bytes differ from the upload's checksum"
        for pk, (sha, actual) in state["files"].items()
        if sha != actual
    ]
    problems += [
        f"a download returned bytes of no stored form ({sha[:12]})"
        for sha in tally.downloads
        if sha not in shas
    ]
    for data_dir in data_dirs:
        problems += [f"a case file on a node's own disk: {p}" for p in _disk_files(data_dir)]
    if not state["chain"].ok:
        problems.append(f"audit chain: {state['chain'].message}")
    else:
        tally.chain = state["chain"].message
    return problems, lost


def _backup_wipe_restore(
    base_url: str, scratch: str, envs: list[dict[str, str]], data_dirs: list[Path]
) -> tuple[list[str], dict[str, Any]]:
    from django.db import connection

    problems: list[str] = []
    before = _state()
    archive = data_dirs[0].parent / "two-nodes.vernbk"
    made = _vern(envs[0], "backup", "--output", str(archive))
    if made.returncode != 0:
        return [f"vern backup failed: {made.stderr.strip()[-400:]}"], {}
    connection.close()
    _pg_admin(base_url, f'DROP DATABASE "{scratch}" WITH (FORCE)')
    _pg_admin(base_url, f'CREATE DATABASE "{scratch}"')
    for data_dir in data_dirs:
        shutil.rmtree(data_dir / "files", ignore_errors=True)
        shutil.rmtree(data_dir / "audit-checkpoints", ignore_errors=True)
    restored = _vern(envs[1], "restore", str(archive), "--yes")
    if restored.returncode != 0:
        problems.append(f"vern restore exit {restored.returncode}: {restored.stdout[-400:]}")
    after = _state()
    if after["tables"] != before["tables"]:
        differ = sorted(
            t
            for t in set(before["tables"]) | set(after["tables"])
            if before["tables"].get(t) != after["tables"].get(t)
        )
        problems.append(f"tables differ after restore: {', '.join(differ)}")
    if after["files"] != before["files"]:
        problems.append("stored forms differ after restore")
    if not after["chain"].ok:
        problems.append(f"audit chain after restore: {after['chain'].message}")
    from vern.consent.filestore import verify_stored

    problems += [f"after restore: {p}" for p in verify_stored().problems]
    problems += [f"after restore, on a node's disk: {p}" for d in data_dirs for p in _disk_files(d)]
    figures = {
        "tables": len(after["tables"]),
        "rows": sum(int(s["rows"]) for s in after["tables"].values()),
        "files": len(after["files"]),
        "bytes": archive.stat().st_size,
    }
    return problems, figures


# --------------------------------------------------------------------------- main


def _workload(args: argparse.Namespace, nodes: list[Node], seats: list[dict[str, Any]]) -> Tally:
    """The clients' rounds, with node A SIGKILLed a few milliseconds into the kill round."""
    tally = Tally()
    kill_round_begins = threading.Event()
    rounds_begun = [0]

    def on_round() -> None:  # the barrier's action: every client is at a round's start
        rounds_begun[0] += 1
        if rounds_begun[0] == args.kill_round + 1:
            kill_round_begins.set()

    barrier = threading.Barrier(args.clients, action=on_round, timeout=120)
    threads = [
        threading.Thread(target=_client_thread, args=(nodes, tally, seat, args.rounds, barrier))
        for seat in seats
    ]

    finished = threading.Event()

    def kill_when_due() -> None:
        # In the kill round, a few milliseconds after a write was sent to node A.
        kill_round_begins.wait(timeout=args.timeout)
        tally.armed = True
        while not finished.is_set():
            if tally.write_sent_to_a.wait(timeout=0.05):
                time.sleep(args.kill_delay_ms / 1000)
                nodes[0].kill()
                tally.killed_at = time.monotonic()
                return

    killer = threading.Thread(target=kill_when_due)
    killer.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.timeout)
    finished.set()
    kill_round_begins.set()
    killer.join(timeout=10)
    return tally


def run(args: argparse.Namespace) -> dict[str, Any]:
    base_url = args.database_url
    scratch = f"vern_nodes_{secrets.token_hex(4)}"
    workdir = Path(tempfile.mkdtemp(prefix="vern-node-drill-"))
    data_dirs = [workdir / "node-a", workdir / "node-b"]
    shared = _environment(base_url, scratch, data_dirs[0])
    envs = [{**shared, "VERN_DATA_DIR": str(d)} for d in data_dirs]
    nodes = [
        Node("A", _free_port(), envs[0], workers=args.workers),
        Node("B", _free_port(), envs[1], workers=args.workers),
    ]
    started = time.monotonic()
    if args.template:
        _pg_admin(base_url, f'CREATE DATABASE "{scratch}" TEMPLATE "{args.template}"')
    else:
        _pg_admin(base_url, f'CREATE DATABASE "{scratch}"')
    summary: dict[str, Any] = {"database": scratch}
    phases: dict[str, float] = {}
    mark = [time.monotonic()]

    def phase(name: str) -> None:
        now = time.monotonic()
        phases[name] = round(now - mark[0], 1)
        mark[0] = now

    try:
        if not args.template:
            migrated = _vern(envs[0], "migrate", "--no-input", "-v0")
            if migrated.returncode != 0:
                msg = f"vern migrate failed: {migrated.stderr[-800:]}"
                raise RuntimeError(msg)
        phase("migrate")
        for node in nodes:
            node.start()  # they boot while the staff are made
        _django(envs[0])
        seats = _seed(args.clients)
        from django.db import connection

        connection.close()
        for node in nodes:
            node.wait_healthy()
        phase("seed and start")
        tally = _workload(args, nodes, seats)
        if not nodes[0].dead:
            tally.problems.append("node A was never killed (the kill round was not reached)")
        phase("workload")
        problems, lost = _check(tally, seats, data_dirs)
        phase("checks")
        if nodes[1].after_kill == 0:
            problems.append("node B served no request after the kill")
        nodes[1].stop()
        figures: dict[str, Any] = {}
        if args.backup:
            restore_problems, figures = _backup_wipe_restore(base_url, scratch, envs, data_dirs)
            problems += restore_problems
            phase("backup, wipe, restore")
        acked = len(tally.acked_cases) + sum(tally.acked_uploads.values())
        summary.update(
            {
                "requests": {n.name: n.requests for n in nodes},
                "requests_after_kill": {n.name: n.after_kill for n in nodes},
                "kills": 1 if nodes[0].dead else 0,
                "in_flight_on_killed_node": tally.failed_before_kill_node,
                "acknowledged_writes": acked,
                "acknowledged_cases": len(tally.acked_cases),
                "acknowledged_uploads": sum(tally.acked_uploads.values()),
                "downloads": len(tally.downloads),
                "lost": lost,
                "survivor_errors_after_kill": tally.problems_after_kill,
                "audit_chain": tally.chain,
                "restore": figures,
                "problems": problems,
                "seconds": round(time.monotonic() - started, 1),
                "phases": phases,
            }
        )
        return summary
    finally:
        for node in nodes:
            node.stop()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if not args.keep:
            with contextlib.suppress(Exception):
                _pg_admin(base_url, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
            shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument(
        "--kill-round", type=int, default=3, help="the round (0-based) that kills A"
    )
    parser.add_argument(
        "--kill-delay-ms", type=int, default=5, help="after a write was sent to node A"
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds for the workload")
    parser.add_argument("--no-backup", dest="backup", action="store_false")
    parser.add_argument("--keep", action="store_true", help="keep the database and folders")
    parser.add_argument(
        "--template", default="", help="a migrated database to copy instead of migrating"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("needs PostgreSQL: --database-url or DATABASE_URL=postgres://...")
    if not 0 <= args.kill_round < args.rounds:
        parser.error("--kill-round must be one of the rounds")
    summary = run(args)
    if args.json:
        print(json.dumps(summary, default=str))
    else:
        for key, value in summary.items():
            if key != "problems":
                print(f"{key}: {value}")
        for problem in summary["problems"]:
            print(f"PROBLEM: {problem}")
    return 1 if summary["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
