"""Starting a run of a staff action, whatever its size: the selection frozen (its ids, sorted)
in a record (`CartRun`), then either run at once, inline, as one chunk in the caller's
transaction, or, past CART_ACTION_INLINE_LIMIT carts, queued as a job for a task worker once
the caller's transaction commits. A command runs its job itself, in its own process."""

import datetime

from django.contrib.auth.models import User
from django.db import transaction

from carts.actions.declarations import PURGE, declared
from carts.models import Cart, CartRun, RecoveryTemplate
from carts.querysets import CartQuerySet
from carts.runs import jobs
from carts.runs.size import runs_as_job
from carts.services import NothingToChange
from carts.services.purge import expired
from pricing.models import PriceLevel

Mode = CartRun.Mode
NO_CARTS = "No carts to act on; nothing was started."


def start(
    action: str,
    carts: CartQuerySet,
    user: User | None,
    *,
    level: PriceLevel | None = None,
    also_customer: bool = False,
    left_out: int = 0,
    reason: str = "",
    undoes: CartRun | None = None,
    before: datetime.datetime | None = None,
    follow_up_on: datetime.date | None = None,
    email_template: RecoveryTemplate | None = None,
    send_again: bool = False,
    mode: str | None = None,
    to_worker: bool = True,
) -> CartRun:
    """Run `action` on `carts` (already through the one door) for `user` (None: the store).
    Inline, the run is done when this returns, or it raised the action's refusal and nothing
    changed (no record either). A job is refused before it is queued by the action's own
    checks (a re-price's unpriced products: the same check the service makes), and a job of no
    carts at all (NothingToChange) before it has a record: no run of nothing is ever queued."""
    ids = sorted(set(carts.order_by().values_list("pk", flat=True)))
    run = CartRun(action=action, created_by=user, cart_ids=ids, total=len(ids), undoes=undoes)
    run.price_level, run.also_customer, run.left_out = level, also_customer, left_out
    run.reason, run.before, run.follow_up_on = reason, before, follow_up_on
    run.email_template, run.send_again = email_template, send_again
    run.mode = mode or _mode(action, len(ids))
    if run.mode == Mode.JOB and not ids:  # inline, the action's service says why, in its words
        raise NothingToChange(NO_CARTS)
    return _begin(run, to_worker=to_worker)


def _begin(run: CartRun, *, to_worker: bool) -> CartRun:
    """Inline: the run, done, in one transaction. A job: its action's checks, its record, then
    (once that commits) the worker's turn."""
    check = declared(run.action).check
    with transaction.atomic():
        if run.mode == Mode.INLINE:
            run.status = CartRun.Status.RUNNING
            run.save()
            jobs.run_inline(run)
            return run
        if check:
            check(run)
        run.save()
    if to_worker:
        transaction.on_commit(lambda: jobs.enqueue(run.pk))
    return run


def _mode(action: str, count: int) -> str:
    """Inline up to the action's own inline limit (or CART_ACTION_INLINE_LIMIT); past it a job."""
    limit = declared(action).inline_limit
    return Mode.JOB if runs_as_job(count, limit() if limit else None) else Mode.INLINE


def start_purge(before: datetime.datetime, user: User | None = None) -> CartRun | None:
    """A purge of the carts deleted before `before` as a job its caller (a command) works
    through itself; None if there are none."""
    carts = expired(Cart.objects.visible_to(user), before)
    try:
        return start(PURGE, carts, user, before=before, mode=Mode.JOB, to_worker=False)
    except NothingToChange:
        return None
