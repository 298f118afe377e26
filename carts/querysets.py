import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import Count, Exists, Func, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from carts.access import AnyUser, may_view_carts
from carts.days import days_since, start_of_store_day, store_today
from carts.followup.records import CartContact
from carts.mail.records import RecoveryEmail
from carts.stale.record import StalePrices
from customers.models import SalesRep
from pricing.money import CurrencyTotal

if TYPE_CHECKING:
    # For the type checker only (carts.models imports this module); named as a string below,
    # where ruff does not look.
    from carts.models import Cart  # noqa: F401


Rows = TypeVar("Rows", bound=models.QuerySet[Any])


VIEW_ALL_CARTS = "carts.view_all_carts"

# The follow-up sort key: the date, and after every date the carts with none. The list sorts
# and pages on it, and an expression index over open carts (`open_cart_follow_up`) serves it.
NO_FOLLOW_UP = datetime.date(9999, 12, 31)
FOLLOW_UP_KEY = Coalesce("follow_up_on", Value(NO_FOLLOW_UP), output_field=models.DateField())

# What the insight reads of each cart (carts.insight.rows), in the open-cart indexes its filters
# walk (index-only scans); each is indexed already, so no heap-only update stops being so.
INSIGHT_COLUMNS = [
    "price_level",
    "rep_number",
    "created_at",
    "last_touched_at",
    "total",
    "follow_up_on",
]


@dataclass(frozen=True)
class Scope:
    """What one person may see of the carts on the staff side, decided in one place
    (`scope_of`) and applied alike to carts (`CartQuerySet.visible_to`), to the open-cart
    tallies the summary adds up (both carry the rep number) and to the runs on the Jobs page.
    Every cart; or a sales rep's own customers' carts; or none."""

    every_cart: bool
    # Staff without carts.view_all_carts: the user whose linked rep's customers are in sight.
    rep_of: int | None = None

    def narrow(self, rows: Rows) -> Rows:
        if self.every_cart:
            return rows.all()
        if self.rep_of is None:
            return rows.none()
        # The rep linked to the user (one at most), asked inside the same query: no query of
        # its own, and PostgreSQL compares rep numbers on the index as with a number given.
        linked = SalesRep.objects.filter(user_id=self.rep_of).values("rep_number")[:1]
        return rows.filter(rep_number=Subquery(linked))

    def narrow_runs(self, runs: Rows) -> Rows:
        """Jobs: who sees every cart sees every run; a rep only the runs they started, which
        touched only carts they see (a run works through its starter's door)."""
        if self.every_cart:
            return runs.all()
        return runs.filter(created_by_id=self.rep_of) if self.rep_of else runs.none()

    @property
    def own_customers_only(self) -> bool:
        """A sales rep's view: their linked rep's customers' carts (or, unlinked, none)."""
        return not self.every_cart and self.rep_of is not None


def scope_of(user: "AnyUser | None") -> Scope:
    """`None` is the store itself (a policy, or a command run by cron): every cart. Staff who
    may view carts see them all with `carts.view_all_carts`, otherwise the carts of the
    customers of the rep linked to them (`SalesRep.user`); anyone else none."""
    if user is None:
        return Scope(every_cart=True)
    if not may_view_carts(user):
        return Scope(every_cart=False)
    if user.has_perm(VIEW_ALL_CARTS):
        return Scope(every_cart=True)
    return Scope(every_cart=False, rep_of=user.pk)


def is_linked(user: "AnyUser") -> bool:
    """Whether some sales rep is linked to `user`'s log-in."""
    return user.pk is not None and SalesRep.objects.filter(user_id=user.pk).exists()


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
        return (
            self.open()
            .with_day_counts(today=today)
            .with_follow_up_key()
            .with_rep_name()
            .with_last_emailed()
        )

    def with_rep_name(self) -> "CartQuerySet":
        """`rep_name`: the name of the cart's rep, asked inside the same query (reps are few, so
        each row's is one probe of a small unique index): no query of its own, page or export."""
        names = SalesRep.objects.filter(rep_number=OuterRef("rep_number")).values("name")[:1]
        return self.annotate(rep_name=Coalesce(Subquery(names), Value("")))

    def with_follow_up_key(self) -> "CartQuerySet":
        """`follow_up_key`: the follow-up date, or a date after all others for carts without."""
        return self.annotate(follow_up_key=FOLLOW_UP_KEY)

    def follow_up_due(self, *, today: datetime.date | None = None) -> "CartQuerySet":
        """Carts whose follow-up date is today or earlier (store calendar)."""
        return self.filter(follow_up_on__lte=today or store_today())

    def prices_out_of_date(self) -> "CartQuerySet":
        """Carts with a line priced before its price changed (carts.stale keeps which)."""
        return self.filter(Exists(StalePrices.objects.filter(cart=OuterRef("pk"))))

    def prices_current(self) -> "CartQuerySet":
        return self.filter(~Exists(StalePrices.objects.filter(cart=OuterRef("pk"))))

    def with_stale_lines(self) -> "CartQuerySet":
        """`stale_lines`: how many of each cart's lines are out of date (the list's badge)."""
        lines = StalePrices.objects.filter(cart=OuterRef("pk")).values("lines")
        return self.annotate(stale_lines=Coalesce(Subquery(lines), 0))

    def with_last_emailed(self) -> "CartQuerySet":
        """`last_emailed_at`: when a recovery e-mail about the cart last went (None: never),
        one probe of the e-mails' index by cart per row shown."""
        sent = RecoveryEmail.objects.filter(cart=OuterRef("pk"), status="sent")
        latest = sent.order_by("-created_at").values("sent_at")[:1]
        return self.annotate(last_emailed_at=Subquery(latest))

    def emailed(self, *, ever: bool = True) -> "CartQuerySet":
        """Carts a recovery e-mail went out about (with `ever=False`: none ever did)."""
        sent = Exists(RecoveryEmail.objects.filter(cart=OuterRef("pk"), status="sent"))
        return self.filter(sent if ever else ~sent)

    def never_contacted(self) -> "CartQuerySet":
        """Carts nobody on the staff has recorded a contact about."""
        return self.filter(~Exists(CartContact.objects.filter(cart=OuterRef("pk"))))

    def holding(self, product_id: int) -> "CartQuerySet":
        """Carts with a line of the product, found by the index on lines by product, then cart
        (or on cart, then product, walking the carts in a sort's order). EXISTS, not a join:
        a query that adds up the carts' lines joins them once, all of them."""
        from carts.models import CartLine  # carts.models builds Cart's manager from this module

        return self.filter(Exists(CartLine.objects.filter(cart=OuterRef("pk"), product=product_id)))

    def among(self, cart_ids: models.QuerySet[Any]) -> "CartQuerySet":
        """The carts whose ids `cart_ids` (a query of one column of cart ids) yields, handed to
        PostgreSQL as an array it builds first, so it reads those carts by id (`open_cart_id`,
        index-only): for an EXISTS over a few thousand rows (a product's lines, the
        out-of-date prices) it plans a read of every open cart instead."""
        return self.filter(
            Func(
                models.F("pk"),
                ArraySubquery(cart_ids.order_by()),
                template="(%(expressions)s))",  # id = ANY(ARRAY(SELECT …))
                arg_joiner=" = ANY(",
                output_field=models.BooleanField(),
            )
        )

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
