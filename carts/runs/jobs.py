"""Working through a run, chunk by chunk, through its action's service (carts.actions.declarations):
the same code inline and in a worker.

Inline, the whole selection is one chunk in the request's transaction (`run_inline`): a refusal
propagates and nothing is left, not even the run's record. A job takes CART_JOB_CHUNK ids at a
time (`run`), each chunk one transaction with its carts locked in id order and one audit entry
per cart naming the run; a chunk none of whose carts is in the state the action needs counts
them as left alone and goes on; a passing database error (a dropped connection, a deadlock)
runs the chunk again, a few times (carts.runs.resilience); any other refusal or error stops
the job (`failed`), and the chunk it was on changes nothing.

The run's row is locked for each chunk, purges' too, so two workers never run one job at once
(a second one waits for the chunk, then goes on after it), a finished run never runs again, and
`position` moves only when a chunk commits: a job whose worker died resumes after its last
finished chunk.
"""

import logging
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.utils import timezone

from carts.actions.declarations import Chunk, StaffAction, declared
from carts.models import Cart, CartRun
from carts.runs import resilience
from carts.runs.size import chunk_size
from carts.services import ActionResult, CartActionRefused, NothingToChange
from carts.services.audit import among

logger = logging.getLogger(__name__)

Status = CartRun.Status
Progress = Callable[[int], object] | None
REFUSALS_KEPT = 20


def enqueue(run_id: int) -> None:
    from carts.runs.tasks import run_cart_job  # the task module imports this one

    run_cart_job.enqueue(run_id)


def run_inline(run: CartRun) -> None:
    """The whole selection as one chunk, in the caller's transaction; refusals propagate. What
    it records to deliver (e-mails) goes once that transaction commits."""
    _apply(run, run.cart_ids, inline=True)
    run.position = run.total
    _finish(run)
    deliver = declared(run.action).deliver
    if deliver is not None:
        transaction.on_commit(partial(deliver, run.pk))


def run(run_id: int, progress: Progress = None, *, chunk: int | None = None) -> str:
    """Work through a job chunk by chunk until it ends; returns its status. An inline run, done
    in its request, has only what that request left undelivered to deliver (`deliver_left`)."""
    if CartRun.objects.filter(pk=run_id, mode=CartRun.Mode.INLINE).exists():
        return deliver_left(run_id)
    while (status := run_chunk(run_id, progress, chunk=chunk)) is None:
        pass
    return status


def deliver_left(run_id: int) -> str:
    """What an inline run's request recorded and did not deliver, its process stopped after
    the commit (handed out by `carts.runs.recovery`): settled first, as a job's chunk does
    (what was mid-send is "not confirmed", never sent again), then what is queued goes."""
    with transaction.atomic():
        locked = CartRun.objects.select_for_update(of=("self",)).get(pk=run_id)
        action = declared(locked.action)
        waiting = action.settle(locked) if action.settle else False
    if waiting and action.deliver is not None:
        action.deliver(run_id)
    return str(locked.status)


def run_chunk(
    run_id: int, progress: Progress = None, *, chunk: int | None = None, attempt: int = 0
) -> str | None:
    """One chunk in one transaction; the run's status once it stops, None to go on. After a
    passing database error the chunk, which changed nothing, runs again (resilience)."""
    try:
        with transaction.atomic():
            # Waits for a chunk another worker is on, then goes on after it (or stops with it).
            rows = CartRun.objects.select_for_update(of=("self",))
            related = ("created_by", "price_level", "undoes", "email_template")
            locked = rows.select_related(*related).filter(pk=run_id).first()
            if locked is None:
                return "no such run"
            if locked.status not in (Status.QUEUED, Status.RUNNING):
                return str(locked.status)
            action = declared(locked.action)
            ids = _next_chunk(locked, action, chunk)
            if ids is None:
                return str(locked.status)
        if action.deliver is not None:  # once the chunk has committed, never inside it
            action.deliver(run_id)
    except Exception as error:
        if resilience.retry_after(error, attempt):
            return run_chunk(run_id, progress, chunk=chunk, attempt=attempt + 1)
        return _fail(run_id, error)
    if progress and ids:
        progress(len(ids))
    return None


def _next_chunk(locked: CartRun, action: StaffAction, chunk: int | None) -> list[int] | None:
    """The run's next chunk, applied (in the caller's transaction, its run row locked); None
    once the run has finished. An action that delivers after its chunks finishes only in a
    chunk of its own, once nothing it recorded is left to deliver."""
    waiting = action.settle(locked) if action.settle else False
    size = chunk or (action.chunk or chunk_size)()
    ids: list[int] = locked.cart_ids[locked.position : locked.position + size]
    if not ids and not waiting:
        _finish(locked)
        return None
    if ids:
        _apply(locked, ids)
    locked.position += len(ids)
    locked.status, locked.heartbeat_at = Status.RUNNING, timezone.now()
    if locked.position < locked.total or action.deliver is not None:
        locked.save()
    else:  # done with its last chunk, in its transaction
        _finish(locked)
    return ids


def _apply(run: CartRun, ids: list[int], *, inline: bool = False) -> None:
    """The run's action on these carts, as its creator sees them, through its service."""
    carts = Cart.objects.visible_to(run.created_by).filter(pk__in=among(ids))
    try:
        _count(run, ids, declared(run.action).service(Chunk(run, carts)))
    except NothingToChange:
        if inline:
            raise
        run.left_alone += len(ids)  # none of the chunk is in the state the action needs


def _count(run: CartRun, ids: Sequence[int], done: ActionResult) -> None:
    run.changed += done.count
    run.left_alone += len(ids) - done.count - len(done.refused)
    run.refused_count += len(done.refused)
    run.refused = (run.refused + done.refused)[:REFUSALS_KEPT]
    run.value_after += done.total_after
    for total in done.values:
        carts, value = run.values.get(total.currency, [0, "0"])
        run.values[total.currency] = [carts + total.carts, str(Decimal(value) + total.value)]


def _finish(run: CartRun) -> None:
    run.status, run.finished_at = Status.DONE, timezone.now()
    run.heartbeat_at = run.finished_at
    run.save()


def _fail(run_id: int, error: Exception) -> str:
    """Stop the run with the reason; one that ended meanwhile in another worker's hands stays
    as it is. Its status, either way."""
    if not isinstance(error, CartActionRefused):
        logger.exception("Cart job %s stopped by an error", run_id)
    reason = resilience.reason(error)
    with transaction.atomic():
        job = CartRun.objects.select_for_update(of=("self",)).get(pk=run_id)
        if job.status not in (Status.QUEUED, Status.RUNNING):
            return str(job.status)
        job.status, job.heartbeat_at = Status.FAILED, timezone.now()
        job.message = (
            f"Stopped at cart {job.position + 1:,} of {job.total:,} ({job.changed:,} changed so "
            f"far; the chunk that failed changed nothing): {reason}"
        )[:2000]
        job.save(update_fields=["status", "heartbeat_at", "message"])
    return str(Status.FAILED)
