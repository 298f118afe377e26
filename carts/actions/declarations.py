"""One declaration per staff action: its label, the permission it needs, its confirmation, its
service and how it is undone. The endpoint (carts.actions.views), the runner and the Jobs page
(carts.runs) and the permission matrix (tests/test_permission_matrix.py) all read these: a new
action is one declaration here, plus its service and its dialog's template."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Q

from carts.access import (
    CHANGE_CARTS,
    DELETE_CARTS,
    SEND_RECOVERY_EMAIL,
    SET_FOLLOW_UP,
    AnyUser,
    may,
)
from carts.actions import wording
from carts.actions.confirming import Confirmation
from carts.actions.current_prices import REPRICE_AT_CURRENT_PRICES
from carts.actions.delete import DELETE_ORDER
from carts.actions.follow_up import SET_FOLLOW_UP_DATE
from carts.actions.price_level import CHANGE_PRICE_LEVEL
from carts.mail import sending
from carts.mail.confirm import EMAIL_CUSTOMERS
from carts.mail.sending import queue_emails
from carts.models import CartEvent, CartRun
from carts.querysets import CartQuerySet
from carts.services import ActionResult
from carts.services.audit import among
from carts.services.followup import set_follow_up
from carts.services.purge import purge_carts
from carts.services.put_back import put_price_levels_back
from carts.services.repricing import refuse_unpriced
from carts.services.staff import change_price_level, delete_carts, restore_carts

Event = CartEvent.Action


@dataclass(frozen=True)
class Chunk:
    """A part of a run's frozen selection, already through the one door (as the run's creator
    sees it): what an action's service is given, once per chunk."""

    run: CartRun
    carts: CartQuerySet


@dataclass(frozen=True, kw_only=True)
class StaffAction:
    name: str  # as the screens post it and the run record stores it
    label: str
    permission: str
    # Runs the action on one chunk, through the action's service.
    service: Callable[[Chunk], ActionResult]
    # What the action writes on each cart's audit entry, and the result in words.
    records: str
    said: Callable[[CartRun], str]
    verb: str  # "Job 12 will <verb> 27 carts in the background"
    past: str  # "3 carts were not <past>: …"
    # Its dialog on Open Carts; None for an action that has none (it is not on that screen).
    confirmation: Confirmation | None = None
    # How it is undone: the action that undoes it, on exactly the carts whose audit entries in
    # the run say it changed them and whose change still `stands`; or why it cannot be.
    undo: str = ""
    undo_label: str = ""
    stands: Q = Q()
    not_undoable: str = ""
    # Refusals a job asks before it is queued (an inline run meets them in its service).
    check: Callable[[CartRun], None] | None = None
    # How many carts it takes inline at most, and per job chunk (None: CART_ACTION_INLINE_LIMIT
    # and CART_JOB_CHUNK).
    inline_limit: Callable[[], int] | None = None
    chunk: Callable[[], int] | None = None
    # An action whose effect is outside the database (an e-mail): its service records what to
    # do; `deliver` does it after the chunk commits (inline: after the request's transaction);
    # `settle`, first in each chunk's transaction, deals with what a stopped worker left half
    # done and says whether anything recorded is still to deliver.
    deliver: Callable[[int], None] | None = None
    settle: Callable[[CartRun], bool] | None = None
    # The inline runs whose request recorded something it did not deliver (its process stopped
    # after the commit), their heartbeat older than the given moment: the worker delivers it.
    undelivered: Callable[[datetime.datetime], list[int]] | None = None


def _reprice(chunk: Chunk) -> ActionResult:
    """A change of level, or (no level: Re-price at Current Prices) a re-price at each cart's
    own level: one service, one undo."""
    run = chunk.run
    return change_price_level(
        carts=chunk.carts,
        level=run.price_level,
        user=run.created_by,
        also_customer=run.also_customer,
        note=run.reason,
        run=run,
    )


def _refuse_unpriced(run: CartRun) -> None:
    if run.price_level is not None:
        refuse_unpriced(among(run.cart_ids), run.price_level)


def _put_back(chunk: Chunk) -> ActionResult:
    assert chunk.run.undoes is not None
    user, undoing = chunk.run.created_by, chunk.run.undoes
    return put_price_levels_back(carts=chunk.carts, undoing=undoing, user=user, run=chunk.run)


def _delete(chunk: Chunk) -> ActionResult:
    run = chunk.run
    return delete_carts(
        carts=chunk.carts, user=run.created_by, batch=run.batch, note=run.reason, run=run
    )


def _restore(chunk: Chunk) -> ActionResult:
    run = chunk.run
    batch = run.undoes.batch if run.undoes else None  # an undo: only what that run deleted
    return restore_carts(
        carts=chunk.carts, user=run.created_by, note=run.reason, run=run, batch=batch
    )


def _follow_up(chunk: Chunk) -> ActionResult:
    run = chunk.run
    return set_follow_up(carts=chunk.carts, day=run.follow_up_on, user=run.created_by, run=run)


