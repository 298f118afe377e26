"""The app's own settings in production mode, plus the bench-only URLs (floor view, admin).

Used by bench/run.py, in process and for gunicorn. Never the app's settings module.
"""

import copy
import os
import tempfile
from pathlib import Path

from bench.database import DEFAULT_DATABASE_URL

# Production mode whatever the shell says: DEBUG pages and query logging would skew every figure.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)

from juniperadmin import settings as app_settings  # noqa: E402
from juniperadmin.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
# django.test.Client calls itself "testserver".
ALLOWED_HOSTS = [*app_settings.ALLOWED_HOSTS, "testserver"]
TEMPLATES = copy.deepcopy(app_settings.TEMPLATES)
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
# The manifest storage of production, collected here by bench/run.py on every run.
STATIC_ROOT = Path(tempfile.gettempdir()) / "juniperadmin-bench-static"
# Plain http on loopback: the load generator sends the session cookie itself.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
