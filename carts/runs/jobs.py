"""Staff actions on more carts than one request should hold, as jobs a task worker runs.

An action on more than CART_ACTION_INLINE_LIMIT carts is queued as a `CartJob` with its
selection frozen (the ids, sorted); the worker (`carts.runs.tasks.run_cart_job`) takes it
CART_JOB_CHUNK ids at a time, each chunk one transaction through the same service as an inline
action (carts locked in id order, one audit entry per cart, each naming the job). A customer
waits at most one chunk. Carts no longer open (or no longer deleted) are left alone and counted.

The job row is locked for each chunk, so two workers never run one job at once, and `position`
moves only when a chunk commits: a job whose worker died resumes after its last finished chunk.
"""

import datetime
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from carts.models import Cart, CartEvent, CartJob
from carts.services import ActionResult, CartActionRefused
from carts.services.purge import purge_deleted_carts
from carts.services.repricing import PriceLevelRefused
from carts.services.staff import change_price_level, delete_carts, restore_carts
from pricing.models import PriceLevel

logger = logging.getLogger(__name__)

Status = CartJob.Status
Kind = CartJob.Kind
# A running job whose heartbeat is older than this has lost its worker (a chunk takes ~1 s).
STALLED_AFTER = datetime.timedelta(minutes=2)
REFUSALS_KEPT = 20


def runs_as_job(count: int) -> bool:
    """Whether an action on `count` carts should run as a job rather than in the request."""
    limit: int = settings.CART_ACTION_INLINE_LIMIT
    return count > limit


def queue(job: CartJob, *, to_worker: bool = True) -> CartJob:
    """Save a new job and hand it to the worker once the caller's transaction commits (unless
    the caller runs it itself: a command run by cron)."""
    if job.kind != Kind.PURGE:
        job.cart_ids = sorted(set(job.cart_ids))
        job.total = len(job.cart_ids)
    job.save()
    if to_worker:
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> None:
    from carts.runs.tasks import run_cart_job  # the task module imports this one

    run_cart_job.enqueue(job_id)


def queue_action(
    kind: str,
    ids: Iterable[int],
    user: User | None,
    *,
    level: PriceLevel | None = None,
    reason: str = "",
    undoes: CartJob | None = None,
    to_worker: bool = True,
) -> CartJob:
    job = CartJob(kind=kind, created_by=user, cart_ids=list(ids), price_level=level)
    job.reason, job.undoes = reason, undoes
    if kind == Kind.DELETE:
        job.batch = uuid.uuid4()
    return queue(job, to_worker=to_worker)


def queue_purge(
    before: datetime.datetime, user: User | None = None, *, to_worker: bool = True
) -> CartJob:
    expired = Cart.objects.filter(status=Cart.Status.DELETED, deleted_at__lt=before).count()
    job = CartJob(kind=Kind.PURGE, created_by=user, before=before, total=expired)
    return queue(job, to_worker=to_worker)


def run(job_id: int, progress: Callable[[int], object] | None = None) -> str:
    """Work through a job chunk by chunk until it ends; returns its status."""
    job = CartJob.objects.get(pk=job_id)
    if job.kind == Kind.PURGE:
        return _run_purge(job, progress)
    while (status := _run_chunk(job_id, progress)) is None:
        pass
    return status


def _run_chunk(job_id: int, progress: Callable[[int], object] | None) -> str | None:
    """One chunk in one transaction; the job's status once it stops, None to go on."""
    try:
        with transaction.atomic():
            job = CartJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
            if job is None:
                return "running elsewhere"
            if job.status not in (Status.QUEUED, Status.RUNNING):
                return str(job.status)
            chunk_size: int = settings.CART_JOB_CHUNK
            chunk = job.cart_ids[job.position : job.position + chunk_size]
            if not chunk:
                _finish(job)
                return str(job.status)
            _apply(job, chunk)
            job.position += len(chunk)
            job.status, job.heartbeat_at = Status.RUNNING, timezone.now()
            job.save()
    except Exception as error:
        _fail(job_id, error)
        return str(Status.FAILED)
    if progress:
        progress(len(chunk))
    return None


def _apply(job: CartJob, chunk: list[int]) -> None:
    """The job's action on one chunk, through the service an inline action uses."""
    carts = Cart.objects.filter(pk__in=chunk)
    user, note = job.created_by, job.note
    try:
        if job.kind == Kind.PRICE_LEVEL:
            assert job.price_level is not None
            level = job.price_level
            _count(job, chunk, change_price_level(carts=carts, level=level, user=user, note=note))
        elif job.kind == Kind.DELETE:
            done = delete_carts(carts=carts, user=user, batch=job.batch, note=note)
            _count(job, chunk, done)
        elif job.kind == Kind.RESTORE:
            _count(job, chunk, restore_carts(carts=carts, user=user, note=note))
        else:
            _revert_levels(job, chunk)
    except PriceLevelRefused:
        raise
    except CartActionRefused:
        job.left_alone += len(chunk)  # none of the chunk is in the state the action needs


