"""Crediting a submit to follow-up: called by `submit_cart` inside its transaction, the only
writer of `CartRecovery` (and the database refuses to change a row once written)."""

import datetime
from decimal import Decimal

from django.conf import settings

from carts.recovery.records import CartRecovery, follow_up_contacts
from customers.models import SalesRep


def recovery_window() -> datetime.timedelta:
    return datetime.timedelta(days=settings.RECOVERY_WINDOW_DAYS)


def credit_recovery(
    *,
    cart_id: int,
    order_number: int,
    submitted_at: datetime.datetime,
    total: Decimal,
    currency: str,
) -> CartRecovery | None:
    """Record the order as recovered if staff follow-up (`follow_up_contacts`) about this cart
    came in the window before the submit, credited to the last such contact. Run at the submit."""
    contact = (
        follow_up_contacts()
        .filter(
            cart_id=cart_id,
            contacted_at__lte=submitted_at,
            contacted_at__gte=submitted_at - recovery_window(),
        )
        .order_by("-contacted_at", "-id")
        .first()
    )
    if contact is None:
        return None
    # The rep the contact counts for, set as it was recorded (CartContact.rep_number).
    credited = contact.rep_number
    assert credited is not None  # the insert trigger always finds one: every cart has a rep
    rep_name = SalesRep.objects.filter(rep_number=credited).values_list("name", flat=True)
    return CartRecovery.objects.create(
        cart_id=cart_id,
        contact=contact,
        contact_kind=contact.kind,
        contacted_at=contact.contacted_at,
        credited_user_id=contact.author_id,
        credited_user_name=contact.author_name,
        rep_number=credited,
        rep_name=rep_name.first() or "",
        submitted_at=submitted_at,
        order_number=order_number,
        total=total,
        currency=currency,
    )
