"""Settings for CPEC Tracker: one module, every value from an environment variable.

Every variable is listed with its default in docs/deployment.md. The defaults are safe: DEBUG
is off, the secret key is generated once and kept out of git, and the database is an SQLite
file in the project folder.
"""

import datetime
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

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
    # django.contrib.admin, with the editors' dashboard on the admin index.
    "cpec_tracker.editing.apps.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # For its translations of the country names (Simplified Chinese; it has no Urdu).
    "django_countries",
    # Background work: Django 6's Tasks framework (backport) with its jobs kept in the database.
    "django_tasks",
    "django_tasks_db",
    # The floor: records and their provenance, which the apps build on.
    "cpec_tracker.records",
    # Pending changes and their review, above the records they change.
    "cpec_tracker.editing",
    "meetings",
    "projects",
    # From an article to records: it knows the apps' records, so it stands above them.
    "cpec_tracker.intake",
    # The roof: the site composed over the apps (its URLs, site-wide pages, the seed loader).
    "cpec_tracker.site.apps.SiteConfig",
    # Email alerts on the site's feeds (a part of the roof with its own tables).
    "cpec_tracker.site.alerts.apps.AlertsConfig",
]

MIDDLEWARE = [
    # Outermost, so every response carries the security headers: those of middleware that
    # answer by themselves further in (whitenoise's static files, the CORS preflight, the
    # HTTPS and trailing-slash redirects, the bad-host 400) as well as the views'.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "cpec_tracker.web.security.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # The language of the address (/ur/…, /zh-hans/…; English unprefixed), active before the
    # page cache so that its key holds the language a page is rendered in, as Django's own
    # cache middleware does; after the HTTPS redirect and static files, which have none.
    "django.middleware.locale.LocaleMiddleware",
    # Before sessions and CSRF: a cache hit skips them, and it sees the cookies they set.
    "cpec_tracker.caching.pages.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes wants to be last: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cpec_tracker.site.urls"
WSGI_APPLICATION = "cpec_tracker.wsgi.application"
# Django's form renderer with <select> and text inputs written out in Python (a template per
# <option> made the filter forms the costliest part of every list page).
FORM_RENDERER = "cpec_tracker.web.form_rendering.WidgetRenderer"

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
# a busy timeout so concurrent writers queue instead of failing with "database is locked"
# (after it, the writer gets cpec_tracker.site.views.server_error's 503 and nothing is saved).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "timeout": float(os.environ.get("CPEC_SQLITE_BUSY_TIMEOUT", "20")),
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
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that cannot be reached answers visitors with a 503 in seconds, not a hang.
    # JIT off: PostgreSQL compiles a query it estimates as costly (search's OR of subqueries,
    # a facet count over 100,000 rows) to machine code first, which took about 1 s of a 2 s
    # search at 100,000 projects; the site's queries are short, and run once per table version.
    # cursor_tuple_fraction 1: a server-side cursor (an export, the /data/ build) is read to its
    # end here, so it is planned for all its rows rather than the first tenth; the build's
    # citations took 4 times as long on plans made for the first rows.
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": int(os.environ.get("CPEC_DB_CONNECT_TIMEOUT", "3")),
        "options": "-c jit=off -c cursor_tuple_fraction=1",
        **DATABASES["default"].get("OPTIONS", {}),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English, with British formats (cpec_tracker/formats/en): the code must be one of LANGUAGES
# exactly, or i18n_patterns would prefix English addresses with /en/.
LANGUAGE_CODE = "en"
FORMAT_MODULE_PATH = ["cpec_tracker.formats"]
# The interface's languages; English addresses carry no prefix (cpec_tracker/site/urls.py).
# Each is named in its own language, as the language switcher shows it.
LANGUAGES = [
    ("en", "English"),
    ("ur", "اردو"),
    ("zh-hans", "简体中文"),
]
# Compiled catalogues are committed beside their .po files (make messages writes both), so
# a machine without gettext serves every language.
LOCALE_PATHS = [BASE_DIR / "locale"]
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
# and page caching count and store there), else each process's own memory. While Redis is
# unreachable the cache answers as an empty one (cpec_tracker.caching.redis_cache): pages are
# rendered afresh and API throttling fails open.

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CPEC_CACHE_KEY_PREFIX", "cpec")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cpec_tracker.caching.redis_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                # A Redis that does not answer costs a request this long at most, once per
                # CPEC_REDIS_RETRY_SECONDS per process.
                "socket_connect_timeout": float(os.environ.get("CPEC_REDIS_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("CPEC_REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
# After Redis fails, each process leaves it alone this long before trying it again.
CPEC_REDIS_RETRY_SECONDS = float(os.environ.get("CPEC_REDIS_RETRY_SECONDS", "5"))
# With Redis, the tables' versions are kept there too, so a page-cache hit reads no SQL
# (cpec_tracker.caching.shared_versions); each save drops them on commit. They are read again
# from the database at the latest this many seconds after they were stored: the bound on how
# long a write Django did not see (psql, a process killed between its commit and Redis) can go
# unnoticed. 0 reads them from the database on every request, as without Redis.
CPEC_VERSIONS_CACHE_SECONDS = float(os.environ.get("CPEC_VERSIONS_CACHE_SECONDS", "5"))

# Background work (django-tasks): jobs are rows in the database, run by `manage.py db_worker`
# (the worker `make run` starts beside gunicorn), so any number of web servers and workers
# share one queue without a broker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The two-person rule (cpec_tracker.editing.review): a change to what the public sees is
# approved by a chief editor other than its author. A one-person newsroom may let authors
# approve their own; every change approved so says it.
CPEC_REVIEW_SELF_APPROVAL = env_bool("CPEC_REVIEW_SELF_APPROVAL", False)

# Page cache (cpec_tracker.caching.pages): anonymous pages and API answers, by data version.

# Off by default in debug mode, where templates change without the data changing.
CPEC_PAGE_CACHE = env_bool("CPEC_PAGE_CACHE", not DEBUG)
CPEC_PAGE_CACHE_ALIAS = "default"
# Lists count their rows once per version of the tables counted, in the same cache, instead
# of on every request (a count of 100,000 rows costs more than rendering the page).
CPEC_COUNT_CACHE = env_bool("CPEC_COUNT_CACHE", not DEBUG)
# API details kept as the bytes sent, per version of the tables they were read
# from (cpec_tracker.api.documents), in the same cache; independent of CPEC_PAGE_CACHE.
CPEC_DOCUMENT_CACHE = env_bool("CPEC_DOCUMENT_CACHE", not DEBUG)
# How long an entry lives; a change of data makes it unreachable at once, whatever this says.
CPEC_PAGE_CACHE_SECONDS = int(os.environ.get("CPEC_PAGE_CACHE_SECONDS", "3600"))
# A request for a page another request is rendering waits for that render, at most this long,
# rather than render the page beside it; then it renders the page itself.
CPEC_PAGE_RENDER_WAIT_SECONDS = int(os.environ.get("CPEC_PAGE_RENDER_WAIT_SECONDS", "5"))
# Browsers and proxies may keep a page this long without asking again; 0 = revalidate (ETag).
CPEC_PAGE_MAX_AGE = int(os.environ.get("CPEC_PAGE_MAX_AGE", "0"))
# Never cached besides the admin (at ADMIN_PATH): the trivial view the benchmark measures as
# its floor.
CPEC_PAGE_CACHE_EXCLUDED_PATHS = ["/healthz"]
# Cached pages are keyed on a digest of these folders' code and templates, so a deploy never
# serves pages rendered by the previous release; CPEC_RELEASE adds what they cannot show
# (e.g. upgraded packages).
CPEC_PAGE_CACHE_CODE_FOLDERS = [
    BASE_DIR / name for name in ("cpec_tracker", "meetings", "projects", "templates", "locale")
]
CPEC_RELEASE = os.environ.get("CPEC_RELEASE", "")

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


# Security headers and HTTPS (the admin, the pages and the API alike)

# X-Content-Type-Options: nosniff and X-Frame-Options: DENY are Django's defaults, kept.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Sent by cpec_tracker.web.security.SecurityHeadersMiddleware (Django has no setting).
SECURE_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# DJANGO_HTTPS=true when the site is served over HTTPS: HSTS, cookies sent only over HTTPS
# and every plain-HTTP request redirected. Behind a proxy that terminates TLS, also set
# DJANGO_PROXY_SSL_HEADER=true so Django believes the proxy's X-Forwarded-Proto.
HTTPS = env_bool("DJANGO_HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if env_bool("DJANGO_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The map (/map/)

# A tile server for the map's background, as Leaflet names one
# ("https://tiles.example.org/{z}/{x}/{y}.png"; "{s}" for its subdomains). Empty (the
# default): the map draws only the country outlines that ship with the app, and asks no other
# server for anything. Its origin is added to the pages' img-src below.
CPEC_MAP_TILE_URL = os.environ.get("CPEC_MAP_TILE_URL", "").strip()
# The credit the tile server's licence asks for, shown in the map's corner (plain text).
CPEC_MAP_TILE_ATTRIBUTION = os.environ.get("CPEC_MAP_TILE_ATTRIBUTION", "").strip()


def tile_origin(url):
    """The origin a tile URL's images come from, as CSP writes it ("{s}." is any subdomain)."""
    parts = urlsplit(url.replace("{s}.", "*."))
    if parts.scheme not in ("http", "https") or not parts.netloc or "{" in parts.netloc:
        raise ImproperlyConfigured(
            f"CPEC_MAP_TILE_URL must be an http(s) address such as "
            f"https://tiles.example.org/{{z}}/{{x}}/{{y}}.png, not {url!r}"
        )
    return f"{parts.scheme}://{parts.netloc}"


# django-csp: a strict policy; every script and style is a file served by the site itself.

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the admin's and the API docs' small inline SVG icons.
        "img-src": [
            "'self'",
            "data:",
            *([tile_origin(CPEC_MAP_TILE_URL)] if CPEC_MAP_TILE_URL else []),
        ],
        "font-src": ["'self'"],
        # The API docs fetch the OpenAPI schema from the site.
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    },
}

# django-simple-history: every tracker model keeps its history (see cpec_tracker.records.models).

# The admin shows history rows with their changed fields; reverting needs change permission.
SIMPLE_HISTORY_REVERT_DISABLED = False

# django-axes: admin login lockout

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username+address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 5 failed logins for the same username from the same address lock that pair for an hour
# (answered with 429); other usernames from the address, and a success, are unaffected.
AXES_FAILURE_LIMIT = int(os.environ.get("CPEC_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
# The client address comes from REMOTE_ADDR unless CPEC_PROXY_COUNT says how many reverse
# proxies stand in front of the app; then it is read from X-Forwarded-For (see
# cpec_tracker.web.security.client_ip). Leave it at 0 without a proxy, or clients could forge it.
CPEC_PROXY_COUNT = int(os.environ.get("CPEC_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "cpec_tracker.web.security.client_ip"

# Django REST framework

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # No logins: every client is anonymous, so no session, cookie or CSRF under /api/.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "cpec_tracker.api.defaults.StrictContentNegotiation",
    "EXCEPTION_HANDLER": "cpec_tracker.api.rest.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Requests per client (by address) and window, counted in the cache above.
    "DEFAULT_THROTTLE_CLASSES": ["cpec_tracker.api.defaults.FixedWindowThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": throttle_rate("CPEC_API_THROTTLE_RATE", "10000/minute")},
    # How many proxies in front of the app append to X-Forwarded-For; 0 trusts only the peer.
    # The same count of trusted proxies as the login lockout: one way to find the client.
    "NUM_PROXIES": CPEC_PROXY_COUNT,
}

# drf-spectacular (the OpenAPI schema at /api/v1/schema/, docs at /api/v1/docs/)

SPECTACULAR_SETTINGS = {
    "TITLE": "CPEC Tracker API",
    "DESCRIPTION": (
        "The public record of the China–Pakistan Economic Corridor, read-only: meetings, "
        "officials, projects, organizations, themes and sources, each fact with the quote "
        "that supports it. Lists filter like the site's pages, paginate with `page` and "
        "`page_size`, and stream whole as CSV (`format=csv`) or JSON Lines (`format=jsonl`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One named enum per choice set (several models have a `kind` or a `status`).
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "cpec_tracker.records.dates.DatePrecision",
        "SourceKindEnum": "cpec_tracker.records.models.sources.SourceKind",
        "OrganizationKindEnum": "cpec_tracker.records.models.vocabulary.OrganizationKind",
        "ThemeKindEnum": "cpec_tracker.records.models.vocabulary.ThemeKind",
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
        "InstrumentEnum": "projects.models.Instrument",
        "FinancingStatusEnum": "projects.models.FinancingStatus",
        "UsdBasisEnum": "projects.models.UsdBasis",
        "LocationPrecisionEnum": "projects.models.LocationPrecision",
        "PlaceCountryEnum": "projects.models.PlaceCountry",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cpec_tracker.api.schema.document_api",
    ],
}

# django-cors-headers: any site may read the API from a browser, without credentials.

CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# CPEC Tracker

# The admin's address, e.g. "editors-7f3a/" to keep it off the usual scanners' path.
ADMIN_PATH = os.environ.get("CPEC_ADMIN_PATH", "admin/").strip("/") + "/"
# Where an editor lands after logging in without a `next`, or with one that is not safe
# (Django's default, /accounts/profile/, is no page here).
LOGIN_REDIRECT_URL = "admin:index"

# Site-wide search (/search/): the class that answers it (cpec_tracker.records.searching).
# The default stays on the database's own full-text indexes; docs/search.md says when a
# deployment should move to a search engine, and how (one class implementing SearchBackend).
CPEC_SEARCH_BACKEND = os.environ.get(
    "CPEC_SEARCH_BACKEND", "cpec_tracker.records.searching.DatabaseSearch"
)

# Where `python manage.py seed` reads its seed file (the sources sit beside it).
SEED_FILE = Path(os.environ.get("CPEC_SEED_FILE", BASE_DIR / "seeds" / "seed.toml"))

# Source intake (cpec_tracker/intake/fetching.py): fetching a page an editor names by its URL

# Seconds to connect and for the whole page to arrive.
CPEC_INTAKE_TIMEOUT = float(os.environ.get("CPEC_INTAKE_TIMEOUT", "10"))
# The most bytes a source may be: a page read from its URL (after decompression), pasted HTML,
# pasted text, a source's saved text (UTF-8). A larger one is refused with a form error.
CPEC_INTAKE_MAX_BYTES = int(os.environ.get("CPEC_INTAKE_MAX_BYTES", str(5 * 1024 * 1024)))
# Django's limit on a request's form data, from the one above: a browser posts a form
# percent-encoded, up to 3 bytes for each byte of text (Urdu and Chinese take 2 or 3 bytes a
# letter, each sent as %XX), and the form's other fields come beside it. A text up to the
# limit always reaches the form, which says what is too large, instead of Django's bare 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * CPEC_INTAKE_MAX_BYTES + 1024 * 1024
CPEC_INTAKE_MAX_REDIRECTS = int(os.environ.get("CPEC_INTAKE_MAX_REDIRECTS", "5"))
# Only for tests that fetch from their own server on 127.0.0.1: never on in production, where
# it would let an editor's URL reach services listening on this machine.
CPEC_INTAKE_ALLOW_LOOPBACK = env_bool("CPEC_INTAKE_ALLOW_LOOPBACK", False)

# Open data (/data/: cpec_tracker/site/datafiles.py)

# Where the dataset's files are written, one folder per data version (created on first use;
# git-ignored by default). Each app server keeps its own; on several servers a shared folder
# works too, as builds lock against each other there.
CPEC_DATA_DIR = Path(os.environ.get("CPEC_DATA_DIR", BASE_DIR / "var" / "data"))
# The files are built by a background job (cpec_tracker/site/datajobs.py), never in a request:
# saves enqueue it this many seconds ahead, so that a burst of saves makes one build.
CPEC_DATA_BUILD_DELAY = float(os.environ.get("CPEC_DATA_BUILD_DELAY", "5"))
# Which TASKS backend runs the build: the database queue the workers read (`manage.py
# db_worker`). The test suite names one that runs it at once, as its data sits in a
# transaction no worker can see.
CPEC_DATA_BUILD_BACKEND = "default"
# How many processes a build spreads its work over (cpec_tracker/forked.py): one per core by
# default, as the build is all Python. A build in a transaction (the test suite's) or on an
# in-memory database runs in one process whatever this says.
CPEC_DATA_BUILD_PROCESSES = int(os.environ.get("CPEC_DATA_BUILD_PROCESSES") or os.cpu_count() or 1)
# The site's public address: the downloadable files hold absolute links to its pages and API,
# built once for every visitor, so they cannot take the address from a request.
CPEC_SITE_URL = os.environ.get("CPEC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Email (alerts: cpec_tracker/site/alerts)

TRUE_WORDS = {"1", "true", "yes", "on"}


def email_settings(url):
    """Django's email settings from one address: smtp://user:pass@host:587/?tls=true (or
    ssl=true, timeout=10), smtps:// for TLS from the start; console:// prints messages;
    file:///path writes each to a file in that folder."""
    address = urlsplit(url)
    options = {key: values[-1] for key, values in parse_qs(address.query).items()}
    if address.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if address.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(address.path),
        }
    if address.scheme not in {"smtp", "smtps"} or not address.hostname:
        raise ImproperlyConfigured(
            f"EMAIL_URL must look like smtp://user:pass@host:587/, not {url!r}"
        )
    tls = options.get("tls", "").lower() in TRUE_WORDS
    ssl = address.scheme == "smtps" or options.get("ssl", "").lower() in TRUE_WORDS
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": address.hostname,
        "EMAIL_PORT": address.port or (465 if ssl else 587 if tls else 25),
        "EMAIL_HOST_USER": unquote(address.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(address.password or ""),
        "EMAIL_USE_TLS": tls,
        "EMAIL_USE_SSL": ssl,
        "EMAIL_TIMEOUT": float(options.get("timeout", "10")),
    }


# Unset: each message is written to a file in var/mail/ (beside var/data/), so `make run` needs
# no mail server.
EMAIL_URL = os.environ.get("EMAIL_URL", f"file://{BASE_DIR / 'var' / 'mail'}")
globals().update(email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CPEC Tracker <alerts@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How long a confirmation link works.
CPEC_ALERTS_CONFIRM_DAYS = int(os.environ.get("CPEC_ALERTS_CONFIRM_DAYS", "3"))
# Subscription requests per hour from one client address, and for one email address.
CPEC_ALERTS_PER_CLIENT_PER_HOUR = int(os.environ.get("CPEC_ALERTS_PER_CLIENT_PER_HOUR", "20"))
CPEC_ALERTS_PER_ADDRESS_PER_HOUR = int(os.environ.get("CPEC_ALERTS_PER_ADDRESS_PER_HOUR", "5"))
# A mail that fails is tried this many times in all, the first retry after
# CPEC_ALERTS_RETRY_SECONDS and each next one after four times as long, then marked failed.
CPEC_ALERTS_MAX_ATTEMPTS = int(os.environ.get("CPEC_ALERTS_MAX_ATTEMPTS", "5"))
CPEC_ALERTS_RETRY_SECONDS = float(os.environ.get("CPEC_ALERTS_RETRY_SECONDS", "60"))
# The hour (UTC, 0-23) the daily digest goes out.
CPEC_ALERTS_DIGEST_HOUR = int(os.environ.get("CPEC_ALERTS_DIGEST_HOUR", "6"))
