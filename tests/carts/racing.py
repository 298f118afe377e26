"""Racing two cart actions on two real PostgreSQL connections, for tests/carts/test_races.py.

The first action runs in a transaction and holds its row locks until the second, on its own
connection, is seen waiting on one of them; then the first commits and the second finishes.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import connection, transaction

from carts.services import CartActionRefused

WAIT = 5.0  # seconds before a thread or a lock wait counts as hung


def wait_until_blocked(pid: int, timeout: float = WAIT, *, alive: Callable[[], bool]) -> None:
    """Return once backend `pid` is waiting on a lock; fail if it never does."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return
            if not alive():
                pytest.fail("The second action finished without waiting for the first's lock.")
            time.sleep(0.005)
    pytest.fail(f"The second action did not wait on a lock within {timeout} s.")


@dataclass
class Racers:
    """What the two threads of a race share."""

    first: Callable[[], object]
    second: Callable[[], object]
    holding: threading.Event = field(default_factory=threading.Event)
    second_started: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    results: dict[str, object] = field(default_factory=dict)
    errors: list[BaseException] = field(default_factory=list)
    pids: dict[str, int] = field(default_factory=dict)

    def backend_pid(self, name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pids[name] = cursor.fetchone()[0]

    def run_first(self) -> None:
        try:
            self.backend_pid("first")
            with transaction.atomic():
                self.results["first"] = self.first()
                self.holding.set()
                if not self.release.wait(WAIT):
                    raise TimeoutError("The first action was never told to commit.")
        except BaseException as error:
            self.errors.append(error)
        finally:
            self.holding.set()
            connection.close()

    def run_second(self) -> None:
        try:
            self.backend_pid("second")
            self.second_started.set()
            self.results["second"] = self.second()
        except BaseException as error:
            self.errors.append(error)
        finally:
            self.second_started.set()
            connection.close()

    def raise_any_error(self) -> None:
        if self.errors:
            raise self.errors[0]


def finish(racers: Racers, threads: list[threading.Thread]) -> None:
    """Let the first action commit and both threads end; fail, freeing them, if any hangs."""
    racers.release.set()
    for thread in threads:
        thread.join(WAIT)
    hung = [thread.name for thread in threads if thread.is_alive()]
    if hung:
        # Free the hung connections, or the table flush after the test would wait forever.
        with connection.cursor() as cursor:
            for name in hung:
                cursor.execute("SELECT pg_cancel_backend(%s)", [racers.pids.get(name, 0)])
        pytest.fail(f"Thread(s) {', '.join(hung)} still running after {WAIT} s.")


def race(first: Callable[[], object], second: Callable[[], object]) -> tuple[object, object]:
    """Run `first` holding its locks until `second`, on another connection, waits for them."""
    racers = Racers(first, second)
    threads = [threading.Thread(target=racers.run_first, name="first", daemon=True)]
    threads[0].start()
    try:
        assert racers.holding.wait(WAIT), "The first action never took its locks."
        racers.raise_any_error()
        threads.append(threading.Thread(target=racers.run_second, name="second", daemon=True))
        threads[1].start()
        assert racers.second_started.wait(WAIT), "The second action never started."
        racers.raise_any_error()
        wait_until_blocked(racers.pids["second"], alive=threads[1].is_alive)
    finally:
        finish(racers, threads)
    racers.raise_any_error()
    return racers.results["first"], racers.results["second"]


def refused_or(action: Callable[[], object]) -> Callable[[], object]:
    """The action's result, or the CartActionRefused it raised."""

    def run() -> object:
        try:
            return action()
        except CartActionRefused as refused:
            return refused

    return run
