"""JuniperAdmin settings, configured from the environment and safe by default.

DATABASE_URL  PostgreSQL (default: the embedded server `make run` starts, juniperadmin.embedded_db)
SECRET_KEY    required unless DEBUG is on
DEBUG         "true" for development; off by default
ALLOWED_HOSTS comma-separated host names
TIME_ZONE     the store's time zone; a "day" in Days Open and Last Touch is a calendar day here
CART_RETENTION_DAYS  how long deleted carts can be restored (default 30)
CSRF_TRUSTED_ORIGINS comma-separated origins, behind HTTPS
STORE_NAME    what the store side calls the store to customers' buyers
LOG_LEVEL     the least severe log level printed (default WARNING)
...and the log-in, session and HTTPS settings below; README.md, Configuration, has them all.
Every value is checked here (juniperadmin.env): a bad one stops start-up with one line.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from juniperadmin import embedded_db
from juniperadmin.env import env_bool, env_int, env_list, env_text, env_time_zone

# Django's admin and form classes take type arguments (`admin.ModelAdmin[Cart]`) only so patched.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG")

SECRET_KEY = env_text("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for development).")
    SECRET_KEY = "django-insecure-juniperadmin-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

# Behind HTTPS in production, e.g. "https://carts.example.com".
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, as the store set-up (juniperadmin.store_setup).
    "juniperadmin.apps.StoreSetUpConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "import_export",  # the store set-up's imports and exports (pricing.setup_io)
    "pricing",
    "customers",
    "carts",
    "shop",
    "juniperadmin",  # the project itself: its sign-in receivers (juniperadmin.sessions)
    # Log-in throttling and lock-out; its admin lists attempts and lock-outs (delete to unlock).
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "juniperadmin.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "juniperadmin.sessions.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A NUL byte in any admin request's parameters: 400, before a database refuses it (a 500).
    "juniperadmin.badinput.AdminNulCharacterMiddleware",
    # Last, as axes asks: turns a locked-out log-in into the "too many failed sign-ins" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "juniperadmin.urls"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "juniperadmin.context_processors.site_names",
            ],
        },
    },
]

WSGI_APPLICATION = "juniperadmin.wsgi.application"

try:
    DATABASES = {
        "default": dj_database_url.config(
            # No DATABASE_URL: make run's embedded server, so `manage.py shell` beside it works.
            default=embedded_db.url(
                env_int("EMBEDDED_PG_PORT", embedded_db.DEFAULT_PORT, minimum=1, maximum=65535)
            ),
            conn_max_age=env_int("CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
except ValueError as error:  # the URL itself is left out of the message: it may hold a password
    raise ImproperlyConfigured(
        f"DATABASE_URL must be a URL such as postgres://user@host:5432/name ({error})"
    ) from None
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL server (postgres://…).")
# A database that is down must answer fast (a 503 page, juniperadmin.middleware), well inside
# gunicorn's 30 s worker timeout: connecting gives up after DATABASE_TIMEOUT seconds (5), and so
# does waiting for a pooled connection (psycopg's pool waits 30 s by default).
DB_TIMEOUT_SECONDS = env_int("DATABASE_TIMEOUT", 5, minimum=1, maximum=25)
# And no query outlives its request: statements of web processes stop after this many seconds
# (juniperadmin.middleware); workers and commands are not limited.
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 25, minimum=1, maximum=29)
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DB_TIMEOUT_SECONDS
if DATABASES["default"].get("OPTIONS", {}).get("pool"):
    # Django's connection pool manages connections itself; persistent ones defeat it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    pool = DATABASES["default"]["OPTIONS"]["pool"]
    DATABASES["default"]["OPTIONS"]["pool"] = {
        **(pool if isinstance(pool, dict) else {}),
        "timeout": float(DB_TIMEOUT_SECONDS),
    }

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out log-in before any password is hashed (axes checks nothing else).
    "axes.backends.AxesStandaloneBackend",
    "juniperadmin.backends.ModelBackendOneQuery",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "carts:open_carts"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_time_zone("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True
# How dates and times read everywhere, the Django admin included (juniperadmin/formats/).
FORMAT_MODULE_PATH = "juniperadmin.formats"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; plain files while developing (no collectstatic).
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Cookies only over HTTPS unless DEBUG is on (SECURE_COOKIES=false for a plain-http server).
SECURE_COOKIES = env_bool("SECURE_COOKIES", True) and not DEBUG
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
# HTTPS in production, each opt-in (README.md, Production): a plain-http development or test
# server must not be redirected or pinned to HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0, maximum=63_072_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
# Only behind a proxy that sets X-Forwarded-Proto itself: anywhere else a client could claim
# https with the header.
if env_bool("PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sessions (juniperadmin.sessions): staff are signed out after STAFF_SESSION_IDLE_MINUTES
# without a request and STAFF_SESSION_MAX_HOURS after signing in; customers' buyers after
# CUSTOMER_SESSION_IDLE_DAYS without a request.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30, minimum=1, maximum=1440)
STAFF_SESSION_MAX_HOURS = env_int("STAFF_SESSION_MAX_HOURS", 12, minimum=1, maximum=720)
CUSTOMER_SESSION_IDLE_DAYS = env_int("CUSTOMER_SESSION_IDLE_DAYS", 14, minimum=1, maximum=365)
SESSION_COOKIE_AGE = CUSTOMER_SESSION_IDLE_DAYS * 24 * 60 * 60

# Log-in throttling (django-axes) on all three log-in forms: LOGIN_FAILURE_LIMIT wrong
# passwords in a row lock that username out from that address for LOGIN_LOCKOUT_MINUTES, each
# further try starting the wait again; a right password resets the count. Per username and
# address together: per username alone anyone could lock any staff member out from anywhere;
# per address alone, one shop's typos would lock out everyone behind that shop's router.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1, maximum=10_080)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind proxies the connecting address is the nearest proxy's: the client's is in
# X-Forwarded-For, which only TRUSTED_PROXY_COUNT proxies of our own can vouch for.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)
AXES_CLIENT_IP_CALLABLE = "juniperadmin.lockout.client_address"
AXES_USERNAME_CALLABLE = "juniperadmin.lockout.client_username"
# The log-in page the person used, with the reason and a 429 (juniperadmin.lockout).
AXES_LOCKOUT_CALLABLE = "juniperadmin.lockout.locked_out_response"

# How long a deleted cart can be restored before `purge_deleted_carts` destroys it.
CART_RETENTION_DAYS = env_int("CART_RETENTION_DAYS", 30, minimum=1, maximum=3650)

# Big cart actions run as jobs (carts.runs.jobs): more carts than this in one action go to the task
# worker (`manage.py run_cart_worker`). bench/README.md: 5,000 carts is about a second inline.
CART_ACTION_INLINE_LIMIT = env_int("CART_ACTION_INLINE_LIMIT", 5000, minimum=1)
# How many carts a job changes per transaction: the longest a customer waits for one.
CART_JOB_CHUNK = env_int("CART_JOB_CHUNK", 5000, minimum=1, maximum=100_000)
# The stale-cart policy, off unless set: `manage.py apply_cart_policies` (daily, from cron)
# deletes open carts with no touch for this many days, restorable for CART_RETENTION_DAYS.
STALE_CART_DAYS = env_int("STALE_CART_DAYS", 0, minimum=0, maximum=36_500)
# A submit up to this many days after a staff call, e-mail or visit is recovered (carts.recovery).
RECOVERY_WINDOW_DAYS = env_int("RECOVERY_WINDOW_DAYS", 14, minimum=1, maximum=365)
# Tasks live in the app's own database (django-tasks-db): one queued inside a transaction
# commits or rolls back with it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

DJANGO_TABLES2_TEMPLATE = "carts/_table.html"

# The store's name (STORE_NAME), e-mail (EMAIL_URL or EMAIL_*), the sender and the recovery
# e-mails' limits: juniperadmin/mail_config.py says each.
from juniperadmin.mail_config import *  # noqa: E402, F403

LOG_LEVEL = env_text("LOG_LEVEL", "WARNING").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL.")

# One line per event. Django's own config gives the "django" logger a console handler of its
# own (under DEBUG), which printed every line a second time beside the root's: here only the
# root prints. A 4xx is a refused request, not a bug: its line carries no traceback.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_4xx_traceback": {"()": "juniperadmin.logs.ClientErrorsWithoutTraceback"},
    },
    "formatters": {
        "line": {"format": "{levelname} {name}: {message}", "style": "{"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.request": {"filters": ["no_4xx_traceback"]},
        # The dev server's request lines, printed once by their own handler.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# Content-Security-Policy (django-csp): every script, style, image and font from this site
# only, no inline script or style anywhere (the templates have none; the browser tests fail
# on any violation), and no page inside another site's frame.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}
