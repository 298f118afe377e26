"""JuniperAdmin settings, configured from the environment and safe by default.

DATABASE_URL  database (default: a SQLite file in the project folder)
SECRET_KEY    required unless DEBUG is on
DEBUG         "true" for development; off by default
ALLOWED_HOSTS comma-separated host names
TIME_ZONE     the store's time zone; a "day" in Days Open and Last Touch is a calendar day here
CART_RETENTION_DAYS  how long deleted carts can be restored (default 30)
CSRF_TRUSTED_ORIGINS comma-separated origins, behind HTTPS
STORE_NAME    what the store side calls the store to customers' buyers
LOG_LEVEL     the least severe log level printed (default WARNING)
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Django's admin and form classes take type arguments (`admin.ModelAdmin[Cart]`) only so patched.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for development).")
    SECRET_KEY = "django-insecure-juniperadmin-development-only"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

# Behind HTTPS in production, e.g. "https://carts.example.com".
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
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
    "pricing",
    "customers",
    "carts",
    "shop",
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A test database on disk, not in memory: the browser tests' live server answers on
    # threads of its own, each with its own connection.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}
# A database that is down must answer fast (a 503 page, juniperadmin.middleware), well inside
# gunicorn's 30 s worker timeout: connecting gives up after DATABASE_TIMEOUT seconds (5), and so
# does waiting for a pooled connection (psycopg's pool waits 30 s by default).
DB_TIMEOUT_SECONDS = int(os.environ.get("DATABASE_TIMEOUT", "5"))
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DB_TIMEOUT_SECONDS
if DATABASES["default"].get("OPTIONS", {}).get("pool"):
    # Django's connection pool manages connections itself; persistent ones defeat it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    pool = DATABASES["default"]["OPTIONS"]["pool"]
    DATABASES["default"]["OPTIONS"]["pool"] = {
        **(pool if isinstance(pool, dict) else {}),
        "timeout": float(DB_TIMEOUT_SECONDS),
    }

AUTHENTICATION_BACKENDS = ["juniperadmin.backends.ModelBackendOneQuery"]

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
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
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
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

# How long a deleted cart can be restored before `purge_deleted_carts` destroys it.
CART_RETENTION_DAYS = int(os.environ.get("CART_RETENTION_DAYS", "30"))

# Big cart actions run as jobs (carts.jobs): more carts than this in one action go to the task
# worker (`manage.py db_worker`). bench/README.md: 5,000 carts is about a second inline.
CART_ACTION_INLINE_LIMIT = int(os.environ.get("CART_ACTION_INLINE_LIMIT", "5000"))
# How many carts a job changes per transaction: the longest a customer waits for one.
CART_JOB_CHUNK = int(os.environ.get("CART_JOB_CHUNK", "5000"))
# The stale-cart policy, off unless set: `manage.py apply_cart_policies` (daily, from cron)
# deletes open carts with no touch for this many days, restorable for CART_RETENTION_DAYS.
STALE_CART_DAYS = int(os.environ.get("STALE_CART_DAYS", "0"))
# Tasks live in the app's own database (django-tasks-db): one queued inside a transaction
# commits or rolls back with it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

DJANGO_TABLES2_TEMPLATE = "carts/_table.html"

# The store's name as its customers know it: the store side shows it, never "JuniperAdmin".
STORE_NAME = os.environ.get("STORE_NAME", "").strip() or "Juniper Wholesale"

LOG_LEVEL = os.environ.get("LOG_LEVEL", "").strip().upper() or "WARNING"
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
