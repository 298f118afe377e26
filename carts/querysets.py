import datetime
from decimal import Decimal

from django.db import models
from django.db.models import Count, Q, Sum

from carts.days import days_since, start_of_store_day, store_today


class CartQuerySet(models.QuerySet):
    def open(self) -> "CartQuerySet":
        return self.filter(status="open")

    def with_day_counts(self, *, today: datetime.date | None = None) -> "CartQuerySet":
        """Days Open and Last Touch, counted by the database at query time."""
        today = today or store_today()
        return self.select_related("customer", "customer__sales_rep", "price_level").annotate(
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

    def summary_by_currency(self) -> list[dict]:
        """How many carts and their combined value, one row per currency, in one query."""
        rows = (
            self.order_by()
            .values(currency=models.F("price_level__currency"))
            .annotate(carts=Count("id"), value=Sum("total"))
            .order_by("currency")
        )
        return [
            {
                "currency": row["currency"],
                "carts": row["carts"],
                "value": row["value"] or Decimal("0"),
            }
            for row in rows
        ]
