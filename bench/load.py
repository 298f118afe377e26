"""Throughput: gunicorn (2 sync workers) on a free loopback port, wrk against each view.

Bounded in time: gunicorn gets 60 s to answer, each wrk run its duration plus 30 s, and
gunicorn is stopped at the end whatever happened.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
WORKERS = 2
WRK_THREADS, WRK_CONNECTIONS = 2, 4
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Throughput:
    requests_per_second: float
    median_ms: float
    problems: str = ""  # non-2xx answers or socket errors, as wrk reports them


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def answers(url: str, cookie: str = "") -> int:
    """The status of one GET, redirects not followed (0 when nothing answers)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        connection.request("GET", urlunsplit(("", "", parts.path, parts.query, "")),
                           headers={"Cookie": cookie} if cookie else {})  # fmt: skip
        response = connection.getresponse()
        if response.status != 200:
            where = response.getheader("Location", "")
            print(f"bench: {url} answered {response.status} {where}", file=sys.stderr)
        return response.status
    except OSError:
        return 0
    finally:
        connection.close()


@contextmanager
def gunicorn(database_url: str) -> Iterator[str]:
    """A running gunicorn with the bench settings; yields its base URL."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    command = [str(GUNICORN), "juniperadmin.wsgi:application", "--workers", str(WORKERS),
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]  # fmt: skip
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
        try:
            yield wait_until_up(server, f"http://127.0.0.1:{port}", log)
        finally:
            stop(server)


def wait_until_up(server: subprocess.Popen[bytes], base: str, log: IO[bytes]) -> str:
    deadline = time.monotonic() + 60
    while answers(f"{base}/accounts/login/") != 200:
        if server.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            raise RuntimeError(f"gunicorn did not start:\n{log.read().decode()[-2000:]}")
        time.sleep(0.3)
    return base


def stop(server: subprocess.Popen[bytes]) -> None:
    """gunicorn and its workers: its own process group, started above."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def parse_wrk(output: str) -> Throughput:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    median = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", output)
    if not rate or not median:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    problems = [
        line.strip()
        for line in output.splitlines()
        if line.strip().startswith(("Non-2xx", "Socket errors"))
    ]
    return Throughput(
        requests_per_second=float(rate.group(1)),
        median_ms=float(median.group(1)) * UNITS_MS[median.group(2)],
        problems="; ".join(problems),
    )


def wrk(url: str, cookie: str, seconds: int) -> Throughput:
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s",
               "--timeout", "10s", "--latency", "-H", f"Cookie: {cookie}", url]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    return parse_wrk(done.stdout + done.stderr)


def throughput(
    database_url: str, paths: dict[str, str], cookie: str, seconds: int
) -> dict[str, Throughput | str]:
    """req/s and median latency per view; a string says why a view was not loaded."""
    results: dict[str, Throughput | str] = {}
    with gunicorn(database_url) as base:
        for view, path in paths.items():
            print(f"bench: wrk {seconds} s against {path}", file=sys.stderr)
            # Warm both workers (imports, template caches) and check the session works.
            statuses = {answers(base + path, cookie) for _ in range(2 * WORKERS)}
            if statuses != {200}:
                results[view] = f"HTTP {sorted(statuses)}"
                continue
            results[view] = wrk(base + path, cookie, seconds)
    return results
