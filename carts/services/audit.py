"""The machinery every cart action shares: locking carts in id order, and the audit writer."""

from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import BooleanField, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from carts.models import Cart, CartRun
from carts.services import ActionResult
from customers.models import Customer
from pricing.models import PriceLevel
from pricing.money import CurrencyTotal, to_cents, totals_by_currency

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LockedCart:
    """A cart as it was when locked: what the audit entry records as "before"."""

    pk: int
    customer_id: int
    customer_number: str
    level_number: int
    total: Decimal
    currency: str = "USD"


LOCKED_FIELDS = (
    "pk",
    "customer_id",
    "number_of_customer",
    "price_level_id",
    "total",
    "currency_of_level",
)


def actor_name(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """How a person is named on screen and in the audit trail."""
    if user is None:
        return "system"
    # get_full_name is User's (and AnonymousUser has none): whatever the user model, fall
    # back to the username.
    full_name = getattr(user, "get_full_name", lambda: "")()
    return str(full_name or user.get_username())


def for_update(carts: QuerySet[Cart]) -> QuerySet[Cart]:
    """Lock cart rows only, reading what the audit needs through subqueries, not joins.

    A join would make PostgreSQL re-check a row that waited for its lock against the joined
    row it saw first, and silently drop a cart that changed level meanwhile.
    """
    customer = Customer.objects.filter(pk=OuterRef("customer_id"))
    return carts.select_for_update(of=("self",)).annotate(
        number_of_customer=Subquery(customer.values("customer_number")),
        currency_of_level=Subquery(
            PriceLevel.objects.filter(pk=OuterRef("price_level_id")).values("currency")
        ),
    )


def values_of(locked: list[LockedCart]) -> list[CurrencyTotal]:
    return totals_by_currency((cart.currency, cart.total) for cart in locked)


def among(ids: list[int]) -> RawSQL:
    """Ids for an `__in` lookup: one array parameter, not one per cart."""
    return RawSQL("SELECT unnest(%s::bigint[])", [ids])


AUDIT_INSERT = """
    INSERT INTO carts_cartevent (cart_id, cart_number, customer_number, action, actor_id,
        actor_name, created_at, level_before, level_after, total_before, total_after, detail,
        run_id)
    SELECT cart.id, locked.id, locked.number, %s, %s, %s, %s, locked.level,
        COALESCE(cart.price_level_id, locked.level), locked.total,
        COALESCE(cart.total, locked.total), %s, %s
    FROM unnest(%s::bigint[], %s::text[], %s::smallint[], %s::numeric[])
        AS locked(id, number, level, total)
    LEFT JOIN carts_cart AS cart ON cart.id = locked.id
"""


def record(
    locked: list[LockedCart],
    *,
    action: str,
    user: AbstractBaseUser | None,
    detail: str = "",
    customer: Customer | None = None,
    run: CartRun | None = None,
) -> None:
    """One audit entry per cart, in one statement: level and total as locked (before) and as
    stored now (after), so call it once the change is made. A staff action names its `run`."""
    name = f"customer {customer.name}" if customer else actor_name(user)
    actor_id = user.pk if user is not None else None
    with connection.cursor() as cursor:
        cursor.execute(
            AUDIT_INSERT,
            [
                *(action, actor_id, name, timezone.now(), detail, run.pk if run else None),
                [c.pk for c in locked],
                [c.customer_number for c in locked],
                [c.level_number for c in locked],
                [c.total for c in locked],
            ],
        )


@dataclass(frozen=True)
class AuditedChange:
    """What an audited action changed: which carts, and their value before and after."""

    cart_ids: list[int]
    # Before the change, one total per currency.
    values: list[CurrencyTotal]
    total_before: Decimal
    total_after: Decimal

    def as_result(self, **more: Any) -> ActionResult:
        """The action's result: these carts and values, and `more` (batch, left_alone, …)."""
        return ActionResult(
            cart_ids=self.cart_ids,
            total_before=self.total_before,
            total_after=self.total_after,
            values=self.values,
            **more,
        )


def id_among(ids: list[int], column: str = "carts_cart.id") -> RawSQL:
    """A filter() condition, `column` is one of `ids`, sent as one array (PostgreSQL). The
    database hashes a constant array and knows its length, so even a plan misled by stale
    statistics (no deleted carts, just after a big delete) never searches it row by row."""
    return RawSQL(f"{column} = ANY(%s::bigint[])", [ids], output_field=BooleanField())


def lock_selected(carts: QuerySet[Cart], allowed: QuerySet[Cart]) -> list[int]:
    """Lock, in id order, the carts of a selection still in `allowed` (open ones, say), and
    return their ids: the one-statement changes below start from them (PostgreSQL).

    The selection is read first, with whatever joins its filters need; the lock then reads
    cart rows only, by id (see for_update on why it must not join).
    """
    return lock_ids(list(carts.order_by().values_list("pk", flat=True)), allowed)


def lock_ids(selected: list[int], allowed: QuerySet[Cart]) -> list[int]:
    """Lock, in id order, the carts of `selected` still in `allowed`; return their ids."""
    locked = allowed.filter(id_among(selected)).select_for_update(of=("self",)).order_by("pk")
    return list(locked.values_list("pk", flat=True))


# What the last query of a change's WITH clause, `changed`, returns: one row per cart changed.
CHANGED = "id, customer_id, level_before, level_after, total_before, total_after, line_prices"

AUDITED = """
    WITH {changes},
    audit AS (
        INSERT INTO carts_cartevent (cart_id, cart_number, customer_number, action, actor_id,
            actor_name, created_at, level_before, level_after, total_before, total_after, detail,
            run_id, line_prices)
        SELECT changed.id, changed.id, customer.customer_number, %(action)s, %(actor_id)s,
            %(actor_name)s, %(now)s, changed.level_before, changed.level_after,
            changed.total_before, changed.total_after, %(detail)s, %(run)s, changed.line_prices
        FROM changed JOIN customers_customer AS customer ON customer.id = changed.customer_id
        ORDER BY changed.id
    )
    SELECT level.currency, count(*), sum(changed.total_before), sum(changed.total_after),
        array_agg(changed.id)
    FROM changed JOIN pricing_pricelevel AS level ON level.number = changed.level_before
    GROUP BY level.currency
    ORDER BY level.currency
"""


def change_audited(
    changes: str,
    params: dict[str, Any],
    *,
    action: str,
    user: AbstractBaseUser | None,
    detail: str = "",
    run: CartRun | None = None,
) -> AuditedChange:
    """Make a change and write its audit entries, one per cart, in one statement (PostgreSQL):
    the carts' rows never travel through Python, only their ids and totals per currency.

    `changes` is the body of a WITH clause whose last query, `changed`, is an UPDATE of carts
    already locked, RETURNING the columns CHANGED (line_prices: a re-price's lines' prices
    before, as jsonb, else NULL); its parameters are named, and it may use
    %(now)s, the moment the audit entries record. Each entry names the staff `run`, if any.
    """
    params = {
        "now": timezone.now(),
        **params,
        "action": action,
        "actor_id": user.pk if user else None,
        "actor_name": actor_name(user),
        "detail": detail,
        "run": run.pk if run else None,
    }
    with connection.cursor() as cursor:
        cursor.execute(AUDITED.format(changes=changes), params)
        rows = cursor.fetchall()
    return AuditedChange(
        cart_ids=sorted(chain.from_iterable(ids for *_, ids in rows)),
        values=[
            CurrencyTotal(currency, count, to_cents(before)) for currency, count, before, *_ in rows
        ],
        total_before=sum((before for _, _, before, _, _ in rows), ZERO),
        total_after=sum((after for *_, after, _ in rows), ZERO),
    )
