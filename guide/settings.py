"""Settings, all from environment variables with safe defaults.

DEBUG is off unless GUIDE_DEBUG=1. The built-in secret key is for development
only: with DEBUG off, the site refuses to start without GUIDE_SECRET_KEY.
SQLite is the default database; DATABASE_URL=postgres://… switches to PostgreSQL.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-secret-key-never-use-in-production"


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def database_from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL: unsupported scheme {parts.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


DEBUG = env_bool("GUIDE_DEBUG")
SECRET_KEY = os.environ.get("GUIDE_SECRET_KEY", DEV_SECRET_KEY)
SECRET_KEY_FALLBACKS = env_list("GUIDE_SECRET_KEY_FALLBACKS")
if SECRET_KEY == DEV_SECRET_KEY and not DEBUG and not env_bool("GUIDE_ALLOW_DEV_KEY"):
    raise ImproperlyConfigured(
        "GUIDE_SECRET_KEY is not set. Set it in production, or GUIDE_DEBUG=1 for development."
    )
ALLOWED_HOSTS = env_list("GUIDE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "django_htmx",
    "guide",
]

# No CsrfViewMiddleware, on purpose: the site has no login, no session and no action that
# changes anything on the server (the wizard only computes), so there is nothing to forge, and
# without it the site sets no cookie at all, also when embedded in a commune's site.
# `check --deploy` warns about the missing CSRF middleware (security.W003): silenced for the reason
# above (no cookie, no session, nothing a request can change on the server).
SILENCED_SYSTEM_CHECKS = ["security.W003"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, before anything else answers
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "guide.health.DatabaseDownMiddleware",  # a database failure: a friendly 503, not a 500
    "guide.modes.ModeMiddleware",  # last: its response changes must reach the CSP/frame middleware
]

ROOT_URLCONF = "guide.urls"
WSGI_APPLICATION = "guide.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "guide.context_processors.commune",
            ],
            # Our templates get French typography when loaded (guide/template_loader.py).
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "guide.template_loader.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": Path(os.environ.get("GUIDE_SQLITE_PATH", BASE_DIR / "db.sqlite3")),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "fr"
# The languages offered, French first (the reference; the others under /en/, /ar/…: guide/modes.py).
# GUIDE_LANGUAGES chooses among those the repository translates (all by default; empty: French
# alone).
KNOWN_LANGUAGES = {"fr": "Français", "en": "English", "ar": "العربية"}
LANGUAGES = [
    (code, KNOWN_LANGUAGES[code])
    for code in ["fr", *env_list("GUIDE_LANGUAGES", "en,ar")]
    if code in KNOWN_LANGUAGES
]
LANGUAGES = list(dict.fromkeys(LANGUAGES))
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"  # absolute: embed mode changes the script prefix
STATICFILES_DIRS = [BASE_DIR / "static"]
# In production (deploy/gunicorn.conf.py and `make serve` set it), static files are collected
# with hashed names into STATIC_ROOT and served by WhiteNoise with a one-year cache; elsewhere
# WhiteNoise serves them from their sources, as they are, and nothing is collected.
STATIC_MANIFEST = env_bool("GUIDE_STATIC_MANIFEST")
STATIC_ROOT = (
    Path(os.environ.get("GUIDE_STATIC_ROOT", BASE_DIR / "staticfiles")) if STATIC_MANIFEST else None
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST  # without collected files, serve from the sources

# Behind a TLS reverse proxy (README "Mettre en service"): it sets X-Forwarded-Proto, and these
# turn on the HTTPS redirect and HSTS.
if env_bool("GUIDE_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("GUIDE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("GUIDE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GUIDE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("GUIDE_HSTS_PRELOAD")
# The site sets no cookie (no session, no CSRF middleware); if one ever appears, HTTPS only.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Answers never reach the logs: only errors are logged, never request bodies or query strings.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Content
PROCEDURES_DIR = Path(os.environ.get("GUIDE_PROCEDURES_DIR", BASE_DIR / "procedures"))
PROCEDURES_RECHECK_SECONDS = float(os.environ.get("GUIDE_PROCEDURES_RECHECK_SECONDS", "5"))
# DILA publishes its directory every working day: `check --database default` warns (guide.W007)
# when the last import is older than this.
ANNUAIRE_MAX_AGE_DAYS = int(os.environ.get("GUIDE_ANNUAIRE_MAX_AGE_DAYS", "7"))
COMMUNES_FILE = Path(
    os.environ.get("GUIDE_COMMUNES_FILE", BASE_DIR / "fixtures" / "communes.csv.gz")
)
COMMUNE_FILE = Path(
    os.environ.get("GUIDE_COMMUNE_FILE", BASE_DIR / "fixtures" / "demo-commune.json")
)
# How long an encrypted wizard state stays valid, in seconds.
# How long a printed link (QR code) on a PDF reopens the result, in seconds.
STATE_MAX_AGE = {
    "wizard": int(os.environ.get("GUIDE_STATE_MAX_AGE", 2 * 3600)),
    "link": int(os.environ.get("GUIDE_LINK_MAX_AGE", 30 * 24 * 3600)),
    # The counter mode (/guichet/): answers live minutes, not hours (guide/counter.py).
    "counter": int(os.environ.get("GUIDE_COUNTER_MAX_AGE", 30 * 60)),
}
# Counter mode: after this many seconds without a key or a click, the page warns (for the last
# minute, or the last half when shorter), then ends the visit as *Visiteur suivant* does.
COUNTER_IDLE_SECONDS = int(os.environ.get("GUIDE_COUNTER_IDLE_SECONDS", 5 * 60))
# At most this many PDFs render at once per process, and at most PDF_QUEUE more wait for a slot
# (PDF_WAIT_SECONDS at most); any other PDF request gets a 503 at once, so that a burst of PDFs
# cannot take the server's threads from wizard steps (guide/pdf.py).
PDF_CONCURRENCY = int(os.environ.get("GUIDE_PDF_CONCURRENCY", "1"))
PDF_QUEUE = int(os.environ.get("GUIDE_PDF_QUEUE", "1"))
PDF_WAIT_SECONDS = float(os.environ.get("GUIDE_PDF_WAIT_SECONDS", "3"))
