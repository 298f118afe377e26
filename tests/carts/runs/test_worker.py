"""A real task worker (`manage.py db_worker`, django-tasks-db) runs the jobs the app queues, on
PostgreSQL, in a process of its own."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from carts.models import Cart, CartRun
from tests.carts.runs.making import job as queued
from tests.factories import cart_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_behaviour]
ROOT = Path(__file__).resolve().parents[3]


def database_url() -> str:
    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}/{db['NAME']}"


def run_worker() -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url(), "CART_JOB_CHUNK": "2"}
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_a_worker_runs_a_job_queued_in_a_committed_transaction(catalog, staff):
    cart_ids = [cart_of(catalog, ("bolt", n)).pk for n in range(1, 6)]
    with transaction.atomic():
        job = queued("delete", cart_ids, staff, to_worker=True)
    with transaction.atomic():
        queued("delete", cart_ids[:1], staff, to_worker=True)
        transaction.set_rollback(True)  # a job queued in a rolled-back transaction never runs
    assert DBTaskResult.objects.count() == 1

    finished = run_worker()

    assert finished.returncode == 0, finished.stderr
    job.refresh_from_db()
    assert (job.status, job.changed, job.position) == (CartRun.Status.DONE, 5, 5)
    assert set(Cart.objects.filter(pk__in=cart_ids).values_list("status", flat=True)) == {"deleted"}
    # The engine's row says only that the task ran; the run's status is in its record alone.
    task = DBTaskResult.objects.get()
    assert (task.status, task.return_value) == ("SUCCESSFUL", None)


def test_under_the_reloader_a_worker_that_stops_ends_its_process(catalog, staff):
    """As make run starts it (--reload, the default with DEBUG): the worker runs in a thread
    beside the reloader's; once it stops (here after one task, as after a Ctrl-C that let its
    task finish) the process ends, rather than watch files with nothing running."""
    cart_ids = [cart_of(catalog, ("bolt", n)).pk for n in range(1, 3)]
    with transaction.atomic():
        job = queued("delete", cart_ids, staff, to_worker=True)
    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "true"}
    command = [sys.executable, "manage.py", "run_cart_worker", "--reload", "--max-tasks", "1"]
    worker = subprocess.Popen(
        [*command, "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # the reloader's child too, killed with it if it hangs
    )
    try:
        _, stderr = worker.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        pytest.fail("the worker's process did not end once the worker stopped")
    finished = subprocess.CompletedProcess(command, worker.returncode, "", stderr)
    assert finished.returncode == 0, finished.stderr
    assert "Traceback" not in finished.stderr
    job.refresh_from_db()
    assert job.status == CartRun.Status.DONE


@pytest.mark.parametrize(("stop", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 0)])
def test_a_worker_stopped_by_ctrl_c_says_so_in_its_exit_status(stop, status):
    """130 after Ctrl-C, as a shell reports it, so make run's loop does not start it again; a
    TERM, a process manager's stop, still ends it with 0. Started as make run starts it: a
    background job of a shell script, so Ctrl-C is ignored but where a handler is set (the
    worker's own, in the reloader's child)."""
    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "true"}
    for reload in ("--reload", "--no-reload"):
        command = [sys.executable, "manage.py", "run_cart_worker", reload, "--no-startup-delay"]
        worker = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )
        assert worker.stderr is not None
        while "Starting worker" not in worker.stderr.readline():
            assert worker.poll() is None
        os.killpg(worker.pid, stop)  # as Ctrl-C reaches the reloader and its child alike
        assert worker.wait(timeout=30) == status, (reload, worker.stderr.read())