def _email(chunk: Chunk) -> ActionResult:
    run = chunk.run
    assert run.email_template is not None
    return queue_emails(
        carts=chunk.carts,
        template=run.email_template,
        user=run.created_by,
        send_again=run.send_again,
        run=run,
    )


def _purge(chunk: Chunk) -> ActionResult:
    run = chunk.run
    assert run.before is not None
    return purge_carts(carts=chunk.carts, before=run.before, user=run.created_by, run=run)


# A re-price's change stands while the cart is open at the level it left it (put_back).
STILL_AS_REPRICED = Q(cart__status="open", cart__price_level_id=F("level_after"))
CHANGE, PUT_BACK = "change_price_level", "revert_price_level"
REPRICE_CURRENT = "reprice_current"
DELETE, RESTORE, PURGE = "delete", "restore", "purge"
FOLLOW_UP = "follow_up"
EMAIL_CUSTOMER = "email_customer"
DECLARED: dict[str, StaffAction] = {
    action.name: action
    for action in [
        StaffAction(
            name=CHANGE,
            label="Change Price Level",
            permission=CHANGE_CARTS,
            confirmation=CHANGE_PRICE_LEVEL,
            service=_reprice,
            check=_refuse_unpriced,
            records=Event.PRICE_LEVEL_CHANGED,
            said=wording.repriced,
            verb="re-price",
            past="re-priced",
            undo=PUT_BACK,
            undo_label="Roll back: put price levels back",
            stands=STILL_AS_REPRICED,
        ),
        StaffAction(
            name=REPRICE_CURRENT,
            label="Re-price at Current Prices",
            permission=CHANGE_CARTS,
            confirmation=REPRICE_AT_CURRENT_PRICES,
            service=_reprice,
            records=Event.REPRICED,
            said=wording.repriced_at_current,
            verb="re-price",
            past="re-priced",
            undo=PUT_BACK,
            undo_label="Undo: put the earlier prices back",
            stands=STILL_AS_REPRICED,
        ),
        StaffAction(
            name=PUT_BACK,
            label="Put Price Levels Back",
            permission=CHANGE_CARTS,
            service=_put_back,
            records=Event.PRICE_LEVEL_CHANGED,
            said=wording.put_back,
            verb="put back",
            past="put back",
            not_undoable="it is the undo of a re-price; change the price level again instead",
        ),
        StaffAction(
            name=DELETE,
            label="Delete Order",
            permission=DELETE_CARTS,
            confirmation=DELETE_ORDER,
            service=_delete,
            records=Event.DELETED,
            said=wording.deleted,
            verb="delete",
            past="deleted",
            undo=RESTORE,
            undo_label="Undo: restore its carts",
            # Still deleted by that run: not restored and deleted again since, by someone else.
            stands=Q(cart__status="deleted", cart__deletion_batch=F("run__batch")),
        ),
        StaffAction(
            name=RESTORE,
            label="Restore",
            permission=DELETE_CARTS,
            service=_restore,
            records=Event.RESTORED,
            said=wording.restored,
            verb="restore",
            past="restored",
            undo=DELETE,
            undo_label="Undo: delete them again",
            stands=Q(cart__status="open"),
        ),
        StaffAction(
            name=FOLLOW_UP,
            label="Set Follow-up Date",
            permission=SET_FOLLOW_UP,
            confirmation=SET_FOLLOW_UP_DATE,
            service=_follow_up,
            records=Event.FOLLOW_UP_SET,
            said=wording.followed_up,
            verb="set the follow-up date of",
            past="given the date",
            not_undoable="set the follow-up date again, or clear it, instead",
        ),
        StaffAction(
            name=EMAIL_CUSTOMER,
            label="E-mail Customer",
            permission=SEND_RECOVERY_EMAIL,
            confirmation=EMAIL_CUSTOMERS,
            service=_email,
            records=Event.EMAILED,
            said=wording.emailed,
            verb="e-mail the customers of",
            past="e-mailed",
            not_undoable="an e-mail cannot be taken back once sent",
            inline_limit=sending.inline_limit,
            chunk=sending.chunk_size,
            deliver=sending.deliver,
            settle=sending.settle,
            undelivered=sending.undelivered,
        ),
        StaffAction(
            name=PURGE,
            label="Purge",
            permission=DELETE_CARTS,
            service=_purge,
            records=Event.PURGED,
            said=wording.purged,
            verb="purge",
            past="purged",
            not_undoable="purged carts are destroyed for good (their history stays)",
        ),
    ]
}


def declared(name: str) -> StaffAction:
    return DECLARED[name]


def on_screen() -> list[StaffAction]:
    """The actions Open Carts offers (those with a confirmation), for its one endpoint."""
    return [action for action in DECLARED.values() if action.confirmation is not None]


def may_do(user: AnyUser, action: StaffAction) -> bool:
    return may(user, action.permission)


def undone_by(action: StaffAction) -> StaffAction:
    """The action that undoes `action`, or, when there is none, `action` itself: whose
    permission an Undo or Roll back asks, before it says why it cannot be done."""
    return DECLARED[action.undo] if action.undo else action
