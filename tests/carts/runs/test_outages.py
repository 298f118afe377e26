"""Jobs outlast the database going away: a chunk whose connection drops runs again, the worker
(`run_cart_worker`) waits out an outage and goes on, and the task rows of a killed worker do not
stay "running". Real PostgreSQL, real worker processes; connections are cut from another
connection (pg_terminate_backend), an outage is the test database refusing connections."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from carts.models import Cart, CartEvent, CartRun
from carts.runs import jobs, undoing
from carts.runs.recovery import WorkerLost
from carts.services.customer import add_to_cart
from tests.carts.runs.making import job
from tests.carts.runs.test_worker import ROOT, database_url
from tests.factories import cart_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_behaviour]
Status = CartRun.Status
LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


def start_worker(log: Path, *options: str, **env: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(), "CART_JOB_CHUNK": "2", **env}
    command = [sys.executable, "manage.py", "run_cart_worker", "--no-startup-delay", *options]
    with log.open("w") as out:
        return subprocess.Popen(
            [*command, "--no-reload", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_for(condition: Callable[[], object], what: str, timeout: float = 30) -> object:
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)
    return found


@contextmanager
def cart_held(cart_id: int) -> Iterator[None]:
    """Another connection holding a cart's row lock: a chunk with that cart waits for it."""
    holder = psycopg.connect(database_url())
    try:
        holder.execute("SELECT 1 FROM carts_cart WHERE id = %s FOR UPDATE", [cart_id])
        yield
    finally:
        holder.close()  # an outage may have cut it: closing never fails


def one_value(sql: str, *params: object) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def waiting_backend() -> int | None:
    """The worker's database session, once its chunk waits for the held cart."""
    return one_value(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query LIKE '%%carts_cart%%'"
    )


def other_sessions() -> int:
    return one_value(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
    )


