"""Issue 21, parity: every write a staff member can make in the web app has an API operation
that calls the same service, or is listed here with the reason it must have none.

The web's writes are found in the source, not listed by hand: a *web write service* is a public
function of a service module (``src/vern/<app>/services.py``, and every other module of an app
that a view or an API module imports: ``extra_service_modules``) that writes
(``@transaction.atomic``, or it records an audit event or a timeline line itself) and that a
web view calls (``src/vern/<app>/views.py``). An API operation calls it when a module of
``src/vern/api/`` that serves the JSON API calls it (the token pages of ``vern.api.views`` are
web pages, not the API).

Each web write service must be called by the API, or be in ``NEVER`` (with why the API must
not have it). A new service the views call makes this test fail until it is one of the two; a
listed service the API calls, or one that no longer exists, fails too (the list stays honest).
"""

from __future__ import annotations

import ast
import pathlib

import pytest

SRC = pathlib.Path(__file__).resolve().parents[2] / "src"
Call = tuple[str, str]

# Modules that are never service modules, though a view may import them.
NOT_SERVICES = {"views.py", "forms.py", "models.py", "urls.py", "apps.py", "admin.py"}
# Modules of src/vern/api/ that are web pages or plumbing, not the JSON API.
NOT_THE_API = {"views.py", "forms.py", "services.py", "models.py", "urls.py", "apps.py"}
# A function writes when it is atomic, or it calls one of these itself.
WRITE_CALLS = {"audit_record", "case_change"}

# Web writes the API must never have: key -> why.
STAFF_ADMIN = "staff-only administration in the web app (accounts, MFA, e-mail links)"
PASSKEYS = "passkeys are WebAuthn ceremonies of a browser; the API takes TOTP (issue 18)"
NEVER: dict[str, str] = {
    "accounts.centre_create": STAFF_ADMIN,
    "accounts.invitation_create": STAFF_ADMIN,
    "accounts.invitation_accept": "the invitee's own sign-up with password and MFA, on the web",
    "accounts.password_reset_start": "passwords are set through the web's e-mail link only",
    "accounts.password_reset_completed": "passwords are set through the web's e-mail link only",
    "accounts.totp_confirm": "the authenticator app is set up by its owner, signed in on the web",
    "accounts.user_deactivate": STAFF_ADMIN,
    "accounts.identity_link": STAFF_ADMIN,
    "accounts.identity_unlink": STAFF_ADMIN,
    "accounts.invitation_accept_with_identity": (
        "the invitee's own sign-in at the municipality's provider, in the browser"
    ),
    # A passkey lives in the person's browser or security key and answers a WebAuthn ceremony
    # of the web pages; the API signs in with a bearer token and X-Vern-OTP (TOTP or backup).
    "accounts.registration_complete": PASSKEYS,
    # The web's second factor accepted (a code, a passkey, the provider's MFA): the session's
    # login, new key and step-up time; the API takes X-Vern-OTP on each request instead.
    "accounts.second_factor_passed": (
        "a browser session's second factor (otp login, new session key, step-up time); the API "
        "checks X-Vern-OTP per request and has no session"
    ),
    "accounts.remove": PASSKEYS,
    "api.api_token_create": "tokens are made in the web app behind step-up; a token makes none",
    "api.api_token_revoke": "tokens are revoked on the web page of their owner",
    "cases.case_viewed": (
        "the audit event of a page read; an API read writes its own api_read event "
        "(vern.api.common.api_read)"
    ),
    "reminders.reminder_preference_set": (
        "a person's own choice of reminder e-mail, made on the web page that shows the exact "
        "e-mail (the API reads the tasks: GET /api/v1/tasks)"
    ),
    "together.together_save": (
        "issue 17: the user's own answers on a screen turned towards the user, on the staff "
        "member's device; an API client is not the user"
    ),
    "together.together_code_check": "the staff member's one-time code to leave the mode (web)",
    "together.pairing_create": (
        "issue 17: a code shown on the staff member's screen to pair a second screen for the "
        "user; the pairing binds a browser session, which an API client has not"
    ),
    "together.pairing_end": "issue 17: ends a paired browser session of the mode (web only)",
    "relocation.relocation_destination_revealed": (
        "the destination is shown only in the web app, behind step-up; the API never names it"
    ),
}


