"""How the task worker stops (carts.runs.worker.OutlastingWorker.shutdown): the first Ctrl-C or
TERM as django-tasks-db does, a later one by the signal's default action at once, never by
raising into what the process is doing by then (its exit handlers: make run's "RuntimeError:
cannot release un-acquired lock"). In a process of its own, since a signal ends it."""

import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

A_WORKER = """
import atexit, logging, signal, sys
import django
django.setup()
from carts.runs.worker import OutlastingWorker

ending = False

class Handler(logging.StreamHandler):
    def acquire(self):
        if ending:  # the second signal lands where it did: logging.shutdown taking a lock
            signal.raise_signal(signal.SIG{second})
        super().acquire()

logging.getLogger("carts").addHandler(Handler())
worker = OutlastingWorker(
    queue_names=["default"], interval=1, batch=False, backend_name="default",
    startup_delay=False, max_tasks=None, worker_id="w", excluded_queue_names=[],
)
worker.configure_signals()
worker.running_task = True  # in the middle of a task
signal.raise_signal(signal.SIGINT)  # the first Ctrl-C: finish the task, then stop
print("after the first:", "running" if worker.running else "stopping", flush=True)

def ending_now():
    global ending
    print("exit handlers run", flush=True)
    ending = True

atexit.register(ending_now)  # runs before logging's, registered at its import
sys.exit(0)
"""


@pytest.mark.parametrize("second", ["INT", "TERM"])
def test_a_second_signal_ends_the_worker_at_once_with_no_traceback(second):
    done = subprocess.run(
        [sys.executable, "-c", A_WORKER.replace("{second}", second)],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "juniperadmin.settings", "DEBUG": "true", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.splitlines() == ["after the first: stopping", "exit handlers run"]
    assert done.returncode == -getattr(signal, f"SIG{second}"), done
    # The old worker raised SystemExit there: "RuntimeError: cannot release un-acquired lock".
    assert "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr
