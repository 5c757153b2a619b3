"""Settings for CPEC Tracker: one module, every value from an environment variable.

Every variable is listed with its default in the README. The defaults are safe: DEBUG is off,
the secret key is generated once and kept out of git, and the database is an SQLite file in
the project folder.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def generated_secret_key(path):
    """Read the key kept in `path`, creating it on first use so sessions survive restarts."""
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# Django core

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or generated_secret_key(
    Path(os.environ.get("DJANGO_SECRET_KEY_FILE", BASE_DIR / ".secret_key"))
)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "cpec_tracker",
    "meetings",
    "projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and CSRF: a cache hit skips them, and it sees the cookies they set.
    "cpec_tracker.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cpec_tracker.urls"
WSGI_APPLICATION = "cpec_tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default: one file beside the code, WAL so readers never wait for the writer, and
# a busy timeout so concurrent writers queue instead of failing with "database is locked".
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
    # Persistent too: reopening the file re-reads the whole schema (tables, indexes, triggers)
    # on every request, and in WAL mode an idle connection holds no lock.

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Cache

# Redis when REDIS_URL is set (shared by every app server), else memory local to each process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = (
    {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    if REDIS_URL
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)

# Page cache (cpec_tracker.caching): anonymous pages and API answers, keyed on the data version

# Off by default in debug mode, where templates change without the data changing.
CPEC_PAGE_CACHE = env_bool("CPEC_PAGE_CACHE", not DEBUG)
CPEC_PAGE_CACHE_ALIAS = "default"
# How long an entry lives; a change of data makes it unreachable at once, whatever this says.
CPEC_PAGE_CACHE_SECONDS = int(os.environ.get("CPEC_PAGE_CACHE_SECONDS", "3600"))
# Browsers and proxies may keep a page this long without asking again; 0 = revalidate (ETag).
CPEC_PAGE_MAX_AGE = int(os.environ.get("CPEC_PAGE_MAX_AGE", "0"))
# Never cached: the admin (editors), and the trivial view the benchmark measures as its floor.
CPEC_PAGE_CACHE_EXCLUDED_PATHS = ["/admin/", "/healthz"]
# Cached pages are keyed on a digest of these folders' code and templates, so a deploy never
# serves pages rendered by the previous release; CPEC_RELEASE adds what they cannot show
# (e.g. upgraded packages).
CPEC_PAGE_CACHE_CODE_FOLDERS = [
    BASE_DIR / name for name in ("cpec_tracker", "meetings", "projects", "templates")
]
CPEC_RELEASE = os.environ.get("CPEC_RELEASE", "")

# Django REST framework

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}

# CPEC Tracker

# Where `python manage.py seed` reads its seed file (the sources sit beside it).
SEED_FILE = Path(os.environ.get("CPEC_SEED_FILE", BASE_DIR / "seeds" / "seed.toml"))
