"""The Markdown report: a header saying where and on what it was measured, and one table."""

import datetime
import os
import platform
import subprocess
from pathlib import Path

import django
from django.db import connection

from bench.bulk import BulkTiming
from bench.database import SeedTiming, server_version
from bench.load import WORKERS, WRK_CONNECTIONS, WRK_THREADS, Throughput
from bench.pages import Cell
from bench.scenarios import VIEWS, Scenario

ROOT = Path(__file__).resolve().parent.parent


def git_commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" + uncommitted changes" if git("status", "--porcelain") else "")


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024**2
    return 0.0


def data_size() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'open'),"
            " (SELECT reltuples::bigint FROM pg_class WHERE relname = 'carts_cartline')"
            " FROM carts_cart"
        )
        carts, open_carts, lines = cursor.fetchone()
    return f"{carts:,} carts ({open_carts:,} open), about {lines / 1e6:.1f}M lines"


def load_average() -> str:
    """The 1-minute load average: anything else running on the machine skews the figures."""
    return f"{os.getloadavg()[0]:.1f}"


def header(runs: int, seconds: int, load_at_start: str) -> list[str]:
    now = datetime.datetime.now().astimezone()
    return [
        f"## Open Carts benchmark, {now:%Y-%m-%d %H:%M %Z}",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs, {memory_gib():.1f} GiB memory; "
        f"load average {load_at_start} at the start, {load_average()} at the end",
        f"- PostgreSQL {server_version()}, database `{connection.settings_dict['NAME']}`: "
        + data_size(),
        f"- code: git `{git_commit()}`; Django {django.get_version()}, "
        f"Python {platform.python_version()}, DEBUG off",
        f"- pages: median of {runs} interleaved runs through django.test.Client, signed in as a "
        "superuser; `q` = SQL queries per request",
        f"- throughput: gunicorn, {WORKERS} sync workers, and `wrk -t{WRK_THREADS} "
        f"-c{WRK_CONNECTIONS} -d{seconds}s` on loopback, on the same machine as PostgreSQL",
        "",
    ]


def page_cell(cell: Cell) -> str:
    if cell.marker:
        return cell.marker
    ms = cell.ms
    return f"{ms:,.1f} ms · {cell.queries} q" if ms < 10 else f"{ms:,.0f} ms · {cell.queries} q"


def load_cell(result: Throughput | str | None) -> str:
    if not isinstance(result, Throughput):
        return result or "—"
    text = f"{result.requests_per_second:,.1f} req/s · p50 {result.median_ms:,.0f} ms"
    return text + (f" ({result.problems})" if result.problems else "")


def table(
    scenarios: list[Scenario],
    cells: dict[tuple[str, str], Cell],
    load: dict[str, Throughput | str],
    extra: list[tuple[str, str]],
) -> list[str]:
    """One row per scenario, then throughput, then rows only the page has (bulk, seeding)."""
    lines = [
        "| scenario | " + " | ".join(VIEWS.values()) + " |",
        "| --- |" + " ---: |" * len(VIEWS),
    ]
    for s in scenarios:
        row = [page_cell(cells[s.label, view]) for view in VIEWS]
        lines.append(f"| {s.label} | " + " | ".join(row) + " |")
    if load:
        row = [load_cell(load.get(view)) for view in VIEWS]
        lines.append("| throughput, first page (gunicorn + wrk) | " + " | ".join(row) + " |")
    dashes = " | ".join(["—"] * (len(VIEWS) - 1))
    lines.extend(f"| {label} | {value} | {dashes} |" for label, value in extra)
    return lines


def bulk_rows(timings: list[BulkTiming]) -> list[tuple[str, str]]:
    return [
        (t.label, f"{t.seconds:,.1f} s · {t.statements} statements (slowest {t.slowest:,.1f} s)")
        for t in timings
    ]


def seed_row(timing: SeedTiming) -> tuple[str, str]:
    return (
        f"`seed_demo --carts {timing.carts:,}` (empty database)",
        f"{timing.seconds:,.0f} s · peak {timing.peak_mb:,.0f} MB",
    )


def notes(scenarios: list[Scenario]) -> list[str]:
    return [f"- {s.label}: {note}" for s in scenarios for note in s.notes]
