"""A realistic synthetic dataset, built fast (issue 9): ``vern bench seed --cases N``.

Centres, staff (with TOTP and backup-code devices), cases with children, risk mappings (K1),
assessments with real rules-engine outcomes (G6-G8), information records (G5, G15), consents
and refusals (G3, G4, C1), police contacts and deviations (G9-G11), relocations (G14, R1-R3),
reassessment triggers (G8), the case timeline and an audit log that forms a valid HMAC chain
(``vern audit verify`` passes afterwards).

How it is fast:

* Cases are built in chunks of ``chunk`` cases; each chunk is one transaction inside
  ``system_scope()`` (PostgreSQL row-level security lets the seeder write every centre's rows).
  A crash leaves whole chunks only, and a valid chain.
* Primary keys are assigned here (``max(id) + 1`` at the start of each chunk), so children can
  point at parents without reading anything back; PostgreSQL identity sequences are reset at
  the end.
* Rows go in with multi-row ``INSERT`` (PostgreSQL, server-side prepared) or ``executemany``
  (SQLite); the audit table (no row-level security) with ``COPY`` on PostgreSQL.
* The rules engine runs once per fact combination; its outcome JSON is reused.
* The audit chain continues from the current head, read under the chain's lock at the start
  of each chunk (``audit_record`` takes the same lock), so concurrent writers never fork it.
  Events are in time order within a chunk; a chunk's cases are younger than the previous
  chunk's, but their later events (weeks after opening) may overlap the next chunk's.

Never in production: the command refuses with ``VERN_ENV=production``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import psycopg
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.util import random_hex

from vern.accounts import mfa, otp_secrets
from vern.accounts.models import Role, User
from vern.accounts.models import VernTOTPDevice as TOTPDevice
from vern.assessments import factors as g7
from vern.assessments.models import Assessment, RiskMapping
from vern.audit.actions import AuditAction
from vern.audit.chain import GENESIS_HASH, audit_key, canonical_bytes, chain_hash
from vern.audit.models import AuditEvent
from vern.audit.services import ADVISORY_LOCK_KEY
from vern.cases.models import Case, CaseChild, CaseEvent, CentreSettings, ReassessmentTrigger
from vern.centres.models import Centre, PoliceDistrict
from vern.centres.tenancy import system_scope
from vern.consent.models import Consent, ConsentRefusal, InformationRecord
from vern.core import clock
from vern.police.models import Deviation, PoliceContact
from vern.relocation.models import Relocation
from vern.rules import evaluate, load_rulebook, parse_facts
from vern.stats.summary import rebuild as rebuild_summary

# The password of every seeded account (benchmark data only; refused in production).
BENCH_PASSWORD: Final = "benk-passord-vern-2026"  # noqa: S105
USERNAME_PREFIX: Final = "benk"
CENTRE_PREFIX: Final = "Syntetisk krisesenter "
STAFF_PER_CENTRE: Final = 7  # six ansatt and one leder
DEFAULT_AUDIT_EVENTS_PER_CASE: Final = 50
# Norway has about 47 crisis centres.
MAX_DEFAULT_CENTRES: Final = 46
UTC: Final = dt.UTC
HISTORY: Final = dt.timedelta(days=3 * 365)

_PG_MAX_PARAMS: Final = 60_000
_SQLITE_BATCH: Final = 20_000


class JSONText(str):
    """A value that is already JSON text (serialised once, reused for many rows)."""

    __slots__ = ()


# --------------------------------------------------------------------------- writing rows


@dataclass
class TableStat:
    rows: int = 0
    seconds: float = 0.0


class Writer:
    """Inserts prepared rows into one table at a time, the fastest way each database offers."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.stats: dict[str, TableStat] = {}
        if self.vendor == "sqlite":
            # This connection only: a 1 GiB page cache keeps the audit table's five indexes
            # in memory while millions of rows go in (durability settings stay as they are).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -1048576")

    # Values as the database column wants them. SQLite: Django's storage formats (naive UTC
    # text for times, ISO dates, JSON text); PostgreSQL: Python values adapted by psycopg.
    def prepare(self, value: object) -> object:
        if isinstance(value, dt.datetime):
            if self.vendor == "sqlite":
                return str(value.astimezone(UTC).replace(tzinfo=None))
            return value
        if isinstance(value, dt.date):
            return value.isoformat() if self.vendor == "sqlite" else value
        if isinstance(value, JSONText):
            return str(value)
        if isinstance(value, dict | list):
            return json.dumps(value)
        return value

    def insert(
        self, model: type[models.Model], columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        if not rows:
            return
        table = model._meta.db_table
        started = time.perf_counter()
        qn = connection.ops.quote_name
        cols = ", ".join(qn(c) for c in columns)
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                per = max(1, _PG_MAX_PARAMS // len(columns))
                # A plain psycopg cursor: server-side binding, statements prepared on reuse
                # (Django's own cursor binds on the client, slow for 60,000 parameters).
                raw = psycopg.Cursor(cursor.cursor.connection)
                for start in range(0, len(rows), per):
                    batch = rows[start : start + per]
                    sql = f"INSERT INTO {qn(table)} ({cols}) VALUES " + ", ".join(  # noqa: S608
                        [one] * len(batch)
                    )
                    raw.execute(sql, [v for row in batch for v in row])
            else:
                sql = f"INSERT INTO {qn(table)} ({cols}) VALUES {one}"  # noqa: S608
                for start in range(0, len(rows), _SQLITE_BATCH):
                    cursor.executemany(sql, rows[start : start + _SQLITE_BATCH])
        self._count(table, len(rows), started)

    def copy(
        self, model: type[models.Model], columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """COPY on PostgreSQL (only for tables without row-level security); else insert."""
        if self.vendor != "postgresql" or not rows:
            self.insert(model, columns, rows)
            return
        table = model._meta.db_table
        started = time.perf_counter()
        qn = connection.ops.quote_name
        cols = ", ".join(qn(c) for c in columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        self._count(table, len(rows), started)

    def _count(self, table: str, rows: int, started: float) -> None:
        stat = self.stats.setdefault(table, TableStat())
        stat.rows += rows
        stat.seconds += time.perf_counter() - started


class Table:
    """Rows of one model, keyed by field name; missing fields take the field's default."""

    def __init__(self, model: type[models.Model], writer: Writer) -> None:
        self.model = model
        self.writer = writer
        self.fields = list(model._meta.concrete_fields)
        self.columns = [str(f.column) for f in self.fields]
        self.names = [f.attname for f in self.fields]
        self.defaults = {
            f.attname: (
                f.get_default()
                if f.has_default()
                else ("" if f.empty_strings_allowed and not f.null else None)
            )
            for f in self.fields
        }
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = 1

    def start_chunk(self) -> None:
        self.rows.clear()
        top = self.model._default_manager.aggregate(top=models.Max("id"))["top"]
        self.next_id = int(top or 0) + 1

    def add(self, **values: object) -> int:
        pk = self.next_id
        self.next_id += 1
        values["id"] = pk
        prepare = self.writer.prepare
        defaults = self.defaults
        self.rows.append(
            tuple(prepare(values[n] if n in values else defaults[n]) for n in self.names)
        )
        return pk

    def flush(self) -> None:
        self.writer.insert(self.model, self.columns, self.rows)
        self.rows.clear()


# --------------------------------------------------------------------------- the rules engine


@dataclass(frozen=True)
class Outcome:
    """One fact combination evaluated once by the rules engine; reused for many assessments."""

    risk: str
    ticked: frozenset[str]
    consents: bool
    informed: bool
    consent_form: str
    offences: tuple[str, ...]
    factors: JSONText
    facts: JSONText
    outcome: JSONText
    rulebook_id: str
    rulebook_version: str
    police_involvement: str
    next_step: str


# (risk, ticked factors, user consents, informed of public prosecution, offences): the cases a
# centre meets most, from "no police now" to the duty to avert (G7, G10, G11).
COMBINATIONS: Final[tuple[tuple[str, tuple[str, ...], bool, bool, tuple[str, ...]], ...]] = (
    ("no", (), False, False, ()),
    ("no", ("threat_picture_unclear",), False, True, ()),
    ("unknown", ("threat_picture_unclear", "needs_information_only_police_have"), False, True, ()),
    ("yes", ("great_danger",), True, True, ("straffeloven-282",)),
    (
        "yes",
        ("great_danger", "needs_police_or_court_safety_measures"),
        True,
        True,
        ("straffeloven-282", "straffeloven-263"),
    ),
    ("yes", ("user_wants_to_report",), True, True, ("straffeloven-271",)),
    ("yes", ("great_danger", "needs_relocation_for_safety"), False, True, ("straffeloven-283",)),
    ("yes", ("great_danger", "duty_to_avert"), False, False, ("straffeloven-274",)),
)


def evaluate_combinations(today: dt.date) -> list[Outcome]:
    book = load_rulebook()
    outcomes: list[Outcome] = []
    for risk, ticked, consents, informed, offences in COMBINATIONS:
        factor_values = {f.id: f.id in ticked for f in g7.FACTORS}
        factor_values["user_consents"] = consents
        factor_values["user_informed_about_public_prosecution"] = informed
        consent_form = "written" if consents else None
        facts_dict: dict[str, object] = {
            "on": today.isoformat(),
            "risk_of_new_serious_violence": risk,
            "factors": factor_values,
            "consent_form": consent_form,
            "suspected_offences": [o for o in offences if o in book.offence_ids],
        }
        facts = parse_facts(facts_dict, rulebook=book)
        result = evaluate(facts, book)
        outcomes.append(
            Outcome(
                risk=risk,
                ticked=frozenset(ticked),
                consents=consents,
                informed=informed,
                consent_form=consent_form or "",
                offences=tuple(facts.suspected_offences),
                factors=JSONText(json.dumps(factor_values)),
                facts=JSONText(json.dumps(facts.to_dict())),
                outcome=JSONText(json.dumps(result.to_dict(lang="nb"))),
                rulebook_id=result.rulebook_id,
                rulebook_version=result.rulebook_version,
                police_involvement=result.police_involvement,
                next_step=result.next_step,
            )
        )
    return outcomes


# --------------------------------------------------------------------------- the dataset


@dataclass
class SeedResult:
    centres: int = 0
    staff: int = 0
    cases: int = 0
    audit_events: int = 0
    seconds: float = 0.0
    stats: dict[str, TableStat] = field(default_factory=dict)
    password: str = BENCH_PASSWORD
    usernames: list[str] = field(default_factory=list)
    summary_seconds: float = 0.0


@dataclass
class Staff:
    centre: Centre
    ansatt: list[User]
    leder: User

    @property
    def everyone(self) -> list[User]:
        return [*self.ansatt, self.leder]


USER_VIEWS: Final = (
    "Brukeren vil vente med politiet til barna er trygge på skolen.",
    "Brukeren ønsker at politiet skal vite om truslene, men vil ikke anmelde nå.",
    "Brukeren vil anmelde og ønsker hjelp til å forberede avhøret.",
    "Brukeren er redd for at utøveren får vite om samtalen med politiet.",
)
JUDGEMENTS: Final = (
    "Trusselbildet er alvorlig og har økt den siste uken.",
    "Vi trenger opplysninger fra politiet for å vurdere risikoen.",
    "Ingen nye hendelser; vurderingen står ved lag.",
    "Utøveren har oppsøkt familien til brukeren flere ganger.",
)
PURPOSES: Final = (
    "Politiet skal vurdere beskyttelsestiltak (besøksforbud, voldsalarm).",
    "Anmeldelse av vold i nære relasjoner.",
    "Politiet skal kjenne til trusselbildet før flytting.",
)
REFUSAL_REASONS: Final = (
    "Brukeren frykter hevn hvis politiet tar kontakt med utøveren.",
    "Brukeren vil tenke seg om og snakke med advokat først.",
)
RELOCATION_REASONS: Final = ("Utøveren vet hvor senteret ligger.",)
DISTRICTS: Final = [d.value for d in PoliceDistrict]
LANGUAGES: Final = ("nb", "nb", "nb", "nn", "en")
CLOSE_REASONS: Final = (
    "moved_out_safe",
    "moved_out_safe",
    "relocated",
    "returned",
    "ended_contact",
)
TRIGGER_KINDS: Final = ("new_threat", "perpetrator_contact", "court_date", "planned_move", "other")
REPRISAL_CHECK: Final = JSONText(
    json.dumps(
        {
            "routes": ["police_contacts_him"],
            "routes_other": "",
            "risk": "medium",
            "protections": ["stays_at_shelter", "police_informed"],
            "protections_other": "",
            "note": "",
        }
    )
)
EMPTY_LIST: Final = JSONText("[]")
EMPTY_DICT: Final = JSONText("{}")
SCOPE: Final = JSONText(json.dumps(["identity", "violence", "risk_mapping"]))
SHARED: Final = JSONText(json.dumps(["identity", "violence"]))


def default_centres(cases: int) -> int:
    return max(2, min(MAX_DEFAULT_CENTRES, cases // 200 or 2))


class Seeder:
    """Builds the dataset; ``run()`` returns counts and per-table timings."""

    def __init__(
        self,
        *,
        cases: int,
        centres: int | None = None,
        audit_events: int | None = None,
        chunk: int = 1000,
        seed: int = 2026,
        reuse: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        if cases < 1:
            msg = "--cases must be at least 1"
            raise ValueError(msg)
        self.cases = cases
        self.centres = centres or default_centres(cases)
        self.audit_events = (
            DEFAULT_AUDIT_EVENTS_PER_CASE * cases if audit_events is None else audit_events
        )
        self.chunk = max(1, chunk)
        self.reuse = reuse
        self.rng = random.Random(seed)  # noqa: S311  (synthetic data, not security)
        self.progress = progress or (lambda _line: None)
        self.writer = Writer()
        self.now = clock.now()
        self.key = audit_key()
        self.result = SeedResult()

    # ----------------------------------------------------------------- people and centres

    def _existing(self) -> list[Staff]:
        """The synthetic centres and staff of earlier runs (``reuse``)."""
        staff: list[Staff] = []
        centres = Centre.objects.filter(name__startswith=CENTRE_PREFIX).order_by("pk")
        for centre in centres:
            members = list(
                User.objects.filter(centre=centre, username__startswith=f"{USERNAME_PREFIX}-")
                .select_related("centre")
                .order_by("username")
            )
            ansatt = [u for u in members if u.role == Role.ANSATT]
            leder = [u for u in members if u.role == Role.LEDER]
            if ansatt and leder:
                staff.append(Staff(centre=centre, ansatt=ansatt, leder=leder[0]))
        self.result.centres = len(staff)
        self.result.staff = sum(len(s.everyone) for s in staff)
        self.result.usernames = [u.username for s in staff for u in s.everyone]
        return staff

    def _centres_and_staff(self) -> list[Staff]:
        if self.reuse:
            existing = self._existing()
            if existing:
                return existing
        started = time.perf_counter()
        with system_scope():
            run = Centre.objects.filter(name__startswith=CENTRE_PREFIX).count()
            centres = Centre.objects.bulk_create(
                [
                    Centre(
                        name=f"{CENTRE_PREFIX}{run + n + 1:03d}",
                        municipality=f"Kommune {run + n + 1:03d}",
                        police_district=DISTRICTS[(run + n) % len(DISTRICTS)],
                    )
                    for n in range(self.centres)
                ]
            )
            if connection.vendor == "sqlite":  # bulk_create sets no pks on old SQLite paths
                centres = list(Centre.objects.filter(name__in=[c.name for c in centres]))
            CentreSettings.objects.bulk_create([CentreSettings(centre=c) for c in centres])
            password = make_password(BENCH_PASSWORD)
            users: list[User] = []
            for centre in centres:
                for n in range(STAFF_PER_CENTRE):
                    role = Role.LEDER if n == STAFF_PER_CENTRE - 1 else Role.ANSATT
                    username = f"{USERNAME_PREFIX}-{centre.pk}-{role}-{n + 1}"
                    users.append(
                        User(
                            username=username,
                            email=f"{username}@example.invalid",
                            full_name=f"Syntetisk {role} {centre.pk}-{n + 1}",
                            role=role,
                            centre=centre,
                            password=password,
                        )
                    )
            User.objects.bulk_create(users)
            users = list(User.objects.filter(username__in=[u.username for u in users]))
            TOTPDevice.objects.bulk_create(
                [
                    TOTPDevice(
                        user=u,
                        name=mfa.TOTP_NAME,
                        confirmed=True,
                        key=otp_secrets.encrypt_totp_key(random_hex(20), user_id=u.pk),
                    )
                    for u in users
                ]
            )
            StaticDevice.objects.bulk_create(
                [StaticDevice(user=u, name=mfa.BACKUP_NAME, confirmed=True) for u in users]
            )
        by_centre: dict[int, list[User]] = {}
        for user in users:
            by_centre.setdefault(int(user.centre_id or 0), []).append(user)
        staff = []
        for centre in centres:
            members = sorted(by_centre[centre.pk], key=lambda u: u.username)
            staff.append(
                Staff(
                    centre=centre,
                    ansatt=[u for u in members if u.role == Role.ANSATT],
                    leder=next(u for u in members if u.role == Role.LEDER),
                )
            )
        self.result.centres = len(centres)
        self.result.staff = len(users)
        self.result.usernames = [u.username for u in users]
        self.writer._count("centres+staff (ORM)", len(centres) + 3 * len(users), started)
        return staff

    # ----------------------------------------------------------------- run

    def run(self) -> SeedResult:
        started = time.perf_counter()
        staff = self._centres_and_staff()
        self.outcomes = evaluate_combinations(clock.today())
        weights = [1.0 + 4.0 * self.rng.random() for _ in staff]  # centres differ in size
        tables = {
            model: Table(model, self.writer)
            for model in (
                Case,
                CaseChild,
                RiskMapping,
                InformationRecord,
                Consent,
                ConsentRefusal,
                Assessment,
                PoliceContact,
                Deviation,
                Relocation,
                ReassessmentTrigger,
                CaseEvent,
            )
        }
        self.tables = tables
        self.audit_columns = [
            str(f.column) for f in AuditEvent._meta.concrete_fields if f.column != "id"
        ]
        total = self.audit_events
        with system_scope():
            references = {s.centre.pk: Case.objects.filter(centre=s.centre).count() for s in staff}
        done = 0
        first = self.now - HISTORY
        span = (HISTORY - dt.timedelta(days=1)) / self.cases
        while done < self.cases:
            size = min(self.chunk, self.cases - done)
            with system_scope():
                for table in tables.values():
                    table.start_chunk()
                head = self._chain_head()
                events: list[tuple[dt.datetime, int, tuple[Any, ...]]] = []
                for n in range(size):
                    index = done + n
                    members = self.rng.choices(staff, weights)[0]
                    references[members.centre.pk] += 1
                    opened = first + span * index + dt.timedelta(seconds=self.rng.randrange(600))
                    # Exactly M events in all, spread evenly (integer arithmetic).
                    budget = (total * (index + 1)) // self.cases - (total * index) // self.cases
                    self._case(members, references[members.centre.pk], opened, budget, events)
                for table in tables.values():
                    table.flush()
                self._write_audit(head, events)
            done += size
            elapsed = time.perf_counter() - started
            self.progress(
                f"  {done:>9,} / {self.cases:,} cases, {self.result.audit_events:>11,} audit "
                f"events  ({elapsed:6.1f} s)"
            )
        self._reset_sequences()
        self.result.cases = done
        self.result.seconds = time.perf_counter() - started
        self.result.stats = self.writer.stats
        return self.result

    # ----------------------------------------------------------------- one case

    def _case(
        self,
        staff: Staff,
        number: int,
        opened: dt.datetime,
        budget: int,
        events: list[tuple[dt.datetime, int, tuple[Any, ...]]],
    ) -> None:
        rng = self.rng
        t = self.tables
        centre_id = staff.centre.pk
        worker = rng.choice(staff.ansatt)
        leder = staff.leder
        closed = opened < self.now - dt.timedelta(days=120) or rng.random() < 0.2
        closed_at = opened + dt.timedelta(days=rng.randint(5, 110)) if closed else None
        if closed_at is not None and closed_at > self.now:
            closed_at = self.now - dt.timedelta(hours=1)
        outcome = rng.choice(self.outcomes)
        case_id = t[Case].add(
            centre_id=centre_id,
            reference=f"S-{number:06d}",
            name="",
            language=rng.choice(LANGUAGES),
            status="closed" if closed_at else "open",
            opened_at=opened,
            created_by_id=worker.pk,
            closed_at=closed_at,
            closed_by_id=worker.pk if closed_at else None,
            close_reason=rng.choice(CLOSE_REASONS) if closed_at else "",
            next_reassessment_on=None,
        )
        business: list[tuple[dt.datetime, User, str, str, int, dict[str, object], str]] = []
        timeline: list[tuple[dt.datetime, str, str, User, str, int | None]] = []

        def happened(  # noqa: PLR0917  (one line per record, positional for brevity)
            at: dt.datetime,
            actor: User,
            action: AuditAction,
            object_type: str,
            object_id: int,
            kind: str,
            summary: str,
            details: dict[str, object] | None = None,
            reason: str = "",
        ) -> None:
            business.append(
                (at, actor, action.value, object_type, object_id, details or {}, reason)
            )
            timeline.append((at, kind, summary, actor, object_type, object_id))

        happened(
            opened,
            worker,
            AuditAction.CASE_CREATED,
            "case",
            case_id,
            "case_created",
            "Sak opprettet",
        )
        clock_at = opened + dt.timedelta(hours=2)

        def later(hours: float) -> dt.datetime:
            # The story of a case moves forward but never past the moment of seeding: a record
            # dated in the future would, say, put the public-prosecution information after a
            # consent given now, which Vern rightly refuses (G15).
            nonlocal clock_at
            clock_at = min(
                clock_at + dt.timedelta(hours=hours * (0.5 + rng.random())),
                self.now - dt.timedelta(minutes=30),
            )
            return clock_at

        children: list[int] = []
        for c in range(rng.choice((0, 0, 1, 1, 2))):
            at = later(1)
            child_id = t[CaseChild].add(
                centre_id=centre_id,
                case_id=case_id,
                label=f"Barn {c + 1}",
                birth_year=2010 + rng.randrange(14),
                created_at=at,
            )
            children.append(child_id)
            timeline.append(
                (at, "child_added", f"Barn {c + 1} registrert", worker, "child", child_id)
            )

        # K1: a mapping of the user and of each child.
        mapping_id = 0
        for subject in [None, *children]:
            at = later(6)
            mid = t[RiskMapping].add(
                centre_id=centre_id,
                case_id=case_id,
                subject=subject,
                mapped_by_id=worker.pk,
                mapped_at=at,
                method="guidance_questions",
                method_other="",
                answers=EMPTY_DICT
                if subject
                else JSONText('{"history": "Vold over flere år, trusler den siste måneden."}'),
                result=outcome.risk if subject is None else rng.choice(("no", "unknown")),
                reasoning=rng.choice(JUDGEMENTS),
                created_at=at,
            )
            if subject is None:
                mapping_id = mid
            happened(
                at,
                worker,
                AuditAction.RISK_MAPPING_SAVED,
                "risk_mapping",
                mid,
                "risk_mapping",
                "Risikokartlegging registrert",
                {
                    "method": "guidance_questions",
                    "result": outcome.risk,
                    "for_child": subject is not None,
                    "answers": 0 if subject else 1,
                },
            )

        # G5, G15: informed of public prosecution (and of the police's help, G13).
        information_id: int | None = None
        if outcome.informed:
            at = later(12)
            information_id = t[InformationRecord].add(
                centre_id=centre_id,
                case_id=case_id,
                kind="public_prosecution",
                given_by_id=worker.pk,
                given_at=at,
                language="nb",
                interpreter_used=False,
                offences=JSONText(json.dumps(list(outcome.offences))),
                measures_shown=EMPTY_LIST,
                rulebook_version=outcome.rulebook_version,
                created_at=at,
            )
            happened(
                at,
                worker,
                AuditAction.INFORMATION_GIVEN,
                "information",
                information_id,
                "information_given",
                "Informert om offentlig påtale",
                {"kind": "public_prosecution", "interpreter": False},
            )
        consent_id: int | None = None
        if outcome.consents:
            at = later(4)
            written = rng.random() < 0.7
            withdrawn = rng.random() < 0.05
            consent_id = t[Consent].add(
                centre_id=centre_id,
                case_id=case_id,
                recipient_kind="police",
                police_district=staff.centre.police_district,
                recipient_unit="",
                purpose=rng.choice(PURPOSES),
                categories=SCOPE,
                form="written" if written else "verbal",
                written_method="on_screen" if written else "",
                signed_by_name="Syntetisk bruker" if written else "",
                verbal_witness="" if written else "Syntetisk kollega",
                verbal_reason="" if written else "Brukeren kunne ikke lese skjemaet.",
                given_at=at,
                expires_at=at + dt.timedelta(days=90),
                withdrawn_at=at + dt.timedelta(days=3) if withdrawn else None,
                withdrawn_recorded_by_id=worker.pk if withdrawn else None,
                recorded_by_id=worker.pk,
                information_record_id=information_id,
                created_at=at,
            )
            happened(
                at,
                worker,
                AuditAction.CONSENT_GIVEN,
                "consent",
                consent_id,
                "consent_given",
                "Samtykke registrert",
                {"form": "written" if written else "verbal", "categories": 3},
            )
            if withdrawn:
                happened(
                    at + dt.timedelta(days=3),
                    worker,
                    AuditAction.CONSENT_WITHDRAWN,
                    "consent",
                    consent_id,
                    "consent_withdrawn",
                    "Samtykke trukket tilbake",
                )
        elif outcome.ticked and "duty_to_avert" not in outcome.ticked and rng.random() < 0.5:
            at = later(4)
            rid = t[ConsentRefusal].add(
                centre_id=centre_id,
                case_id=case_id,
                recorded_by_id=worker.pk,
                refused_at=at,
                reasons=rng.choice(REFUSAL_REASONS),
                information_offered=True,
            )
            happened(
                at,
                worker,
                AuditAction.CONSENT_REFUSED,
                "refusal",
                rid,
                "consent_refused",
                "Brukeren sa nei til politikontakt",
                {"information_offered": True},
            )

        # G6-G8: one to three assessments, each superseding the one before.
        previous: int | None = None
        last_assessment = 0
        assessed_at = opened
        for _ in range(rng.choice((1, 1, 2, 3))):
            at = later(24)
            if closed_at is not None and at >= closed_at:
                break
            aid = t[Assessment].add(
                centre_id=centre_id,
                case_id=case_id,
                assessed_by_id=worker.pk,
                assessed_at=at,
                risk_mapping_id=mapping_id,
                factors=outcome.factors,
                factor_notes=EMPTY_DICT,
                user_participated=True,
                user_view=rng.choice(USER_VIEWS),
                staff_judgement=rng.choice(JUDGEMENTS),
                consent_form=outcome.consent_form,
                suspected_offences=JSONText(json.dumps(list(outcome.offences))),
                facts=outcome.facts,
                outcome=outcome.outcome,
                rulebook_id=outcome.rulebook_id,
                rulebook_version=outcome.rulebook_version,
                police_involvement=outcome.police_involvement,
                next_step=outcome.next_step,
                next_reassessment_on=(at + dt.timedelta(days=14)).date(),
                supersedes_id=previous,
                cause="",
            )
            happened(
                at,
                worker,
                AuditAction.ASSESSMENT_SAVED,
                "assessment",
                aid,
                "assessment",
                "Vurdering lagret",
                {
                    "police_involvement": outcome.police_involvement,
                    "next_step": outcome.next_step,
                    "rulebook_version": outcome.rulebook_version,
                },
            )
            previous = aid
            last_assessment = aid
            assessed_at = at
        if last_assessment and closed_at is None:
            due = (assessed_at + dt.timedelta(days=14)).date()
            t[Case].rows[-1] = self._with_next_reassessment(t[Case].rows[-1], due)

        # G8: things that call for a new assessment; older ones answered by the last one.
        if rng.random() < 0.3:
            at = later(30)
            t[ReassessmentTrigger].add(
                centre_id=centre_id,
                case_id=case_id,
                kind=rng.choice(TRIGGER_KINDS),
                occurs_on=at.date(),
                recorded_at=at,
                recorded_by_id=worker.pk,
                resolved_by_id=last_assessment if last_assessment and rng.random() < 0.6 else None,
            )
            timeline.append((at, "trigger", "Hendelse som krever ny vurdering", worker, "", None))

        # G9-G11: police contacts (on consent, anonymous, or the duty to avert).
        contact_id: int | None = None
        if outcome.consents or "duty_to_avert" in outcome.ticked or rng.random() < 0.1:
            at = later(8)
            if consent_id is not None:
                ground, ground_valid = "consent", True
            elif "duty_to_avert" in outcome.ticked:
                ground, ground_valid = "duty_to_avert", True
            else:
                ground, ground_valid = (
                    ("anonymous", True) if rng.random() < 0.8 else ("none", False)
                )
            is_done = rng.random() < 0.8
            contact_id = t[PoliceContact].add(
                centre_id=centre_id,
                case_id=case_id,
                status="done" if is_done else "planned",
                contact_at=at,
                police_district=staff.centre.police_district,
                police_unit="",
                contact_role="family_violence_coordinator",
                channel="phone",
                shared_categories=EMPTY_LIST if ground == "anonymous" else SHARED,
                legal_ground=ground,
                ground_valid=ground_valid,
                consent_id=consent_id,
                duty_to_avert_offences=JSONText(json.dumps(list(outcome.offences)))
                if ground == "duty_to_avert"
                else EMPTY_LIST,
                duty_to_avert_why="Konkrete trusler om drap." if ground == "duty_to_avert" else "",
                duty_to_avert_decided_by_id=leder.pk if ground == "duty_to_avert" else None,
                measures_decided=EMPTY_LIST,
                follow_up_on=None,
                outcome_note="",
                reprisal_check=REPRISAL_CHECK,
                recorded_by_id=worker.pk,
                recorded_at=at,
            )
            happened(
                at,
                worker,
                AuditAction.POLICE_CONTACT_RECORDED,
                "police_contact",
                contact_id,
                "police_contact_done",
                "Kontakt med politiet registrert",
                {
                    "legal_ground": ground,
                    "ground_valid": ground_valid,
                    "status": "done" if is_done else "planned",
                },
            )
            if not ground_valid:
                did = t[Deviation].add(
                    centre_id=centre_id,
                    case_id=case_id,
                    kind="contact_without_ground",
                    police_contact_id=contact_id,
                    reasons=JSONText('["no_valid_ground"]'),
                    description="",
                    opened_at=at,
                    opened_by_id=worker.pk,
                    closed_at=at + dt.timedelta(days=2) if closed_at else None,
                    closed_by_id=leder.pk if closed_at else None,
                    leader_comment="Gjennomgått med den ansatte." if closed_at else "",
                )
                happened(
                    at,
                    worker,
                    AuditAction.DEVIATION_OPENED,
                    "deviation",
                    did,
                    "deviation_opened",
                    "Avvik åpnet",
                    {"kind": "contact_without_ground"},
                )
                if closed_at:
                    happened(
                        at + dt.timedelta(days=2),
                        leder,
                        AuditAction.DEVIATION_CLOSED,
                        "deviation",
                        did,
                        "deviation_closed",
                        "Avvik lukket",
                    )

        # G14, R1-R3: a move to another centre when this one is not safe enough.
        if "needs_relocation_for_safety" in outcome.ticked and rng.random() < 0.5:
            at = later(48)
            completed = closed_at is not None
            rel_id = t[Relocation].add(
                centre_id=centre_id,
                case_id=case_id,
                reason=RELOCATION_REASONS[0],
                destination_name="Syntetisk mottakersenter",
                destination_police_district=rng.choice(DISTRICTS),
                chosen_with_user=True,
                chosen_with_police=True,
                police_current_involved_at=at,
                police_destination_involved_at=at,
                handover="police_brief",
                handover_consent_id=None,
                status="completed" if completed else "planned",
                planned_on=(at + dt.timedelta(days=7)).date(),
                completed_at=at + dt.timedelta(days=7) if completed else None,
                cancelled_at=None,
                recorded_by_id=worker.pk,
                created_at=at,
            )
            happened(
                at,
                worker,
                AuditAction.RELOCATION_RECORDED,
                "relocation",
                rel_id,
                "relocation_planned",
                "Flytting planlagt",
                {"status": "planned"},
            )

        if closed_at is not None:
            happened(
                closed_at,
                worker,
                AuditAction.CASE_CLOSED,
                "case",
                case_id,
                "case_closed",
                "Sak avsluttet",
                {"reason": "moved_out_safe"},
            )

        for at, kind, summary, actor, object_type, object_id in timeline:
            t[CaseEvent].add(
                centre_id=centre_id,
                case_id=case_id,
                at=at,
                kind=kind,
                summary=summary,
                actor_id=actor.pk,
                object_type=object_type,
                object_id=object_id,
            )
        self._audit_for_case(
            staff=staff,
            case_id=case_id,
            opened=opened,
            closed_at=closed_at,
            business=business,
            budget=budget,
            events=events,
        )

    def _with_next_reassessment(self, row: tuple[Any, ...], due: dt.date) -> tuple[Any, ...]:
        index = self.tables[Case].names.index("next_reassessment_on")
        values = list(row)
        values[index] = self.writer.prepare(due)
        return tuple(values)

    # ----------------------------------------------------------------- the audit chain

    def _audit_for_case(
        self,
        *,
        staff: Staff,
        case_id: int,
        opened: dt.datetime,
        closed_at: dt.datetime | None,
        business: list[tuple[dt.datetime, User, str, str, int, dict[str, object], str]],
        budget: int,
        events: list[tuple[dt.datetime, int, tuple[Any, ...]]],
    ) -> None:
        """The case's business events, then reads (case viewed, list, logins) up to budget."""
        rng = self.rng
        centre_id = staff.centre.pk
        chosen = business[:budget]
        end = closed_at or min(self.now - dt.timedelta(minutes=1), opened + dt.timedelta(days=90))
        window = max(1.0, (end - opened).total_seconds())
        people = staff.everyone
        reads = budget - len(chosen)
        for n in range(reads):
            actor = rng.choice(people)
            at = opened + dt.timedelta(seconds=window * rng.random())
            pick = n % 10
            if pick < 7:
                chosen.append((at, actor, "case_viewed", "case", case_id, {}, ""))
            elif pick == 7:
                chosen.append((at, actor, "case_listed", "", 0, {}, ""))
            elif pick == 8:
                chosen.append((at, actor, "login", "user", actor.pk, {}, ""))
            else:
                chosen.append((at, actor, "mfa_verified", "user", actor.pk, {"device": "totp"}, ""))
        for at, actor, action, object_type, object_id, details, reason in chosen:
            events.append(
                (
                    at,
                    rng.getrandbits(62),
                    (
                        at,
                        actor.pk,
                        str(actor.role),
                        centre_id,
                        action,
                        object_type,
                        str(object_id) if object_type else "",
                        f"{rng.getrandbits(128):032x}",
                        reason,
                        details,
                    ),
                )
            )

    def _chain_head(self) -> tuple[int, str]:
        """The chain's head under the chain lock, held to the end of the chunk's transaction."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        return (last[0], last[1]) if last else (0, GENESIS_HASH)

    def _write_audit(
        self, head: tuple[int, str], events: list[tuple[dt.datetime, int, tuple[Any, ...]]]
    ) -> None:
        events.sort(key=lambda e: (e[0], e[1]))
        seq, prev = head
        key = self.key
        sqlite = connection.vendor == "sqlite"
        rows: list[tuple[Any, ...]] = []
        names = self.audit_columns
        assert names == [  # noqa: S101  (the row layout below)
            "seq",
            "at",
            "actor_id",
            "actor_role",
            "centre_id",
            "action",
            "object_type",
            "object_id",
            "request_id",
            "reason",
            "details",
            "prev_hash",
            "hash",
        ], names
        for _at, _tie, (
            at,
            actor_id,
            role,
            centre_id,
            action,
            otype,
            oid,
            rid,
            reason,
            details,
        ) in events:
            seq += 1
            at_utc = at.astimezone(UTC)
            canonical = canonical_bytes(
                seq=seq,
                at=at_utc.isoformat(timespec="microseconds"),
                actor_id=actor_id,
                actor_role=role,
                centre_id=centre_id,
                action=action,
                object_type=otype,
                object_id=oid,
                request_id=rid,
                reason=reason,
                details=details,
            )
            digest = chain_hash(key, prev, canonical)
            text = json.dumps(details) if details else "{}"
            rows.append(
                (
                    seq,
                    str(at_utc.replace(tzinfo=None)) if sqlite else at_utc,
                    actor_id,
                    role,
                    centre_id,
                    action,
                    otype,
                    oid,
                    rid,
                    reason,
                    text,
                    prev,
                    digest,
                )
            )
            prev = digest
        self.writer.copy(AuditEvent, names, rows)
        self.result.audit_events += len(rows)

    def _reset_sequences(self) -> None:
        """PostgreSQL: identity sequences past the ids assigned here."""
        if connection.vendor != "postgresql":
            return
        sql = connection.ops.sequence_reset_sql(no_style(), list(self.tables))
        with system_scope(), connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


def seed(
    *,
    cases: int,
    centres: int | None = None,
    audit_events: int | None = None,
    chunk: int = 1000,
    reuse: bool = False,
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Build the dataset (see the module docstring). ``reuse``: add the cases to the synthetic
    centres of an earlier run (new centres only when there are none). Raises ValueError on bad
    arguments."""
    result = Seeder(
        cases=cases,
        centres=centres,
        audit_events=audit_events,
        chunk=chunk,
        seed=seed,
        reuse=reuse,
        progress=progress,
    ).run()
    # The rows went in with plain INSERTs (no signals): the statistics summary is rebuilt
    # from them (ADR 0019).
    result.summary_seconds = rebuild_summary().seconds
    if progress is not None:
        progress(f"statistics summary rebuilt in {result.summary_seconds:.1f} s")
    return result
