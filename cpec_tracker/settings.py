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
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "cpec_tracker",
    "meetings",
    "projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
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
    # SQLite connections are cheap to open; persistent ones only hold file locks longer.
    DATABASES["default"]["CONN_MAX_AGE"] = 0

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
# Redis when REDIS_URL is set (shared by every gunicorn worker and app server: API throttling
# and page caching count and store there), else each process's own memory.

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CPEC_CACHE_KEY_PREFIX", "cpec")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

# Django REST framework (the API under /api/v1/: read-only, anonymous, JSON and CSV)


def throttle_rate(name, default):
    """A DRF rate such as "1000/minute", or None for `off`/empty (no throttling)."""
    value = os.environ.get(name, default).strip()
    if value.lower() in {"", "off", "none"}:
        return None
    number, _, period = value.partition("/")
    if not number.isdigit() or not period or period[0] not in "smhd":
        raise ImproperlyConfigured(f"{name} must look like 1000/minute or be off, not {value!r}")
    return value


REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # No logins: every client is anonymous, so no session, cookie or CSRF under /api/.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "cpec_tracker.rest_defaults.StrictContentNegotiation",
    "EXCEPTION_HANDLER": "cpec_tracker.rest.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Requests per client (by address) and window, counted in the cache above.
    "DEFAULT_THROTTLE_CLASSES": ["cpec_tracker.rest_defaults.FixedWindowThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": throttle_rate("CPEC_API_THROTTLE_RATE", "10000/minute")},
    # How many proxies in front of the app append to X-Forwarded-For; 0 trusts only the peer.
    "NUM_PROXIES": int(os.environ.get("CPEC_API_NUM_PROXIES", "0")),
}

# drf-spectacular (the OpenAPI schema at /api/v1/schema/, docs at /api/v1/docs/)

SPECTACULAR_SETTINGS = {
    "TITLE": "CPEC Tracker API",
    "DESCRIPTION": (
        "The public record of the China–Pakistan Economic Corridor, read-only: meetings, "
        "officials, projects, organizations, themes and sources, each fact with the quote "
        "that supports it. Lists filter like the site's pages, paginate with `page` and "
        "`page_size`, and stream as CSV with `format=csv`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One named enum per choice set (several models have a `kind` or a `status`).
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "cpec_tracker.dates.DatePrecision",
        "SourceKindEnum": "cpec_tracker.models.SourceKind",
        "OrganizationKindEnum": "cpec_tracker.models.OrganizationKind",
        "ThemeKindEnum": "cpec_tracker.models.ThemeKind",
        "MeetingKindEnum": "meetings.models.MeetingKind",
        "MeetingStatusEnum": "meetings.models.MeetingStatus",
        "ParticipationRoleEnum": "meetings.models.ParticipationRole",
        "ProjectKindEnum": "projects.models.ProjectKind",
        "ProjectStatusEnum": "projects.models.ProjectStatus",
        "SectorEnum": "projects.models.Sector",
        "ProvinceEnum": "projects.models.Province",
        "FigureKindEnum": "projects.models.FigureKind",
        "MilestoneKindEnum": "projects.models.MilestoneKind",
        "ProjectRoleEnum": "projects.models.Role",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cpec_tracker.rest.document_api",
    ],
}

# django-cors-headers: any site may read the API from a browser, without credentials.

CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# CPEC Tracker

# Where `python manage.py seed` reads its seed file (the sources sit beside it).
SEED_FILE = Path(os.environ.get("CPEC_SEED_FILE", BASE_DIR / "seeds" / "seed.toml"))
