"""Vern's one settings module, driven by environment variables (see README: Configuration).

No DATABASE_URL -> SQLite under VERN_DATA_DIR (WAL, synchronous=FULL, busy timeout).
DATABASE_URL=postgres://... -> PostgreSQL through psycopg 3.
VERN_ENV=production -> secure cookies, HSTS, no default secrets: a missing secret stops start-up.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from vern.env import (
    ConfigError,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    parse_database_url,
)

PACKAGE_DIR = Path(__file__).resolve().parent

VERN_ENV = env_str("VERN_ENV", "development").strip().lower()
if VERN_ENV not in {"development", "production", "test"}:
    msg = f"VERN_ENV must be development, production or test, got {VERN_ENV!r}"
    raise ConfigError(msg)
PRODUCTION = VERN_ENV == "production"

DATA_DIR = Path(env_str("VERN_DATA_DIR", "data")).expanduser().resolve()

DEBUG = env_bool("VERN_DEBUG", default=False) and not PRODUCTION


def _secret(name: str, dev_file: str) -> str:
    """A secret from the environment; in development a random one kept under DATA_DIR."""
    value = env_secret(name)
    if value:
        return value
    if PRODUCTION:
        msg = (
            f"{name} is not set. In production Vern refuses to start without it: set {name} "
            f"or {name}_FILE (a file holding the secret)."
        )
        raise ConfigError(msg)
    path = DATA_DIR / dev_file
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    path.write_text(value, encoding="utf-8")
    path.chmod(0o600)
    return value


SECRET_KEY = _secret("VERN_SECRET_KEY", "secret_key")
# The audit chain's HMAC key lives outside the database (issue 6).
VERN_AUDIT_KEY = _secret("VERN_AUDIT_KEY", "audit_key")
# Encrypts TOTP secrets and keys the hashes of backup codes (issue 15, docs/operations.md).
VERN_OTP_KEY = _secret("VERN_OTP_KEY", "otp_key")

ALLOWED_HOSTS = env_list("VERN_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and any(host == "*" or host.startswith("*") for host in ALLOWED_HOSTS):
    # A wildcard lets any Host header through: password-reset links and absolute URLs could
    # then name an attacker's host (issue 15 point 8). Name the host(s) Vern is served under.
    msg = (
        "VERN_ALLOWED_HOSTS may not contain '*' or a wildcard in production: name the "
        "host(s) Vern is served under, e.g. VERN_ALLOWED_HOSTS=vern.example.no"
    )
    raise ConfigError(msg)
CSRF_TRUSTED_ORIGINS = env_list("VERN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "csp",
    "vern.core",
    "vern.centres",
    "vern.accounts",
    "vern.audit",
    "vern.cases",
    "vern.assessments",
    "vern.consent",
    "vern.police",
    "vern.relocation",
    "vern.childwelfare",
    "vern.desk",
    "vern.documents",
    "vern.reminders",
    "vern.stats",
    "vern.api",
    "vern.ops",
    "vern.bench",
    "vern.together",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vern.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Before the session policy, which leaves a message when it ends an expired session.
    "django.contrib.messages.middleware.MessageMiddleware",
    "vern.centres.tenancy.RequestTransactionMiddleware",
    "vern.accounts.middleware.SessionPolicyMiddleware",
    # A write of one's own drops the header's kept task count (vern.reminders.header).
    "vern.reminders.header.TaskCountMiddleware",
    "vern.accounts.middleware.AccessPolicyMiddleware",
    # Issue 17: while "Assess together" is open, only its screens and the quick exit answer.
    "vern.together.middleware.TogetherModeMiddleware",
    "vern.audit.middleware.CaseAccessAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vern.urls"
WSGI_APPLICATION = "vern.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "vern.core.context_processors.vern",
                "vern.reminders.header.tasks",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL").strip()
if DATABASE_URL:
    _db: dict[str, object] = parse_database_url(DATABASE_URL)
    _db["CONN_MAX_AGE"] = env_int("VERN_DB_CONN_MAX_AGE", 0)
    _db["TEST"] = {"NAME": env_str("VERN_TEST_DB_NAME") or None}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("VERN_SQLITE_PATH") or str(DATA_DIR / "vern.sqlite3"),
        "OPTIONS": {
            # Durable and concurrent: WAL journal, fsync on every commit, wait for locks.
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON"
            ),
            "timeout": env_int("VERN_SQLITE_BUSY_TIMEOUT", 20),
            # Writers take the lock at BEGIN, so appends (the audit chain) never deadlock.
            "transaction_mode": "IMMEDIATE",
        },
    }
# Every request runs in one transaction (vern.centres.tenancy.RequestTransactionMiddleware, in
# place of ATOMIC_REQUESTS): the audit event of a read or write commits with it or the request
# fails, and PostgreSQL row-level security is set with SET LOCAL inside it.
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

# django-axes: lock (username, IP) after repeated failures, for a finite time only.
AXES_FAILURE_LIMIT = env_int("VERN_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("VERN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "vern.accounts.lockout.axes_username"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# Behind N reverse proxies every client has the proxy's REMOTE_ADDR, so one person could lock
# any username for everyone. VERN_TRUSTED_PROXIES=N keys the lockout on the address the
# outermost trusted proxy saw: the N-th entry from the right of X-Forwarded-For (each proxy
# appends the address it received the request from). 0 (the default): REMOTE_ADDR only, and
# X-Forwarded-For is ignored (a client could forge it). See docs/security.md.
VERN_TRUSTED_PROXIES = env_int("VERN_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "vern.ops.client_ip.client_ip"

OTP_TOTP_ISSUER = env_str("VERN_OTP_ISSUER", "Vern")

# --- OpenID Connect sign-in for staff (issue 18, vern.accounts.oidc, ADR 0014) ---------------
# Off unless VERN_OIDC_ISSUER is set; the endpoints come from the issuer's discovery document.
VERN_OIDC_ISSUER = env_str("VERN_OIDC_ISSUER").strip()
VERN_OIDC_CLIENT_ID = env_str("VERN_OIDC_CLIENT_ID").strip()
VERN_OIDC_CLIENT_SECRET = env_secret("VERN_OIDC_CLIENT_SECRET") or ""
VERN_OIDC_SCOPES = env_str("VERN_OIDC_SCOPES", "openid email profile").strip()
# The claim that names the person at the provider: sub, or (Entra ID) oid, the object id an
# administrator can read in the portal (Entra's sub differs per application).
VERN_OIDC_SUBJECT_CLAIM = env_str("VERN_OIDC_SUBJECT_CLAIM", "sub").strip()
# Values of the ID token's amr (RFC 8176) or acr that mean a second factor was used.
VERN_OIDC_MFA_AMR = env_list("VERN_OIDC_MFA_AMR", ["mfa"])
VERN_OIDC_MFA_ACR = env_list("VERN_OIDC_MFA_ACR", [])
# true: a sign-in whose token does not say MFA was used is refused (no fallback to Vern's codes).
VERN_OIDC_REQUIRE_MFA = env_bool("VERN_OIDC_REQUIRE_MFA", default=False)
VERN_OIDC_SIGN_ALGO = env_str("VERN_OIDC_SIGN_ALGO", "RS256").strip()
VERN_OIDC_TIMEOUT = env_int("VERN_OIDC_TIMEOUT", 10, minimum=1)
# Password sign-in (and password reset) per deployment; off needs OIDC.
VERN_PASSWORD_LOGIN = env_bool("VERN_PASSWORD_LOGIN", default=True)
if VERN_OIDC_ISSUER:
    if not VERN_OIDC_ISSUER.startswith(("https://", "http://")):
        msg = f"VERN_OIDC_ISSUER must be an https:// URL, got {VERN_OIDC_ISSUER!r}"
        raise ConfigError(msg)
    for _name, _value in (
        ("VERN_OIDC_CLIENT_ID", VERN_OIDC_CLIENT_ID),
        ("VERN_OIDC_CLIENT_SECRET", VERN_OIDC_CLIENT_SECRET),
    ):
        if not _value:
            msg = f"VERN_OIDC_ISSUER is set but {_name} is not (or {_name}_FILE for the secret)"
            raise ConfigError(msg)
    if "openid" not in VERN_OIDC_SCOPES.split():
        msg = f"VERN_OIDC_SCOPES must include openid, got {VERN_OIDC_SCOPES!r}"
        raise ConfigError(msg)
    if VERN_OIDC_SIGN_ALGO not in {"RS256", "RS384", "RS512", "ES256", "ES384", "PS256"}:
        msg = (
            f"VERN_OIDC_SIGN_ALGO must be an asymmetric JWS algorithm, got {VERN_OIDC_SIGN_ALGO!r}"
        )
        raise ConfigError(msg)
elif not VERN_PASSWORD_LOGIN:
    msg = "VERN_PASSWORD_LOGIN=off needs OpenID Connect (VERN_OIDC_ISSUER): nobody could sign in"
    raise ConfigError(msg)
# Step-up authentication: a TOTP code within this many seconds before a sensitive action.
VERN_STEP_UP_SECONDS = env_int("VERN_STEP_UP_SECONDS", 300, minimum=30)
# Submitting a form opened after step-up is accepted for this long (the page needed the code).
VERN_STEP_UP_FORM_SECONDS = env_int("VERN_STEP_UP_FORM_SECONDS", 1800, minimum=30)

# --- Reminders (issue 18) --------------------------------------------------------------------
# How long the header's "Oppgaver (N)" is kept in the session before it is derived again
# (a write of one's own, a new sign-in and the task page derive it at once; vern.reminders).
VERN_TASK_COUNT_SECONDS = env_int("VERN_TASK_COUNT_SECONDS", 120, minimum=0)

# --- State every app server shares (issue 20, docs/operations.md "Two or more nodes") ------
# Nothing that matters lives in one node's memory or disk: sessions (and so the step-up time
# and the MFA state in them) in the database; django-axes' failure counters and lockouts in
# its database tables; django-otp's throttling on the device rows; the audit chain's head
# under a database lock and its checkpoints in an append-only table. Django's cache is the
# database too (table ``vern_cache``, made by migration ``core.0001``): a local-memory cache
# would be one per process, so a limit kept there would reset on the other node.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "vern_cache",
    }
}

# --- Passkeys (WebAuthn) as a second factor and for step-up (issue 18, ADR 0015) -------------
# django-otp-webauthn's models and ceremonies, behind Vern's own views
# (vern.accounts.passkey_views); its own URLs are not included. The relying party id is the
# host name the passkeys are bound to (never an IP address); the origins are the exact
# scheme://host[:port] the browser shows.
_WEBAUTHN_DEFAULT_RP_ID = next(
    (h for h in ALLOWED_HOSTS if h and not h[0].isdigit() and not h.startswith(".")), "localhost"
)
OTP_WEBAUTHN_RP_ID = env_str("VERN_WEBAUTHN_RP_ID", _WEBAUTHN_DEFAULT_RP_ID)
OTP_WEBAUTHN_RP_NAME = env_str("VERN_WEBAUTHN_RP_NAME", "Vern")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "VERN_WEBAUTHN_ORIGINS",
    [f"https://{OTP_WEBAUTHN_RP_ID}"]
    if PRODUCTION
    else [f"http://{OTP_WEBAUTHN_RP_ID}:8000", f"https://{OTP_WEBAUTHN_RP_ID}"],
)
# A passkey is a second factor here: never a way to sign in without the password.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "vern.accounts.passkeys.VernWebAuthnHelper"

# --- Sessions ------------------------------------------------------------------------------
# Issue 17: "Assess together" locks to a neutral screen after this many idle seconds.
VERN_TOGETHER_IDLE_SECONDS = env_int("VERN_TOGETHER_IDLE_SECONDS", 180, minimum=30)
VERN_SESSION_IDLE_MINUTES = env_int("VERN_SESSION_IDLE_MINUTES", 15, minimum=1)
VERN_SESSION_MAX_HOURS = env_int("VERN_SESSION_MAX_HOURS", 10, minimum=1)
SESSION_COOKIE_AGE = VERN_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_NAME = "vern_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "vern.core.views.csrf_failure"
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Strict"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True

# --- Security headers ----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = (
    "same-origin"  # never to other sites; "no-referrer" breaks CSRF Origin checks
)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("VERN_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 63072000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if env_bool("VERN_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# --- No case data leaves by e-mail ----------------------------------------------------------
# Error e-mails would carry request data; ADMINS stays empty (a system check enforces it).
ADMINS: list[tuple[str, str]] = []
MANAGERS: list[tuple[str, str]] = []
EMAIL_BACKEND = env_str(
    "VERN_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("VERN_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("VERN_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("VERN_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_secret("VERN_EMAIL_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("VERN_EMAIL_TLS", default=PRODUCTION)
# Neutral sender: nothing in an e-mail may reveal that it concerns a crisis centre.
DEFAULT_FROM_EMAIL = env_str("VERN_EMAIL_FROM", "no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = ""

# --- Language ------------------------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Named date formats per language (English "1 December 2026", not Django's "Dec. 1, 2026").
FORMAT_MODULE_PATH = ["vern.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("VERN_STATIC_ROOT") or str(DATA_DIR / "static"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
MEDIA_ROOT = DATA_DIR / "files"
# Uploaded signed consent forms (issue 7): PDF/JPEG/PNG checked by content, size-limited;
# images over the pixel limit are refused as possible decompression bombs.
VERN_UPLOAD_MAX_BYTES = env_int("VERN_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
VERN_UPLOAD_MAX_PIXELS = env_int("VERN_UPLOAD_MAX_PIXELS", 40_000_000, minimum=1_000_000)

# --- Logging: never request bodies or case content -----------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("VERN_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # qpdf's repair notes on uploaded PDFs are not operator news (a refusal is on the form).
        "pikepdf": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- Operations: backups and retention (docs/operations.md) --------------------------------
# Signed checkpoints of the audit chain's head, kept outside the database (docs/audit.md):
# one every VERN_AUDIT_CHECKPOINT_EVERY events (0: only `vern audit checkpoint`), appended to
# VERN_AUDIT_CHECKPOINT_DIR/checkpoints.jsonl.
VERN_AUDIT_CHECKPOINT_DIR = Path(
    env_str("VERN_AUDIT_CHECKPOINT_DIR") or str(DATA_DIR / "audit-checkpoints")
).expanduser()
VERN_AUDIT_CHECKPOINT_EVERY = env_int("VERN_AUDIT_CHECKPOINT_EVERY", 100)

# The key that encrypts `vern backup` archives (VERN_BACKUP_KEY or VERN_BACKUP_KEY_FILE, at
# least 32 characters). Not needed to start the app: `vern backup`/`vern restore` refuse
# without it, and `vern check --deploy` warns in production when it is missing.
VERN_BACKUP_KEY = env_secret("VERN_BACKUP_KEY")
# Days a closed case is kept before `vern purge` deletes it (0 = never purge). The default,
# 5 years, is a proposal: each centre must check it against its own legal retention duty.
VERN_RETENTION_DAYS = env_int("VERN_RETENTION_DAYS", 1826, minimum=0)

# --- Benchmarks (docs/performance.md) -------------------------------------------------------
# VERN_BENCH_ENDPOINTS=1 routes /bench/floor/, the load benchmark's framework floor (a minimal
# view behind the full middleware stack). Off by default and never on in production.
VERN_BENCH_ENDPOINTS = env_bool("VERN_BENCH_ENDPOINTS", default=False) and not PRODUCTION

# Where the "quick exit" control sends the person (issue 4): a neutral, common site.
VERN_QUICK_EXIT_URL = env_str("VERN_QUICK_EXIT_URL", "https://www.yr.no/")
