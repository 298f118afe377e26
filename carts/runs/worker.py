"""A task worker that outlasts the database going away (`run_cart_worker`).

django-tasks-db's worker loop ends at the first database error outside a task (its poll for
the next task, or recording a task's result): a process manager may start it again, but under
`--reload` (the default with DEBUG, as in `make run`) the process stays up with its loop dead.
This one closes the broken connection, waits (0.5 s, doubling up to 30 s), and goes on; each
time it gets through, first it hands out again what the outage stopped (carts.runs.recovery),
as it does when it starts. After each task it marks failed the task rows of jobs that ended
while a killed worker's row still said "running".

Stopping: the first Ctrl-C (or TERM) stops it as django-tasks-db does, at once when idle, after
the task when running one. Any signal after that ends the process there and then, by the
signal's own default action: raising into whatever the process is doing by then (its exit
handlers, logging.shutdown's lock above all) is what printed "RuntimeError: cannot release
un-acquired lock" on `make run`'s Ctrl-C. A task cut short so is handed out again by the next
worker (carts.runs.recovery), as after a crash.
"""

import logging
import os
import signal
import time
from types import FrameType
from typing import Any

from django.db import Error, connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from carts.runs import recovery
from carts.runs.resilience import is_passing

logger = logging.getLogger(__name__)

FIRST_PAUSE = 0.5
LONGEST_PAUSE = 30.0


class OutlastingWorker(Worker):
    def run(self) -> None:
        pause = FIRST_PAUSE
        while self.running:
            try:
                report(recovery.hand_out(worker_id=self.worker_id))
                pause = FIRST_PAUSE  # the database answered
                super().run()
                return
            except Error as error:
                if not is_passing(error):
                    raise
                logger.warning("Database unavailable (%s); trying again in %s s", error, pause)
            connections.close_all()
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)

    stopped_by: int | None = None

    @property
    def exit_status(self) -> int:
        """130 when Ctrl-C stopped it, as a shell reports a program Ctrl-C ended (so `make run`
        knows not to start it again); else 0, a TERM's included (a process manager's stop)."""
        return 128 + signal.SIGINT if self.stopped_by == signal.SIGINT else 0

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running:
            end_at_once(signum)  # pragma: no cover - ends the process: no data outlives it
        self.stopped_by = signum
        try:
            super().shutdown(signum, frame)  # exits now when idle (SystemExit)
        except SystemExit:
            raise SystemExit(self.exit_status) from None

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        super().run_task(db_task_result)
        # A job just ended may leave the task row of a killed worker "running": no one's now.
        recovery.close_orphaned_tasks()


def end_at_once(signum: int) -> None:  # pragma: no cover - as above (test_worker_signals.py)
    """End this process by the signal's default action: no Python code runs after it."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT):
        signal.signal(number, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def report(done: recovery.HandOut) -> None:
    if done.orphans:
        logger.warning("%s task(s) a stopped worker left running marked failed", done.orphans)
    if done.queued or done.resumed or done.undelivered:
        resumed = ", ".join(run.name for run in done.resumed) or "none"
        logger.info(
            "Handed out again: jobs %s; resumed: %s; e-mails left unsent by runs %s",
            done.queued,
            resumed,
            done.undelivered,
        )
    if done.left:
        names = ", ".join(run.name for run, _ in done.left)
        logger.warning("Stopped, left for a person (the Jobs page, resume_cart_jobs): %s", names)