def _revert_levels(job: CartJob, chunk: list[int]) -> None:
    """Put carts a price-level job changed back at the level each had before it."""
    assert job.undoes is not None
    before = dict(
        CartEvent.objects.filter(cart_number__in=chunk, action=CartEvent.Action.PRICE_LEVEL_CHANGED)
        .filter(detail=job.undoes.note)
        .values_list("cart_number", "level_before")
    )
    levels = PriceLevel.objects.in_bulk(set(before.values()))
    for number, level in levels.items():
        ids = sorted(cart for cart, was in before.items() if was == number)
        carts = Cart.objects.filter(pk__in=ids)
        done = change_price_level(carts=carts, level=level, user=job.created_by, note=job.note)
        _count(job, ids, done)
    job.left_alone += len(set(chunk).difference(before))


def _count(job: CartJob, chunk: Sequence[int], done: ActionResult) -> None:
    job.changed += done.count
    job.left_alone += len(chunk) - done.count - len(done.refused)
    job.refused = (job.refused + done.refused)[:REFUSALS_KEPT]
    if len(done.refused) and len(job.refused) >= REFUSALS_KEPT:
        job.message = "Some carts were refused; the first are listed."
    for total in done.values:
        carts, value = job.values.get(total.currency, [0, "0"])
        job.values[total.currency] = [carts + total.carts, str(Decimal(value) + total.value)]


def _finish(job: CartJob) -> None:
    job.status, job.finished_at = Status.DONE, timezone.now()
    job.heartbeat_at = job.finished_at
    job.save()
    if job.undoes_id is not None:
        CartJob.objects.filter(pk=job.undoes_id).update(status=Status.ROLLED_BACK)


def _fail(job_id: int, error: Exception) -> None:
    if not isinstance(error, CartActionRefused):
        logger.exception("Cart job %s stopped by an error", job_id)
    reason = str(error) if isinstance(error, CartActionRefused) else f"unexpected error: {error}"
    job = CartJob.objects.get(pk=job_id)
    job.status, job.heartbeat_at = Status.FAILED, timezone.now()
    job.message = (
        f"Stopped at cart {job.position + 1:,} of {job.total:,} ({job.changed:,} changed so far; "
        f"the chunk that failed changed nothing): {reason}"
    )[:2000]
    job.save(update_fields=["status", "heartbeat_at", "message"])


def _run_purge(job: CartJob, progress: Callable[[int], object] | None) -> str:
    def advance(count: int) -> None:
        job.position += count
        job.changed += count
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["position", "changed", "heartbeat_at"])
        if progress:
            progress(count)

    assert job.before is not None
    CartJob.objects.filter(pk=job.pk).update(status=Status.RUNNING)
    try:
        chunk_size: int = settings.CART_JOB_CHUNK
        purged = purge_deleted_carts(before=job.before, batch_size=chunk_size, progress=advance)
    except Exception as error:
        _fail(job.pk, error)
        return str(Status.FAILED)
    job.values = {t.currency: [t.carts, str(t.value)] for t in purged}
    _finish(job)
    return str(job.status)


def resume(job: CartJob) -> CartJob:
    """Start a stopped or stalled job again from its last finished chunk."""
    job.refresh_from_db()
    if not (job.status == Status.FAILED or is_stalled(job)):
        raise CartActionRefused(f"Job {job.pk} is {job.get_status_display().lower()}.")
    CartJob.objects.filter(pk=job.pk).update(
        status=Status.QUEUED, heartbeat_at=timezone.now(), message=""
    )
    transaction.on_commit(lambda: enqueue(job.pk))
    job.refresh_from_db()
    return job


def is_stalled(job: CartJob) -> bool:
    waiting = job.status in (Status.QUEUED, Status.RUNNING)
    return waiting and job.heartbeat_at < timezone.now() - STALLED_AFTER


def stalled() -> list[CartJob]:
    since = timezone.now() - STALLED_AFTER
    active = CartJob.objects.filter(status__in=[Status.QUEUED, Status.RUNNING])
    return list(active.filter(heartbeat_at__lt=since).order_by("pk"))


def roll_back(job: CartJob, user: User | None) -> CartJob:
    """Queue the job that undoes a finished or stopped one: every cart it changed, and only
    those (its audit entries, or its deletion batch, say which)."""
    job.refresh_from_db()
    if job.status not in (Status.DONE, Status.FAILED):
        raise CartActionRefused(f"Job {job.pk} is {job.get_status_display().lower()}.")
    if job.kind in (Kind.PURGE, Kind.REVERT_PRICE_LEVEL) or job.undoes_id:
        raise CartActionRefused(f"Job {job.pk} cannot be undone: {job.get_kind_display()}.")
    if job.undone_by.exclude(status=Status.FAILED).exists():
        raise CartActionRefused(f"Job {job.pk} is already rolled back, or being rolled back.")
    if job.kind == Kind.DELETE:
        deleted = Cart.objects.filter(deletion_batch=job.batch, status=Cart.Status.DELETED)
        return queue_action(Kind.RESTORE, deleted.values_list("pk", flat=True), user, undoes=job)
    action, undo = {
        Kind.PRICE_LEVEL: (CartEvent.Action.PRICE_LEVEL_CHANGED, Kind.REVERT_PRICE_LEVEL),
        Kind.RESTORE: (CartEvent.Action.RESTORED, Kind.DELETE),
    }[Kind(job.kind)]
    changed = CartEvent.objects.filter(action=action, detail=job.note)
    return queue_action(undo, changed.values_list("cart_number", flat=True), user, undoes=job)
