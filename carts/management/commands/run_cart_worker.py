import atexit
import os
import signal
import sys
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from carts.runs.worker import OutlastingWorker


def run_then_end(worker: OutlastingWorker) -> None:
    """Under the reloader the worker runs in a thread and the reloader in the main one: when
    the worker stops (Ctrl-C came in the middle of a task, which it finished), the process
    ends too (SIGUSR2 to the main thread, see `handle`), rather than watch files for nothing."""
    worker.run()
    os.kill(os.getpid(), signal.SIGUSR2)


class Command(db_worker.Command):
    help = (
        "Run the task worker for cart jobs (django-tasks-db's db_worker, same options) so that "
        "it outlasts a database outage: it waits for the database and goes on. As it starts, "
        "and after each outage, it hands out again the jobs a stopped worker or the outage "
        "left (as resume_cart_jobs does)."
    )

    def handle(self, **options: Any) -> None:
        # db_worker's own handle, with the worker that outlasts an outage.
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = [name for name in options["exclude_queues"].split(",") if name]
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = OutlastingWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # in the reloader's child only
                signal.signal(signal.SIGUSR2, lambda *_: sys.exit(worker.exit_status))
                # Already ending (Ctrl-C in the main thread): the worker thread's SIGUSR2 must
                # not raise SystemExit inside an exit handler ("Exception ignored in atexit").
                # Registered last, this runs before the exit handlers registered earlier.
                atexit.register(signal.signal, signal.SIGUSR2, signal.SIG_IGN)
            run_with_reloader(run_then_end, worker)
        else:
            worker.configure_signals()
            worker.run()
            sys.exit(worker.exit_status)
