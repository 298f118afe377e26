import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils import timezone

from carts.access import AnyUser, may_view_carts
from carts.days import days_since, start_of_store_day, store_today
from pricing.money import CurrencyTotal

if TYPE_CHECKING:
    # For the type checker only (carts.models imports this module); named as a string below,
    # where ruff does not look.
    from carts.models import Cart  # noqa: F401


Rows = TypeVar("Rows", bound=models.QuerySet[Any])


@dataclass(frozen=True)
class Scope:
    """What one person may see of the carts on the staff side, decided in one place
    (`scope_of`) and applied alike to carts (`CartQuerySet.visible_to`) and to the open-cart
    tallies the summary adds up. Today: every cart, or none; a sales rep's own customers will
    narrow it here, by rep number, which carts and tallies both carry."""

    every_cart: bool

    def narrow(self, rows: Rows) -> Rows:
        return rows.all() if self.every_cart else rows.none()


def scope_of(user: "AnyUser | None") -> Scope:
    """`None` is the store itself (a policy, or a command run by cron): every cart. Staff who
    may view carts see them all; anyone else none."""
    return Scope(every_cart=user is None or may_view_carts(user))


class CartQuerySet(models.QuerySet["Cart"]):
    def visible_to(self, user: "AnyUser | None") -> "CartQuerySet":
        """The one door to the carts a user may see on the staff side: every staff screen, form
        re-scope, action, pin, run chunk, details dialog and batch list starts here (and the
        summary's tallies go through the same `scope_of`)."""
        return scope_of(user).narrow(self)

    def open(self) -> "CartQuerySet":
        return self.filter(status="open")

    def with_day_counts(self, *, today: datetime.date | None = None) -> "CartQuerySet":
        """Days Open and Last Touch, counted by the database at query time."""
        today = today or store_today()
        return self.select_related("customer", "price_level").annotate(
            days_open=days_since("created_at", today),
            last_touch=days_since("last_touched_at", today),
        )

    def for_open_carts_list(self, *, today: datetime.date | None = None) -> "CartQuerySet":
        """Open carts with everything the Open Carts list shows."""
        return self.open().with_day_counts(today=today)

    def search(self, text: str) -> "CartQuerySet":
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(customer__name__icontains=text) | Q(customer__customer_number__iexact=text)
        )

    def days_at_least(
        self, field: str, days: int, *, today: datetime.date | None = None
    ) -> "CartQuerySet":
        """Carts whose `field` lies `days` or more store-calendar days back.

        Compared on the raw timestamp, so the filter can use the same index as the sort.
        """
        today = today or store_today()
        boundary = start_of_store_day(today - datetime.timedelta(days=days - 1))
        return self.filter(**{f"{field}__lt": boundary})

    def days_at_most(
        self, field: str, days: int, *, today: datetime.date | None = None
    ) -> "CartQuerySet":
        today = today or store_today()
        boundary = start_of_store_day(today - datetime.timedelta(days=days))
        return self.filter(**{f"{field}__gte": boundary})

    def summary_by_currency(self) -> list[CurrencyTotal]:
        """How many carts and their combined value, one row per currency, in one query."""
        rows = (
            self.order_by()
            .values(currency=models.F("price_level__currency"))
            .annotate(carts=Count("id"), value=Sum("total"))
            .order_by("currency")
        )
        return [
            CurrencyTotal(row["currency"], row["carts"], row["value"] or Decimal("0"))
            for row in rows
        ]

    def restorable(self, now: datetime.datetime | None = None) -> "CartQuerySet":
        """Deleted carts still inside the retention period."""
        now = now or timezone.now()
        return self.filter(
            status="deleted",
            deleted_at__gte=now - datetime.timedelta(days=settings.CART_RETENTION_DAYS),
        )

    def open_cart_of(self, customer_id: int) -> "CartQuerySet":
        """The customer's open cart (at most one, by constraint)."""
        return self.open().filter(customer_id=customer_id)

    def orders_of(self, customer_id: int) -> "CartQuerySet":
        """The customer's submitted orders, newest first, with their lines."""
        return (
            self.filter(customer_id=customer_id, status="submitted")
            .select_related("price_level")
            .prefetch_related("lines__product")
            .order_by("-submitted_at", "-order_number")
        )