@contextmanager
def outage() -> Iterator[None]:
    """The database goes away for every session but this test's: open ones are cut and new
    ones refused, until the block ends."""
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    # A database cannot refuse connections from one of its own sessions: from another one.
    with psycopg.connect(database_url(), dbname="postgres", autocommit=True) as server:
        server.execute(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false")
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            yield
        finally:
            server.execute(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true")


def task_rows() -> list[tuple[str, str]]:
    """Each task row's status and, for a failed one, what it failed of; oldest first."""
    tasks = DBTaskResult.objects.order_by("enqueued_at")
    return list(tasks.values_list("status", "exception_class_path"))


def deletion_queued(catalog, staff, n: int) -> tuple[CartRun, list[int]]:
    cart_ids = [cart_of(catalog, ("bolt", i + 1)).pk for i in range(n)]
    with transaction.atomic():
        deletion = job("delete", cart_ids, staff, to_worker=True)
    return deletion, sorted(cart_ids)


def assert_deleted_once_each(deletion: CartRun, cart_ids: list[int]) -> None:
    deletion.refresh_from_db()
    assert (deletion.status, deletion.position, deletion.changed) == (Status.DONE, 6, 6)
    assert set(Cart.objects.filter(pk__in=cart_ids).values_list("status", flat=True)) == {"deleted"}
    events = CartEvent.objects.filter(action="deleted", run=deletion)
    assert sorted(events.values_list("cart_id", flat=True)) == cart_ids  # none done twice


def test_a_chunk_whose_connection_is_cut_runs_again_and_the_job_finishes(catalog, staff, tmp_path):
    deletion, cart_ids = deletion_queued(catalog, staff, 6)
    log = tmp_path / "worker.log"
    with cart_held(cart_ids[2]):  # the second chunk's first cart
        worker = start_worker(log, "--batch")
        waiting = wait_for(waiting_backend, "the second chunk")
        one_value("SELECT pg_terminate_backend(%s)", waiting)  # mid-chunk, from this session
    assert worker.wait(timeout=60) == 0, log.read_text()

    assert_deleted_once_each(deletion, cart_ids)
    assert "runs again in 0.5 s" in log.read_text()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_the_worker_outlasts_an_outage_mid_job_and_goes_on(catalog, staff, tmp_path):
    deletion, cart_ids = deletion_queued(catalog, staff, 6)
    log = tmp_path / "worker.log"
    worker = start_worker(log)
    try:
        with cart_held(cart_ids[2]):
            wait_for(waiting_backend, "the second chunk")
            with outage():
                wait_for(lambda: "Database unavailable" in log.read_text(), "the outage")
                assert worker.poll() is None, log.read_text()  # still there

        wait_for(lambda: CartRun.objects.get(pk=deletion.pk).status == Status.DONE, "the job")
        assert worker.poll() is None, log.read_text()
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0, log.read_text()

    assert_deleted_once_each(deletion, cart_ids)
    # The task the outage cut is marked failed; the job went on in a task of its own.
    assert task_rows() == [("FAILED", LOST), ("SUCCESSFUL", "")]


def test_a_killed_workers_task_is_marked_failed_once_its_job_goes_on_elsewhere(
    catalog, staff, tmp_path
):
    deletion, cart_ids = deletion_queued(catalog, staff, 6)
    log = tmp_path / "worker.log"
    with cart_held(cart_ids[2]):
        worker = start_worker(log)
        wait_for(waiting_backend, "the second chunk")
        worker.kill()
        worker.wait(timeout=30)
    # Its session rolls the chunk back once it finds its client gone.
    wait_for(lambda: not other_sessions(), "the killed worker's session to end")
    assert DBTaskResult.objects.get().status == "RUNNING"  # what the killed worker left

    call_command("resume_cart_jobs", verbosity=0)
    finished = start_worker(tmp_path / "again.log", "--batch")
    assert finished.wait(timeout=60) == 0, (tmp_path / "again.log").read_text()

    assert_deleted_once_each(deletion, cart_ids)
    assert task_rows() == [("FAILED", LOST), ("SUCCESSFUL", "")]


def test_resume_cart_jobs_resumes_a_job_a_passing_error_stopped_and_names_one_refused(
    catalog, staff, tmp_path
):
    deletion, cart_ids = deletion_queued(catalog, staff, 6)
    reprice = job("change_price_level", cart_ids, staff, level=catalog["dealer"])
    jobs.run_chunk(reprice.pk, chunk=2)
    add_to_cart(
        customer=Cart.objects.get(pk=cart_ids[3]).customer, product=catalog["rare"], quantity=1
    )
    assert jobs.run(reprice.pk, chunk=2) == Status.FAILED  # would be refused again
    log = tmp_path / "worker.log"
    with cart_held(cart_ids[2]):  # each try of the second chunk gives up waiting for it
        worker = start_worker(log, "--batch", PGOPTIONS="-c lock_timeout=100ms")
        assert worker.wait(timeout=60) == 0, log.read_text()
    deletion.refresh_from_db()
    assert (deletion.status, deletion.position) == (Status.FAILED, 2)
    assert "a passing database error (canceling statement due to lock timeout)" in (
        deletion.message
    )

    out = StringIO()
    call_command("resume_cart_jobs", stdout=out)

    reprice.refresh_from_db()
    assert out.getvalue().splitlines() == [
        "0 unfinished cart job(s) handed to the workers.",
        f"{deletion.name} had stopped on a passing database error: it goes on.",
        f"{reprice.name} stopped and is left for a person (Jobs page): {reprice.message}",
    ]
    assert reprice.status == Status.FAILED and "no price at Stocking Dealer" in reprice.message
    assert jobs.run(deletion.pk) == Status.DONE
    assert_deleted_once_each(deletion, cart_ids)


def test_resume_cart_jobs_marks_failed_the_task_of_a_stalled_job_and_hands_it_out(catalog, staff):
    deletion, cart_ids = deletion_queued(catalog, staff, 6)
    DBTaskResult.objects.get().claim("a-worker-since-killed")
    jobs.run_chunk(deletion.pk, chunk=2)
    stopped = timezone.now() - undoing.STALLED_AFTER * 2
    CartRun.objects.filter(pk=deletion.pk).update(heartbeat_at=stopped)

    out = StringIO()
    call_command("resume_cart_jobs", stdout=out)

    assert out.getvalue().splitlines() == [
        "1 unfinished cart job(s) handed to the workers.",
        "1 task(s) a stopped worker left running marked failed.",
    ]
    assert task_rows() == [("FAILED", LOST), ("READY", "")]
    call_command("resume_cart_jobs", verbosity=0)  # a waiting task is not queued twice
    assert DBTaskResult.objects.count() == 2
