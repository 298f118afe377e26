"""The bench's own PostgreSQL database: create, migrate, seed when empty, vacuum.

Never the demo or test databases: their names are refused outright.
"""

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/juniperadmin_bench"
REFUSED_NAMES = {"seedbench", "juniperadmin", "postgres", "template0", "template1"}
SEED_CARTS = 1_000_000


@dataclass(frozen=True)
class SeedTiming:
    carts: int
    seconds: float
    peak_mb: float


def database_name(url: str) -> str:
    return str(conninfo_to_dict(url).get("dbname", ""))


def refuse_shared(url: str) -> None:
    """Stop before touching a database someone else relies on (demo, tests, maintenance)."""
    name = database_name(url)
    if not name or name in REFUSED_NAMES or name.startswith("test"):
        sys.exit(f"bench: refusing to use database {name!r}; give it a database of its own.")


def with_name(url: str, name: str) -> str:
    """The same server, another database (as a URL, for DATABASE_URL)."""
    head, _, tail = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{tail}" if tail else "")


def _maintenance(url: str) -> psycopg.Connection:
    return psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True)


def ensure_database(url: str) -> bool:
    """Create the database if it is missing; True if it was created."""
    refuse_shared(url)
    name = database_name(url)
    with _maintenance(url) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def drop_database(url: str) -> None:
    refuse_shared(url)
    name = sql.Identifier(database_name(url))
    with _maintenance(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def manage(url: str, *args: str) -> subprocess.Popen[bytes]:
    """Start `manage.py …` on `url` with the bench settings."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    # Its chatter goes to stderr: stdout carries only the Markdown report.
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, stdout=sys.stderr
    )


def seed(url: str, carts: int = SEED_CARTS) -> SeedTiming:
    """`seed_demo --carts N` in a process of its own: wall time and its peak memory."""
    started = time.perf_counter()
    process = manage(url, "seed_demo", "--carts", str(carts), "--no-progress")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode:
        sys.exit(f"bench: seed_demo failed (exit {process.returncode})")
    return SeedTiming(carts=carts, seconds=seconds, peak_mb=usage.ru_maxrss / 1024)


def migrate(url: str) -> None:
    if manage(url, "migrate", "--noinput", "--verbosity", "0").wait():
        sys.exit("bench: migrate failed")


def vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def prepare(url: str) -> SeedTiming | None:
    """Migrate; seed a million carts if there are none; vacuum. Returns the seed's timing."""
    from django.core.management import call_command

    from carts.models import Cart

    ensure_database(url)
    migrate(url)
    timing = None if Cart.objects.exists() else seed(url)
    vacuum_analyze()
    call_command("collectstatic", interactive=False, verbosity=0)
    return timing


def seed_into_scratch(url: str) -> SeedTiming:
    """Time seed_demo on an empty scratch database next to the bench's, then drop it."""
    scratch = with_name(url, database_name(url) + "_seed")
    drop_database(scratch)
    ensure_database(scratch)
    try:
        migrate(scratch)
        return seed(scratch)
    finally:
        drop_database(scratch)


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version: str = cursor.fetchone()[0]
        return version
