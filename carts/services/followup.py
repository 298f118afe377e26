"""Staff follow-up on carts: a note, a contact with the customer, a follow-up date (one cart or
a selection). Each is audited like any staff action and none is a customer touch: Last Touch
stays the customer's. A refusal (`FollowUpRefused`) says why and changes nothing."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from carts.days import store_today
from carts.followup.records import NOTE_MAX_LENGTH, OUTCOME_MAX_LENGTH, CartContact, CartNote
from carts.models import Cart, CartEvent, CartRun
from carts.services import ActionResult, CartActionRefused, NothingToChange
from carts.services.audit import (
    LOCKED_FIELDS,
    LockedCart,
    actor_name,
    change_audited,
    for_update,
    lock_ids,
    record,
)

Event = CartEvent.Action
# A contact is recorded as it happens or after; a clock a little ahead of the server's is fine.
CLOCK_SLACK = datetime.timedelta(minutes=5)


class FollowUpRefused(CartActionRefused):
    """Bad input for a note, contact or follow-up date: the message says what to fix."""


class NoSuchCart(CartActionRefused):
    """The cart is gone (purged) or was never one the caller may see."""


def _locked(carts: QuerySet[Cart], pk: int) -> LockedCart:
    rows = for_update(carts.filter(pk=pk)).values_list(*LOCKED_FIELDS)
    row = rows.first()
    if row is None:
        raise NoSuchCart(f"There is no cart {pk}.")
    return LockedCart(*row)


def add_note(*, carts: QuerySet[Cart], pk: int, user: AbstractBaseUser, text: str) -> CartNote:
    """Write down a note on cart `pk` of `carts` (the caller's view of the carts)."""
    text = text.strip()
    if not text:
        raise FollowUpRefused("Write the note first: it is empty.")
    if len(text) > NOTE_MAX_LENGTH:
        raise FollowUpRefused(
            f"A note holds at most {NOTE_MAX_LENGTH:,} characters; this one has {len(text):,}."
        )
    with transaction.atomic():
        locked = _locked(carts, pk)
        note = CartNote.objects.create(
            cart_id=pk, author_id=user.pk, author_name=actor_name(user), text=text
        )
        record([locked], action=Event.NOTE_ADDED, user=user, detail=text)
    return note


def record_contact(
    *,
    carts: QuerySet[Cart],
    pk: int,
    user: AbstractBaseUser,
    kind: str,
    outcome: str,
    contacted_at: datetime.datetime | None = None,
) -> CartContact:
    """Record a contact with the customer about cart `pk`: how, when (now unless said) and what
    came of it."""
    kinds = dict(CartContact.Kind.choices)
    if kind not in kinds:
        raise FollowUpRefused(f"Choose how you got in touch: {', '.join(kinds.values())}.")
    outcome = outcome.strip()
    if len(outcome) > OUTCOME_MAX_LENGTH:
        raise FollowUpRefused(f"The outcome holds at most {OUTCOME_MAX_LENGTH} characters.")
    contacted_at = contacted_at or timezone.now()
    if contacted_at > timezone.now() + CLOCK_SLACK:
        raise FollowUpRefused("A contact is recorded once it happened: that time is ahead.")
    with transaction.atomic():
        locked = _locked(carts, pk)
        contact = CartContact.objects.create(
            cart_id=pk,
            author_id=user.pk,
            author_name=actor_name(user),
            kind=kind,
            contacted_at=contacted_at,
            outcome=outcome,
        )
        detail = f"{kinds[kind]}: {outcome}" if outcome else kinds[kind]
        record([locked], action=Event.CONTACTED, user=user, detail=detail)
    return contact


def check_follow_up_day(day: datetime.date | None) -> None:
    """A new follow-up date is today or later; None clears it."""
    if day is not None and day < store_today():
        raise FollowUpRefused(
            "A follow-up date is today or later; "
            f"{date_format(day, 'DATE_FORMAT')} has passed. Clear it, or choose another day."
        )


FOLLOW_UP = """
    changed AS (
        UPDATE carts_cart SET follow_up_on = %(day)s
        WHERE id = ANY(%(ids)s::bigint[]) AND follow_up_on IS DISTINCT FROM %(day)s
        RETURNING id, customer_id, price_level_id AS level_before,
            price_level_id AS level_after, total AS total_before, total AS total_after,
            NULL::jsonb AS line_prices
    )
"""


def follow_up_detail(day: datetime.date | None) -> str:
    return f"Follow up on {date_format(day, 'DATE_FORMAT')}" if day else "Follow-up date cleared"


def set_follow_up(
    *,
    carts: QuerySet[Cart],
    day: datetime.date | None,
    user: AbstractBaseUser | None,
    run: CartRun | None = None,
) -> ActionResult:
    """Set (or with None clear) the follow-up date of the selection's open carts, locked in id
    order; one audit entry per cart whose date changed."""
    check_follow_up_day(day)
    requested = list(carts.order_by().values_list("pk", flat=True))
    with transaction.atomic():
        ids = lock_ids(requested, Cart.objects.open())
        if not ids:
            raise NothingToChange("None of the selected carts is open any more; nothing changed.")
        change = change_audited(
            FOLLOW_UP,
            {"day": day, "ids": ids},
            action=Event.FOLLOW_UP_SET,
            user=user,
            detail=follow_up_detail(day),
            run=run,
        )
    return change.as_result(left_alone=sorted(set(requested) - set(ids)))
