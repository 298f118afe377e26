"""Ctrl-C on `make run` ends it with no traceback, whenever it comes: while the demo data is
being made, or with the server and the task worker up, pressed once or twice (the second one
used to land in an exit handler: "RuntimeError: cannot release un-acquired lock").

The real `make run` (on a database of its own on the tests' server), in a session of its own as
a terminal runs it; SIGINT goes to its whole process group, as Ctrl-C does."""

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

from juniperadmin.embedded_db.server import free_port

ROOT = Path(__file__).resolve().parent.parent
UP = ("Quit the server with CONTROL-C.", "Starting worker")
SETTING_UP = "JuniperAdmin is starting at"
NO_SUCH = ("Traceback", "RuntimeError", "Error", "Exception", "The task worker stopped")

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")


def server_url(name: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    )


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    """A database of its own for make run's demo data, dropped afterwards."""
    name = f"{settings.DATABASES['default']['NAME']}_make_run"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(server_url("postgres"), autocommit=True) as connection:
        connection.execute(drop)
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield server_url(name)
    with psycopg.connect(server_url("postgres"), autocommit=True) as connection:
        connection.execute(drop)


class MakeRun:
    def __init__(self, database_url: str) -> None:
        env = {**os.environ, "DATABASE_URL": database_url}
        # A newcomer's make run, not a make inside this run's `make test` (which would print
        # "make[1]:" and pass on its flags).
        for inherited in ("DJANGO_SETTINGS_MODULE", "MAKELEVEL", "MAKEFLAGS", "MFLAGS"):
            env.pop(inherited, None)
        # The virtualenv is there already: make must not try to install it again.
        command = ["make", "-o", ".venv/.installed", "--no-print-directory", "run"]
        self.process = subprocess.Popen(
            [*command, f"PORT={free_port()}"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, as in a terminal
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, *texts: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while not all(any(text in line for line in self.lines) for text in texts):
            assert self.process.poll() is None, self.output()
            assert time.monotonic() < deadline, f"no {texts} in:\n{self.output()}"
            time.sleep(0.1)

    def ctrl_c(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)

    def output(self) -> str:
        return "".join(self.lines)

    def ended(self, timeout: float = 60) -> bool:
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            return False
        self.reader.join(10)
        return True

    def left_running(self) -> list[str]:
        """What of make run still runs a moment after make ended (then killed). An exited
        process its parent did not wait for (Python's subprocess gives up after 0.25 s on a
        KeyboardInterrupt) is no longer running: it waits for init to reap it."""
        for _ in range(20):
            ps = ["ps", "-o", "stat=,args=", "-g", str(self.process.pid)]
            listed = subprocess.run(ps, capture_output=True, text=True).stdout.splitlines()
            running = [line for line in listed if not line.startswith("Z")]
            if not running:
                return []
            time.sleep(0.1)
        os.killpg(self.process.pid, signal.SIGKILL)
        return running


@pytest.mark.parametrize(
    ("wait_for", "presses"),
    [(UP, 1), (UP, 2), ((SETTING_UP,), 1)],
    ids=["up-once", "up-twice", "setting-up"],
)
def test_ctrl_c_ends_make_run_with_no_traceback(database_url, wait_for, presses) -> None:
    run = MakeRun(database_url)
    run.wait_for(*wait_for)
    for _ in range(presses):
        run.ctrl_c()
        time.sleep(0.3)
    assert run.ended(), f"make run did not end on Ctrl-C:\n{run.output()}"
    output = run.output()
    assert not [text for text in NO_SUCH if text in output], output
    # As after any Ctrl-C, make says it was interrupted; nothing of make run is left running.
    assert re.search(r"make: \*\*\* \[Makefile:\d+: run\] Interrupt\s*$", output), output
    assert run.left_running() == []


def test_a_command_whose_reader_is_gone_ends_quietly() -> None:
    """make run pipes the log-ins through `sed`; a Ctrl-C that stops sed first left the command
    writing into a closed pipe (BrokenPipeError and its traceback, found in CI)."""
    command = [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "manage.py"), "help"]
    env = {**os.environ, "DEBUG": "true"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader goes away before the command writes
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