# --------------------------------------------------------------------------- the source


def _module_name(src: pathlib.Path, path: pathlib.Path) -> str:
    return ".".join(path.relative_to(src).with_suffix("").parts)


def _key(module: str, name: str) -> str:
    """``vern.cases.services`` + ``case_close`` -> ``cases.case_close``; ``handover`` too."""
    return f"{module.split('.')[1]}.{name}"


def _view_files(src: pathlib.Path) -> list[pathlib.Path]:
    return sorted(src.glob("vern/*/views.py")) + sorted(src.glob("vern/*/*_views.py"))


def _api_files(src: pathlib.Path) -> list[pathlib.Path]:
    return [p for p in sorted(src.glob("vern/api/*.py")) if p.name not in NOT_THE_API]


def extra_service_modules(src: pathlib.Path) -> list[pathlib.Path]:
    """Service modules beyond ``<app>/services.py``, derived, not listed: every module of an
    app (not the API's own, not views, forms or models) that a web view or an API module
    imports, such as the relocation's handover, the consent withdrawal with its police
    contacts and the document exports. Their public writes are web writes when a view
    reaches them; their other functions pass on what they call."""
    found: set[pathlib.Path] = set()
    for path in _view_files(src) + _api_files(src):
        modules, functions = _imports(ast.parse(path.read_text(encoding="utf-8")))
        for name in set(modules.values()) | {module for module, _n in functions.values()}:
            parts = name.split(".")
            target = src.joinpath(*parts).with_suffix(".py")
            if (
                len(parts) == 3
                and parts[1] != "api"
                and target.name != "services.py"
                and target.name not in NOT_SERVICES
                and not target.name.endswith("_views.py")
                and target.exists()
            ):
                found.add(target)
    return sorted(found)


def _service_modules(src: pathlib.Path) -> dict[str, pathlib.Path]:
    paths = sorted(src.glob("vern/*/services.py")) + extra_service_modules(src)
    return {_module_name(src, path): path for path in paths if path.exists()}


def _is_write(function: ast.FunctionDef) -> bool:
    for decorator in function.decorator_list:
        if "atomic" in ast.unparse(decorator):
            return True
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            called = node.func
            name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
            if name in WRITE_CALLS:
                return True
    return False


def service_writes(src: pathlib.Path) -> dict[tuple[str, str], str]:
    """(module, function) -> key of every public writing function of the service modules."""
    writes: dict[tuple[str, str], str] = {}
    for module, path in _service_modules(src).items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            if _is_write(node):
                writes[module, node.name] = _key(module, node.name)
    return writes


