"""Handing jobs out again after a worker stopped or the database went away (`hand_out`): what
`resume_cart_jobs` does, and `run_cart_worker` as it starts and after each outage it outlasts.

- An unfinished job (queued or running) goes to the workers again, unless a task for it is
  already waiting; it goes on after its last finished chunk. So does an inline run whose
  request stopped before delivering what it recorded (e-mails), for that delivery alone.
- A job stopped by a passing database error (carts.runs.resilience) is resumed.
- A job stopped by a refusal or another error would stop again: it is left, with its message,
  for a person to Resume or Roll back on the Jobs page.
- A task row a killed worker left "running" is marked failed (`close_orphaned_tasks`).
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from carts.actions.declarations import DECLARED
from carts.models import CartRun
from carts.runs import jobs, undoing
from carts.runs.resilience import PASSING
from carts.services import CartActionRefused

Status = CartRun.Status
# How many of the jobs left for a person a hand-out names.
LEFT_NAMED = 20


class WorkerLost(Exception):
    """What a task row a worker left "running" failed of (its exception class)."""


ORPHANED = (
    "The worker running this task stopped (killed, or the database went away under it); the "
    "job is handed out again by resume_cart_jobs or a starting worker."
)


@dataclass
class HandOut:
    orphans: int = 0
    # Unfinished jobs handed to the workers again.
    queued: list[int] = field(default_factory=list)
    # Inline runs whose request stopped before delivering what it recorded, handed out too.
    undelivered: list[int] = field(default_factory=list)
    # Jobs a passing database error had stopped, going on.
    resumed: list[CartRun] = field(default_factory=list)
    # Stopped jobs left for a person, each with why: its message, or why Resume was refused.
    left: list[tuple[CartRun, str]] = field(default_factory=list)


def _task_rows() -> DBTaskResultQuerySet:
    from carts.runs.tasks import run_cart_job  # the task module imports this one

    return DBTaskResult.objects.filter(task_path=run_cart_job.module_path)


def _job_of(args_kwargs: dict[str, Any]) -> int | None:
    args = args_kwargs.get("args") or []
    return args[0] if args else None


def close_orphaned_tasks(*, worker_id: str | None = None) -> int:
    """Mark failed the job tasks left "running" that nobody runs: those whose job has ended
    or stalled (undoing.STALLED_AFTER), and those `worker_id` claimed, when that worker, which
    lost its database, is between tasks. How many it marked."""
    running = _task_rows().filter(status=TaskResultStatus.RUNNING)
    rows = list(running.values_list("pk", "args_kwargs", "worker_ids"))
    if not rows:
        return 0
    going = set(
        CartRun.objects.filter(
            pk__in=[_job_of(args) for _, args, _ in rows],
            status__in=[Status.QUEUED, Status.RUNNING],
            heartbeat_at__gte=timezone.now() - undoing.STALLED_AFTER,
        ).values_list("pk", flat=True)
    )
    orphans = [
        pk
        for pk, args, workers in rows
        if _job_of(args) not in going or (worker_id and workers[-1:] == [worker_id])
    ]
    return running.filter(pk__in=orphans).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=ORPHANED,
    )


def _undelivered() -> list[int]:
    """Inline runs whose request stopped before delivering what it recorded (e-mails)."""
    before = timezone.now() - undoing.STALLED_AFTER
    found = (action.undelivered(before) for action in DECLARED.values() if action.undelivered)
    return sorted(run_id for runs in found for run_id in runs)


def hand_out(*, worker_id: str | None = None) -> HandOut:
    """Hand out again what can go on, and say what cannot (see the module)."""
    done = HandOut(orphans=close_orphaned_tasks(worker_id=worker_id))
    waiting = _task_rows().filter(status=TaskResultStatus.READY).values_list("args_kwargs")
    has_task = {_job_of(args) for (args,) in waiting}
    job_runs = CartRun.objects.filter(mode=CartRun.Mode.JOB)
    unfinished = job_runs.filter(status__in=[Status.QUEUED, Status.RUNNING]).order_by("pk")
    for job_id in unfinished.values_list("pk", flat=True):
        if job_id not in has_task:
            jobs.enqueue(job_id)
            done.queued.append(job_id)
    for run_id in _undelivered():
        if run_id not in has_task:
            jobs.enqueue(run_id)
            done.undelivered.append(run_id)
    # A stopped job with an undo is being rolled back: its undo, if stopped, is listed itself.
    undos = CartRun.objects.filter(undoes=OuterRef("pk"))
    stopped = job_runs.filter(~Exists(undos), status=Status.FAILED).order_by("-pk")
    for run in list(stopped.filter(message__contains=PASSING)):
        try:
            done.resumed.append(undoing.resume(run))
        except CartActionRefused as refusal:  # rolled back, or resumed, meanwhile
            done.left.append((run, str(refusal)))
    left = stopped.exclude(message__contains=PASSING).defer("cart_ids")[:LEFT_NAMED]
    done.left += [(run, run.message) for run in left]
    return done
