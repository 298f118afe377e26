"""Carts carry their customer's rep number (so the list sorts by rep on an index of its own);
when a customer moves to another rep, or a rep is renumbered, their carts follow, audited."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, OuterRef, QuerySet, Subquery

from carts.models import Cart, CartEvent
from carts.services.audit import LOCKED_FIELDS, LockedCart, among, for_update, record
from customers.models import Customer, SalesRep


def save_customer(*, customer: Customer, user: AbstractBaseUser | None) -> None:
    """Save a customer from the store set-up; their carts take their rep's number."""
    with transaction.atomic():
        customer.save()
        _follow_rep(Cart.objects.filter(customer_id=customer.pk), user=user)


def save_sales_rep(*, rep: SalesRep, user: AbstractBaseUser | None) -> None:
    """Save a rep from the store set-up; their customers' carts take the (new) number."""
    with transaction.atomic():
        rep.save()
        _follow_rep(Cart.objects.filter(customer__sales_rep=rep), user=user)


def _follow_rep(carts: QuerySet[Cart], *, user: AbstractBaseUser | None) -> int:
    """Move carts whose rep number is not their customer's rep's any more; one audit entry
    per cart moved. Returns how many moved."""
    stale = carts.exclude(rep_number=F("customer__sales_rep__rep_number"))
    rep_of_customer = SalesRep.objects.filter(customers=OuterRef("customer_id"))
    rows = list(
        for_update(Cart.objects.filter(pk__in=stale.values("pk")))
        .annotate(new_rep=Subquery(rep_of_customer.values("rep_number")))
        .order_by("pk")
        .values_list(*LOCKED_FIELDS, "rep_number", "new_rep")
    )
    moves: dict[tuple[int, int], list[LockedCart]] = {}
    for *fields, old, new in rows:
        moves.setdefault((old, new), []).append(LockedCart(*fields))
    for (old, new), locked in moves.items():
        Cart.objects.filter(pk__in=among([cart.pk for cart in locked])).update(rep_number=new)
        record(
            locked,
            action=CartEvent.Action.REP_CHANGED,
            user=user,
            detail=f"Rep # {old} → {new}.",
        )
    return len(rows)