def _imports(tree: ast.Module, module: str = "") -> tuple[dict[str, str], dict[str, Call]]:
    """The names a file binds to Vern modules and to functions of them (``from vern.x import
    services as y``, ``from vern.x.services import f``, ``import vern.x``); in a service
    module also its own top-level functions."""
    modules: dict[str, str] = {}
    functions: dict[str, Call] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("vern"):
            for alias in node.names:
                local = alias.asname or alias.name
                modules[local] = f"{node.module}.{alias.name}"
                functions[local] = (node.module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("vern"):
                    modules[alias.asname or alias.name] = alias.name
    if module:
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                functions[node.name] = (module, node.name)
    return modules, functions


def _calls_in(node: ast.AST, modules: dict[str, str], functions: dict[str, Call]) -> set[Call]:
    """(module, function) of every call under ``node`` to a function of a Vern module."""
    found: set[Call] = set()
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        called = call.func
        if isinstance(called, ast.Attribute) and isinstance(called.value, ast.Name):
            if called.value.id in modules:
                found.add((modules[called.value.id], called.attr))
        elif isinstance(called, ast.Name) and called.id in functions:
            found.add(functions[called.id])
    return found


def _file_calls(path: pathlib.Path) -> set[Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return _calls_in(tree, *_imports(tree))


def _is_wrapper(function: ast.FunctionDef) -> bool:
    """One statement besides the docstring: the function only returns what the write it
    calls gives, so calling one is calling the other."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return len(body) == 1


def _service_graph(src: pathlib.Path) -> dict[Call, set[Call]]:
    """What each function of a service module passes on to: everything it calls, when it is
    no write itself or only wraps one. A write's own inner writes (the trigger a planned move
    adds, the deviation a contact without ground opens) are parts of it, not operations."""
    graph: dict[Call, set[Call]] = {}
    for module, path in _service_modules(src).items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules, functions = _imports(tree, module)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and (not _is_write(node) or _is_wrapper(node)):
                graph[module, node.name] = _calls_in(node, modules, functions)
    return graph


def _reached(calls: set[Call], graph: dict[Call, set[Call]]) -> set[Call]:
    seen: set[Call] = set()
    todo = list(calls)
    while todo:
        call = todo.pop()
        if call not in seen:
            seen.add(call)
            todo.extend(graph.get(call, ()))
    return seen


def web_write_services(src: pathlib.Path) -> set[str]:
    """Keys of the service writes a web view calls, directly or through a service function
    that is no write itself or only wraps one (as for the API below)."""
    writes = service_writes(src)
    direct = {call for path in _view_files(src) for call in _file_calls(path)}
    reached = _reached(direct, _service_graph(src))
    return {writes[call] for call in reached if call in writes}


def api_calls(src: pathlib.Path) -> set[str]:
    """Keys of the service writes the JSON API's modules call, directly or through a service
    function that is no write itself or only wraps one."""
    writes = service_writes(src)
    direct = {call for path in _api_files(src) for call in _file_calls(path)}
    reached = _reached(direct, _service_graph(src))
    return {writes[call] for call in reached if call in writes}


# --------------------------------------------------------------------------- the tests

WEB = web_write_services(SRC)
API = api_calls(SRC)


def test_the_source_is_read() -> None:
    """The scan finds the writes it must (a scan that finds nothing would pass anything)."""
    assert {"cases.case_create", "police.consent_withdraw_with_contacts"} <= WEB
    assert "police.consent_withdraw_with_contacts" in API
    assert "documents.document_generated" in WEB  # through vern.documents.exports
    assert {"cases.case_create", "relocation.relocation_plan"} <= API
    assert "relocation.relocation_hand_over" in WEB
    # Derived, not listed: the modules beyond services.py the views reach.
    extra = {p.relative_to(SRC).as_posix() for p in extra_service_modules(SRC)}
    assert {
        "vern/relocation/handover.py",
        "vern/police/withdrawal.py",
        "vern/documents/exports.py",
    } <= extra


@pytest.mark.parametrize("key", sorted(WEB))
def test_the_web_write_has_an_api_operation_or_a_reason(key: str) -> None:
    assert key in API or key in NEVER, (
        f"{key} is a write of the web app without an API operation: add one that calls it, "
        "or list it in NEVER (with why the API must not have it) in this file"
    )


def test_the_list_is_honest() -> None:
    gone = set(NEVER) - WEB
    assert not gone, f"listed, but not a write the web app calls (renamed or removed?): {gone}"
    done = set(NEVER) & API
    assert not done, f"listed, but the API calls it: remove it from NEVER: {done}"
    assert all(reason.strip() for reason in NEVER.values())


def test_a_new_web_write_without_an_operation_is_found(tmp_path: pathlib.Path) -> None:
    """The scan on a small tree: a new atomic service a view calls, which no API module
    calls, is a web write the API lacks; once an API module calls it, it is not."""
    app = tmp_path / "vern" / "things"
    app.mkdir(parents=True)
    (tmp_path / "vern" / "api").mkdir()
    (app / "services.py").write_text(
        "from django.db import transaction\n\n"
        "@transaction.atomic\ndef thing_record(*, acting_user, case):\n    pass\n\n"
        "def thing_label(code):\n    return code\n",
        encoding="utf-8",
    )
    (app / "views.py").write_text(
        "from vern.things import services\n\n"
        "def page(request):\n    services.thing_record(acting_user=1, case=2)\n"
        "    return services.thing_label('x')\n",
        encoding="utf-8",
    )

    assert web_write_services(tmp_path) == {"things.thing_record"}
    assert api_calls(tmp_path) == set()
    (tmp_path / "vern" / "api" / "things.py").write_text(
        "from vern.things.services import thing_record\n\n"
        "def op(request):\n    thing_record(acting_user=1, case=2)\n",
        encoding="utf-8",
    )
    assert api_calls(tmp_path) == {"things.thing_record"}
