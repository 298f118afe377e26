"""With the database down, both sides answer at once with a 503 "try again shortly" page, one
log line and no traceback; run in a process of its own whose DATABASE_URL points nowhere."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
PATHS = ["/carts/", "/shop/", "/carts/jobs/"]

SCRIPT = """
import django, sys
django.setup()
from django.conf import settings
from django.test import Client
print("pool", settings.DATABASES["default"]["OPTIONS"].get("pool"))
client = Client()
client.cookies["sessionid"] = "x" * 32  # a session to look up: the database is needed
for path in sys.argv[1:]:
    response = client.get(path)
    print(path, response.status_code, response["Retry-After"])
    assert b"back shortly" in response.content and b"Traceback" not in response.content
"""


def run_without_database(url: str, *paths: str, **more_env: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        **more_env,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "juniperadmin.settings",
        "SECRET_KEY": "tests-only-not-a-secret",
        "ALLOWED_HOSTS": "testserver",
    }
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *paths],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_outage_gets_a_503_on_both_sides_at_once():
    # Port 9 (discard) has no PostgreSQL: connecting fails at once, as after a crash.
    done = run_without_database("postgres://postgres@127.0.0.1:9/none", *PATHS)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == [
        "/carts/ 503 30",
        "/shop/ 503 30",
        "/carts/jobs/ 503 30",
    ]
    assert done.stderr.count("Database unavailable") == 3 and "Traceback" not in done.stderr


def test_with_the_pool_an_outage_is_a_503_after_a_timeout_well_under_gunicorns():
    # The pool waits its whole timeout for a connection that never comes: one request.
    url = "postgres://postgres@127.0.0.1:9/none?pool=true"
    done = run_without_database(url, "/shop/", DATABASE_TIMEOUT="1")
    assert done.returncode == 0, done.stderr
    pool = done.stdout.splitlines()[0]
    assert pool.startswith("pool {") and "'timeout': 1.0" in pool
    assert settings.DB_TIMEOUT_SECONDS == 5  # the default: gunicorn waits 30 s
    assert done.stdout.splitlines()[1:] == ["/shop/ 503 30"]


STATEMENT_TIMEOUT = """
import django
django.setup()
from django.db import connection
{serve}
with connection.cursor() as cursor:
    cursor.execute("SHOW statement_timeout")
    print(cursor.fetchone()[0])
"""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("serve", "limit"),
    [
        ("from juniperadmin.wsgi import application", "7s"),  # serves requests: limited
        ("", "0"),  # a worker or a command: unlimited
    ],
    ids=["web process", "worker or command"],
)
def test_a_web_process_runs_every_statement_under_the_timeout(serve: str, limit: str) -> None:
    from django.db import connection

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_STATEMENT_TIMEOUT": "7"}
    done = subprocess.run(
        [sys.executable, "-c", STATEMENT_TIMEOUT.format(serve=serve)],
        env={**env, "DJANGO_SETTINGS_MODULE": "juniperadmin.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == limit
