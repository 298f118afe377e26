"""Export: every open cart of the bench's database as CSV, CSV with lines and .xlsx, served by
gunicorn (one sync worker, restarted for each, so its peak RSS is that export's): time to the
first byte, rows a second, and the worker's peak RSS (VmHWM in /proc/<pid>/status).

gunicorn gets `--timeout 900` here: an export longer than its default 30 s worker timeout would
be cut off by a sync worker (see bench/README.md, Export).
"""

import http.client
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.load import GUNICORN, ROOT, free_port, stop, wait_until_up

CASES = (
    ("CSV", "format=csv"),
    ("CSV with lines", "format=csv&lines=1"),
    (".xlsx", "format=xlsx"),
)
BLOCK = 1024 * 1024


@dataclass(frozen=True)
class Export:
    label: str
    rows: int
    megabytes: float
    headers_s: float
    first_byte_s: float
    seconds: float
    idle_rss_mb: float
    peak_rss_mb: float
    # The worker's own CPU time for the export: what it costs whatever else runs on the machine.
    cpu_s: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds


@contextmanager
def one_worker(database_url: str) -> Iterator[tuple[str, int]]:
    """gunicorn with one sync worker; yields its base URL and the worker's pid."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    command = [str(GUNICORN), "juniperadmin.wsgi:application", "--workers", "1", "--timeout",
               "900", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
        try:
            base = wait_until_up(server, f"http://127.0.0.1:{port}", log)
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
            yield base, int(children[0])
        finally:
            stop(server)


def rss_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for process {pid}")


def cpu_seconds(pid: int) -> float:
    """The process's user and system CPU time so far (/proc/<pid>/stat, in clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def download(base: str, path: str, cookie: str) -> tuple[float, float, float, int]:
    """Time to the headers, to the first byte of the body, the whole time, and the bytes."""
    connection = http.client.HTTPConnection(base.removeprefix("http://"), timeout=900)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    headers = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}: {response.read()[:300]!r}")
    size = len(response.read1(BLOCK))
    first_byte = time.perf_counter() - started
    while block := response.read1(BLOCK):
        size += len(block)
    connection.close()
    return headers, first_byte, time.perf_counter() - started, size


def floor_seconds() -> tuple[int, float]:
    """The floor: PostgreSQL alone writing the same carts' values, in the same order, as CSV
    (`COPY (…) TO STDOUT`, read and dropped), with nothing of the app's per-row work."""
    import psycopg
    from django.db import connection

    from carts.export.layout import layout_of
    from carts.listing.tables import OpenCartsTable
    from carts.models import Cart

    layout = layout_of(OpenCartsTable(Cart.objects.none()))
    carts = Cart.objects.for_open_carts_list().order_by("-created_at", "-id")
    sql, params = carts.values_list(*(layout.paths or [])).query.sql_with_params()
    connection.ensure_connection()
    raw = connection.connection
    query = psycopg.ClientCursor(raw).mogrify(sql, params)
    started, rows = time.perf_counter(), 0
    with raw.cursor() as cursor, cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
        for block in copy:
            rows += bytes(block).count(b"\n")
    return rows, time.perf_counter() - started


def measure(database_url: str, cookie: str) -> list[Export]:
    from carts.export.records import CartExport

    figures = []
    for label, query in CASES:
        with one_worker(database_url) as (base, worker):
            idle, cpu = rss_mb(worker, "VmHWM"), cpu_seconds(worker)
            headers, first_byte, seconds, size = download(base, f"/carts/export/?{query}", cookie)
            peak, cpu = rss_mb(worker, "VmHWM"), cpu_seconds(worker) - cpu
        rows = CartExport.objects.latest("started_at").rows
        figures.append(
            Export(label, rows, size / 1e6, headers, first_byte, seconds, idle, peak, cpu)
        )
    return figures


def table(figures: list[Export], floor: tuple[int, float]) -> list[str]:
    rows, seconds = floor
    lines = [
        "| export of every open cart | rows | size | headers | first byte | whole file | rows/s | "
        "worker CPU (rows per CPU second) | worker peak RSS (idle) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for each in figures:
        lines.append(
            f"| {each.label} | {each.rows:,} | {each.megabytes:,.0f} MB | "
            f"{each.headers_s * 1000:,.0f} ms | {each.first_byte_s * 1000:,.0f} ms | "
            f"{each.seconds:.1f} s | {each.rows_per_second:,.0f} | "
            f"{each.cpu_s:.1f} s ({each.rows / each.cpu_s:,.0f}) | "
            f"{each.peak_rss_mb:.0f} MB ({each.idle_rss_mb:.0f} MB) |"
        )
    lines.append(
        f"| floor: PostgreSQL alone, `COPY` of the CSV's cart values | {rows:,} | — | — | — | "
        f"{seconds:.1f} s | {rows / seconds:,.0f} | — | — |"
    )
    return lines
