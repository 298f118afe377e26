"""Undo (of an inline run) and Roll back (of a job) are one thing: the inverse action, as a run
that `undoes` the first, on exactly the carts whose audit entries in that run say it changed
them and whose change still stands. And Resume: a stopped or stalled job goes on after its last
finished chunk.

The run's row is locked for either, so concurrent clicks take turns: a run being resumed cannot
be rolled back, a run with an undo (done, going or stopped) cannot be resumed, and the database
allows one undo per run, whatever its status (the `one_undo_per_run` index): an undo that
stopped is resumed, never started again.
"""

import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Case, Exists, OuterRef, Value, When
from django.utils import timezone

from carts.actions.declarations import DECLARED, StaffAction, declared
from carts.models import Cart, CartEvent, CartRun
from carts.querysets import CartQuerySet
from carts.runs import jobs
from carts.runs.starting import start
from carts.services import CartActionRefused

Status = CartRun.Status
# A running job whose heartbeat is older than this has lost its worker (a chunk takes ~1 s).
STALLED_AFTER = datetime.timedelta(minutes=2)
ONE_UNDO = "one_undo_per_run"


def is_stalled(run: CartRun) -> bool:
    waiting = run.status in (Status.QUEUED, Status.RUNNING)
    return waiting and run.heartbeat_at < timezone.now() - STALLED_AFTER


def stalled() -> list[CartRun]:
    since = timezone.now() - STALLED_AFTER
    active = CartRun.objects.filter(status__in=[Status.QUEUED, Status.RUNNING])
    return list(active.filter(heartbeat_at__lt=since).order_by("pk"))


def undo_of(run: CartRun) -> CartRun | None:
    """The undo of `run` (one at most), whatever its status: done, going or stopped."""
    return run.undone_by.first()


def anything_to_undo() -> Case:
    """For a list of runs: whether any cart the run changed is still as it left it. Each
    action's own test, only for the runs of that action."""
    events = CartEvent.objects.filter(run=OuterRef("pk"))
    undoable = [action for action in DECLARED.values() if action.undo]
    return Case(
        *[
            When(action=each.name, then=Exists(events.filter(each.stands, action=each.records)))
            for each in undoable
        ],
        default=Value(False),
        output_field=BooleanField(),
    )


def changed_carts(run: CartRun, action: StaffAction, user: User | None) -> CartQuerySet:
    """The carts whose audit entries in `run` say it changed them and that are still as it
    left them, among those `user` may see."""
    events = CartEvent.objects.filter(action.stands, run=run, action=action.records)
    return Cart.objects.visible_to(user).filter(pk__in=events.values("cart_id"))


def _refuse_undo(run: CartRun, action: StaffAction) -> None:
    if not action.undo:
        raise CartActionRefused(f"{run.name} cannot be undone: {action.not_undoable}.")
    if run.undoes is not None:
        raise CartActionRefused(f"{run.name} cannot be undone: it undoes {run.undoes.name}.")
    if (undo := undo_of(run)) and undo.status == Status.FAILED:
        raise CartActionRefused(
            f"{run.name} is being rolled back by {undo.name}, which stopped: resume {undo.name}."
        )
    if undo:
        raise CartActionRefused(f"{run.name} is rolled back already, or being ({undo.name}).")
    if run.status not in (Status.DONE, Status.FAILED):
        raise CartActionRefused(
            f"{run.name} is {run.get_status_display().lower()}: it can be undone once it has "
            "finished or stopped."
        )


def undo(run: CartRun, user: User | None) -> CartRun:
    """Start the run that undoes `run` (inline or as a job, by its size); refused, changing
    nothing, when it cannot be undone, is already, or has nothing left to undo."""
    action = declared(run.action)
    with transaction.atomic():
        run = _locked(run)
        _refuse_undo(run, action)
        carts = changed_carts(run, action, user)
        if not carts.exists():
            raise CartActionRefused(
                f"Nothing to undo: every cart {run.name} changed is back, or changed since."
            )
        try:
            with transaction.atomic():
                return start(action.undo, carts, user, undoes=run)
        except IntegrityError as error:
            if ONE_UNDO not in str(error):
                raise
            raise CartActionRefused(f"{run.name} is rolled back already, or being.") from None


def resume(run: CartRun) -> CartRun:
    """Start a stopped or stalled job again from its last finished chunk."""
    with transaction.atomic():
        run = _locked(run)
        if undo := undo_of(run):
            raise CartActionRefused(
                f"{run.name} is rolled back, or being ({undo.name}): it cannot be resumed."
            )
        if not (run.status == Status.FAILED or is_stalled(run)):
            raise CartActionRefused(f"{run.name} is {run.get_status_display().lower()}.")
        run.status, run.heartbeat_at, run.message = Status.QUEUED, timezone.now(), ""
        run.save(update_fields=["status", "heartbeat_at", "message"])
        transaction.on_commit(lambda: jobs.enqueue(run.pk))
    return run


def _locked(run: CartRun) -> CartRun:
    """The run's row, locked until the transaction ends, as it is now."""
    rows = CartRun.objects.select_for_update(of=("self",)).select_related("undoes")
    return rows.get(pk=run.pk)
