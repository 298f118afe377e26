"""Crediting a submit to follow-up: called by `submit_cart` inside its transaction, the only
writer of `CartRecovery` (and the database refuses to change a row once written)."""

import datetime
from decimal import Decimal

from django.conf import settings

from carts.followup.records import CartContact
from carts.recovery.records import RECOVERING_KINDS, CartRecovery
from customers.models import SalesRep


def recovery_window() -> datetime.timedelta:
    return datetime.timedelta(days=settings.RECOVERY_WINDOW_DAYS)


def _credited_rep(contact: CartContact, cart_rep_number: int) -> SalesRep | None:
    """The rep linked to the contact's author, else the cart's own rep."""
    if contact.author_id is not None:
        linked = SalesRep.objects.filter(user_id=contact.author_id).first()
        if linked is not None:
            return linked
    return SalesRep.objects.filter(rep_number=cart_rep_number).first()


def credit_recovery(
    *,
    cart_id: int,
    rep_number: int,
    order_number: int,
    submitted_at: datetime.datetime,
    total: Decimal,
    currency: str,
) -> CartRecovery | None:
    """Record the order as recovered if a staff call, e-mail or visit about this cart came in
    the window before the submit, credited to the last such contact. Run once, at the submit."""
    contact = (
        CartContact.objects.filter(
            cart_id=cart_id,
            kind__in=RECOVERING_KINDS,
            contacted_at__lte=submitted_at,
            contacted_at__gte=submitted_at - recovery_window(),
        )
        .order_by("-contacted_at", "-id")
        .first()
    )
    if contact is None:
        return None
    rep = _credited_rep(contact, rep_number)
    return CartRecovery.objects.create(
        cart_id=cart_id,
        contact=contact,
        contact_kind=contact.kind,
        contacted_at=contact.contacted_at,
        credited_user_id=contact.author_id,
        credited_user_name=contact.author_name,
        rep_number=rep.rep_number if rep else rep_number,
        rep_name=rep.name if rep else "",
        submitted_at=submitted_at,
        order_number=order_number,
        total=total,
        currency=currency,
    )
