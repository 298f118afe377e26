"""Every change to cart state: staff re-price, delete, restore and purge; customer add and submit.

Each function takes keyword arguments and the acting user, runs in one transaction with the
affected cart rows locked (in id order, so two actions never deadlock), and writes one audit
entry per cart. A bulk action runs the same handful of statements whatever the number of carts.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from carts.models import Cart, CartEvent, CartLine
from customers.models import Customer
from pricing.models import PriceLevel, Product, ProductPrice
from pricing.money import to_cents

MAX_QUANTITY = 100_000
ZERO = Decimal("0.00")


class CartActionRefused(Exception):
    """The action cannot go ahead; nothing was changed. The message says why."""


@dataclass(frozen=True)
class MissingPrice:
    cart_id: int
    customer_name: str
    customer_number: str
    item_id: str
    product_name: str


class PriceLevelRefused(CartActionRefused):
    def __init__(self, level: PriceLevel, missing: list[MissingPrice], blocked_count: int):
        self.level = level
        self.missing = missing
        self.blocked_count = blocked_count
        count = blocked_count
        carts = "1 cart has" if count == 1 else f"{count:,} carts have"
        super().__init__(f"{carts} products with no price at {level.name}; no cart was changed.")


@dataclass(frozen=True)
class LockedCart:
    pk: int
    customer_id: int
    customer_number: str
    level_number: int
    total: Decimal


@dataclass
class PriceLevelPreview:
    level: PriceLevel
    cart_count: int
    totals_before: list[dict]
    total_after: Decimal
    missing: list[MissingPrice] = field(default_factory=list)
    blocked_count: int = 0

    @property
    def blocked_carts(self) -> list[dict]:
        """The carts that cannot be re-priced, each with the products that lack a price."""
        carts: dict[int, dict] = {}
        for m in self.missing:
            entry = carts.setdefault(
                m.cart_id,
                {
                    "cart_id": m.cart_id,
                    "customer": m.customer_name,
                    "number": m.customer_number,
                    "products": [],
                },
            )
            entry["products"].append(f"{m.item_id} ({m.product_name})")
        return list(carts.values())


@dataclass
class ActionResult:
    cart_ids: list[int]
    total_before: Decimal
    total_after: Decimal
    batch: uuid.UUID | None = None
    refused: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cart_ids)


def actor_name(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "system"
    return user.get_full_name() or user.get_username()


LOCKED_FIELDS = ("pk", "customer_id", "number_of_customer", "price_level_id", "total")


def _for_update(carts: QuerySet) -> QuerySet:
    """Lock cart rows only, reading what the audit needs through subqueries, not joins.

    A join would make PostgreSQL re-check a row that waited for its lock against the joined
    row it saw first, and silently drop a cart that changed level meanwhile.
    """
    return carts.select_for_update(of=("self",)).annotate(
        number_of_customer=Subquery(
            Customer.objects.filter(pk=OuterRef("customer_id")).values("customer_number")
        ),
        name_of_customer=Subquery(
            Customer.objects.filter(pk=OuterRef("customer_id")).values("name")
        ),
    )


def _lock_open(carts: QuerySet) -> list[LockedCart]:
    """Lock the open carts of a selection; carts no longer open are left out (and alone)."""
    rows = _for_update(Cart.objects.filter(pk__in=carts.order_by().values("pk")).open())
    return [LockedCart(*row) for row in rows.order_by("pk").values_list(*LOCKED_FIELDS)]


def _price_at(level: PriceLevel) -> Subquery:
    return Subquery(
        ProductPrice.objects.filter(product=OuterRef("product_id"), price_level=level).values(
            "unit_price"
        )[:1]
    )


def _line_sum() -> Coalesce:
    sums = (
        CartLine.objects.filter(cart=OuterRef("pk"))
        .order_by()
        .values("cart")
        .annotate(sum=Sum(F("quantity") * F("unit_price")))
        .values("sum")
    )
    return Coalesce(
        Subquery(sums, output_field=DecimalField(max_digits=14, decimal_places=2)),
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


# Enough lines to name the first blocked carts; the count says how many there are in all.
MISSING_SHOWN = 200


def _unpriced_lines(cart_ids: QuerySet | list[int], level: PriceLevel) -> QuerySet:
    return CartLine.objects.filter(cart_id__in=cart_ids).exclude(product__prices__price_level=level)


def _missing_prices(
    cart_ids: QuerySet | list[int], level: PriceLevel
) -> tuple[list[MissingPrice], int]:
    """The first lines whose product has no price at `level`, and how many carts have any."""
    lines = _unpriced_lines(cart_ids, level)
    rows = lines.order_by("cart_id", "product__item_id").values_list(
        "cart_id",
        "cart__customer__name",
        "cart__customer__customer_number",
        "product__item_id",
        "product__name",
    )[:MISSING_SHOWN]
    missing = [MissingPrice(*row) for row in rows]
    if len(missing) < MISSING_SHOWN:
        return missing, len({m.cart_id for m in missing})
    return missing, lines.order_by().values("cart_id").distinct().count()


def among(ids: list[int]) -> list[int] | RawSQL:
    """Ids for an `__in` lookup: on PostgreSQL one array parameter, not one per cart."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return ids


AUDIT_INSERT = """
    INSERT INTO carts_cartevent (cart_id, cart_number, customer_number, action, actor_id,
        actor_name, created_at, level_before, level_after, total_before, total_after, detail)
    SELECT cart.id, locked.id, locked.number, %s, %s, %s, %s, locked.level,
        COALESCE(cart.price_level_id, locked.level), locked.total,
        COALESCE(cart.total, locked.total), %s
    FROM unnest(%s::bigint[], %s::text[], %s::smallint[], %s::numeric[])
        AS locked(id, number, level, total)
    LEFT JOIN carts_cart AS cart ON cart.id = locked.id
"""


def _record(
    locked: list[LockedCart],
    *,
    action: str,
    user: AbstractBaseUser | None,
    detail: str = "",
    customer: Customer | None = None,
) -> None:
    """One audit entry per cart, in one statement: level and total as locked (before) and as
    stored now (after), so call it once the change is made."""
    now = timezone.now()
    name = f"customer {customer.name}" if customer else actor_name(user)
    actor_id = user.pk if user is not None else None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                AUDIT_INSERT,
                [
                    action,
                    actor_id,
                    name,
                    now,
                    detail,
                    [c.pk for c in locked],
                    [c.customer_number for c in locked],
                    [c.level_number for c in locked],
                    [c.total for c in locked],
                ],
            )
        return
    after = {
        pk: (level, total)
        for pk, level, total in Cart.objects.filter(pk__in=[c.pk for c in locked]).values_list(
            "pk", "price_level_id", "total"
        )
    }
    CartEvent.objects.bulk_create(
        CartEvent(
            cart_id=cart.pk if cart.pk in after else None,
            cart_number=cart.pk,
            customer_number=cart.customer_number,
            action=action,
            actor_id=actor_id,
            actor_name=name,
            created_at=now,
            level_before=cart.level_number,
            level_after=after.get(cart.pk, (cart.level_number,))[0],
            total_before=cart.total,
            total_after=after.get(cart.pk, (None, cart.total))[1],
            detail=detail,
        )
        for cart in locked
    )


def preview_price_level_change(*, carts: QuerySet, level: PriceLevel) -> PriceLevelPreview:
    """What a change would do, without changing anything: counts, totals, blockers."""
    selection = carts.order_by().values("pk")
    after = (
        CartLine.objects.filter(cart_id__in=selection)
        .annotate(new_price=_price_at(level))
        .aggregate(total=Sum(F("quantity") * F("new_price")))["total"]
    )
    summary = Cart.objects.filter(pk__in=selection).summary_by_currency()
    missing, blocked_count = _missing_prices(selection, level)
    return PriceLevelPreview(
        level=level,
        cart_count=sum(row["carts"] for row in summary),
        totals_before=summary,
        total_after=to_cents(after or ZERO),
        missing=missing,
        blocked_count=blocked_count,
    )


def change_price_level(
    *,
    carts: QuerySet,
    level: PriceLevel,
    user: AbstractBaseUser,
    also_customer: bool = False,
) -> ActionResult:
    """Move every open cart of the selection to `level`, re-pricing every line; all or nothing."""
    if not level.is_active:
        raise CartActionRefused(f"{level.name} is not an active price level.")
    with transaction.atomic():
        locked = _lock_open(carts)
        if not locked:
            raise CartActionRefused("None of the selected carts is open any more; nothing changed.")
        ids = [cart.pk for cart in locked]
        if _unpriced_lines(among(ids), level).exists():
            raise PriceLevelRefused(level, *_missing_prices(among(ids), level))
        CartLine.objects.filter(cart_id__in=among(ids)).update(unit_price=_price_at(level))
        moved = Cart.objects.filter(pk__in=among(ids))
        moved.update(price_level=level, total=_line_sum())
        total_after = moved.aggregate(total=Sum("total"))["total"]
        detail = ""
        if also_customer:
            if len(locked) != 1:
                raise CartActionRefused("Only a single cart can also change its customer's level.")
            Customer.objects.filter(pk=locked[0].customer_id).update(price_level=level)
            detail = "Also made this the customer's assigned price level."
        _record(locked, action=CartEvent.Action.PRICE_LEVEL_CHANGED, user=user, detail=detail)
    return ActionResult(
        cart_ids=ids,
        total_before=sum((c.total for c in locked), ZERO),
        total_after=total_after,
    )


def delete_carts(*, carts: QuerySet, user: AbstractBaseUser) -> ActionResult:
    """Mark the selection's open carts deleted, as one batch that Undo can bring back."""
    batch = uuid.uuid4()
    with transaction.atomic():
        locked = _lock_open(carts)
        if not locked:
            raise CartActionRefused("None of the selected carts is open any more; nothing changed.")
        ids = [cart.pk for cart in locked]
        Cart.objects.filter(pk__in=among(ids)).update(
            status=Cart.Status.DELETED,
            deleted_at=timezone.now(),
            deleted_by=user,
            deletion_batch=batch,
        )
        _record(locked, action=CartEvent.Action.DELETED, user=user)
    total = sum((c.total for c in locked), ZERO)
    return ActionResult(cart_ids=ids, total_before=total, total_after=total, batch=batch)


def restorable(now: datetime.datetime | None = None) -> QuerySet:
    """Deleted carts still inside the retention period."""
    now = now or timezone.now()
    return Cart.objects.filter(
        status=Cart.Status.DELETED,
        deleted_at__gte=now - datetime.timedelta(days=settings.CART_RETENTION_DAYS),
    )


def restore_carts(*, carts: QuerySet, user: AbstractBaseUser) -> ActionResult:
    """Open deleted carts again, exactly as they were, unless the customer has started a new one."""
    with transaction.atomic():
        rows = list(
            _for_update(restorable().filter(pk__in=carts.order_by().values("pk")))
            .order_by("pk")
            .values_list(*LOCKED_FIELDS, "name_of_customer")
        )
        if not rows:
            raise CartActionRefused("None of those carts can be restored (not deleted, or purged).")
        busy = set(
            Cart.objects.open()
            .filter(customer_id__in={row[1] for row in rows})
            .values_list("customer_id", flat=True)
        )
        locked, refused = [], []
        for pk, customer_id, number, level, total, name in rows:
            if customer_id in busy:
                refused.append(
                    f"{name} ({number}) has started a new cart since, so their deleted cart "
                    f"{pk} cannot be restored."
                )
                continue
            busy.add(customer_id)  # two deleted carts of one customer: only one comes back
            locked.append(LockedCart(pk, customer_id, number, level, total))
        ids = [cart.pk for cart in locked]
        if ids:
            Cart.objects.filter(pk__in=among(ids)).update(
                status=Cart.Status.OPEN, deleted_at=None, deleted_by=None, deletion_batch=None
            )
            _record(locked, action=CartEvent.Action.RESTORED, user=user)
    total = sum((c.total for c in locked), ZERO)
    return ActionResult(cart_ids=ids, total_before=total, total_after=total, refused=refused)


def purge_deleted_carts(
    *,
    before: datetime.datetime,
    batch_size: int = 1000,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, Decimal]:
    """Destroy carts deleted before `before`, batch by batch; their audit entries stay."""
    expired = Cart.objects.filter(status=Cart.Status.DELETED, deleted_at__lt=before)
    if dry_run:
        summary = expired.aggregate(count=Count("pk"), value=Sum("total"))
        return summary["count"], summary["value"] or ZERO
    purged, value = 0, ZERO
    while True:
        with transaction.atomic():
            # skip_locked: a cart someone is restoring right now waits for the next run.
            batch = list(
                _for_update(expired)
                .select_for_update(of=("self",), skip_locked=True)
                .order_by("pk")
                .values_list(*LOCKED_FIELDS)[:batch_size]
            )
            if not batch:
                break
            locked = [LockedCart(*row) for row in batch]
            _record(locked, action=CartEvent.Action.PURGED, user=None)
            ids = [cart.pk for cart in locked]
            CartLine.objects.filter(cart_id__in=among(ids)).delete()
            CartEvent.objects.filter(cart_id__in=among(ids)).update(cart=None)
            Cart.objects.filter(pk__in=among(ids)).delete()
        purged += len(locked)
        value += sum((c.total for c in locked), ZERO)
        if progress:
            progress(len(locked))
    return purged, value


# The customer's side. Staff code never calls these: only a customer changes or submits a cart.


class AlreadySubmitted(CartActionRefused):
    """A second submit of the same order: harmless, nothing changes."""


def _quantity(quantity: int) -> int:
    if not isinstance(quantity, int) or not 0 < quantity <= MAX_QUANTITY:
        raise CartActionRefused(f"Quantity must be a whole number from 1 to {MAX_QUANTITY:,}.")
    return quantity


def _lock_customer_cart(customer: Customer) -> Cart | None:
    # The level is read after the lock: a join here would drop a cart staff re-priced meanwhile.
    return (
        Cart.objects.select_for_update()
        .filter(customer=customer)
        .open()
        .prefetch_related("price_level")
        .first()
    )


def _changed_by_customer(cart: Cart, customer: Customer, *, created: bool, detail: str) -> None:
    """Re-total, touch, and record a change the customer made, in the caller's transaction."""
    before = LockedCart(
        cart.pk, customer.pk, customer.customer_number, cart.price_level.number, cart.total
    )
    Cart.objects.filter(pk=cart.pk).update(total=_line_sum(), last_touched_at=timezone.now())
    cart.refresh_from_db(fields=["total", "last_touched_at"])
    _record(
        [before],
        action=CartEvent.Action.CREATED if created else CartEvent.Action.CHANGED,
        user=None,
        detail=detail,
        customer=customer,
    )


def shopping_level(customer: Customer) -> PriceLevel:
    """The level the customer buys at now: their open cart's (staff may have changed it), or
    their own."""
    cart = Cart.objects.open().filter(customer=customer).select_related("price_level").first()
    return cart.price_level if cart else customer.price_level


def add_to_cart(*, customer: Customer, product: Product, quantity: int) -> Cart:
    """Add to the customer's open cart, starting one at the customer's level if there is none."""
    _quantity(quantity)
    with transaction.atomic():
        cart = _lock_customer_cart(customer)
        created = cart is None
        if created:
            try:
                with transaction.atomic():
                    cart = Cart.objects.create(
                        customer=customer,
                        price_level_id=customer.price_level_id,
                        rep_number=customer.sales_rep.rep_number,
                    )
            except IntegrityError:
                # Another request of this customer's started the cart a moment ago: use it.
                cart = _lock_customer_cart(customer)
                created = False
        price = ProductPrice.objects.filter(product=product, price_level=cart.price_level).first()
        if price is None or not product.is_active:
            raise CartActionRefused(f"{product.item_id} is not available at your price level.")
        line = CartLine.objects.select_for_update().filter(cart=cart, product=product).first()
        if line is None:
            CartLine.objects.create(
                cart=cart, product=product, quantity=quantity, unit_price=price.unit_price
            )
        else:
            _quantity(line.quantity + quantity)
            CartLine.objects.filter(pk=line.pk).update(quantity=F("quantity") + quantity)
        _changed_by_customer(
            cart, customer, created=created, detail=f"Added {quantity} × {product.item_id}."
        )
    return cart


def _lock_own_line(customer: Customer, line_id: int) -> tuple[Cart, CartLine]:
    cart = _lock_customer_cart(customer)
    line = cart and cart.lines.select_related("product").filter(pk=line_id).first()
    if line is None:
        raise CartActionRefused("That line is not in your cart (it may have been removed).")
    return cart, line


def set_quantity(*, customer: Customer, line_id: int, quantity: int) -> Cart:
    _quantity(quantity)
    with transaction.atomic():
        cart, line = _lock_own_line(customer, line_id)
        CartLine.objects.filter(pk=line.pk).update(quantity=quantity)
        _changed_by_customer(
            cart,
            customer,
            created=False,
            detail=f"{line.product.item_id}: quantity {line.quantity} → {quantity}.",
        )
    return cart


def remove_line(*, customer: Customer, line_id: int) -> Cart:
    with transaction.atomic():
        cart, line = _lock_own_line(customer, line_id)
        line.delete()
        _changed_by_customer(
            cart, customer, created=False, detail=f"Removed {line.product.item_id}."
        )
    return cart


def view_cart(*, customer: Customer) -> Cart | None:
    """The customer looks at their cart: that counts as a touch (Last Touch)."""
    with transaction.atomic():
        cart = _lock_customer_cart(customer)
        if cart is not None:
            Cart.objects.filter(pk=cart.pk).update(last_touched_at=timezone.now())
            cart.refresh_from_db(fields=["last_touched_at"])
    return cart


def submit_cart(*, customer: Customer, cart_id: int | None = None) -> Cart:
    """The customer turns their open cart into an order. Only the customer ever calls this."""
    with transaction.atomic():
        cart = _lock_customer_cart(customer)
        if cart_id is not None and (cart is None or cart.pk != cart_id):
            earlier = customer.carts.filter(pk=cart_id).first()
            if earlier is not None and earlier.status == Cart.Status.SUBMITTED:
                raise AlreadySubmitted(
                    f"Order {earlier.pk} was already submitted; nothing more to do."
                )
            if earlier is not None and earlier.status == Cart.Status.DELETED:
                raise CartActionRefused(
                    "The store removed that cart, so it was not submitted. "
                    "Add products to start a new one."
                )
            if cart is None or earlier is None:
                raise CartActionRefused("That is not your open cart; nothing was submitted.")
        if cart is None:
            raise CartActionRefused("You have no open cart to submit.")
        if not cart.lines.exists():
            raise CartActionRefused("Your cart is empty; add a product before submitting.")
        now = timezone.now()
        Cart.objects.filter(pk=cart.pk).update(
            status=Cart.Status.SUBMITTED, submitted_at=now, last_touched_at=now
        )
        _record(
            [
                LockedCart(
                    cart.pk,
                    customer.pk,
                    customer.customer_number,
                    cart.price_level.number,
                    cart.total,
                )
            ],
            action=CartEvent.Action.SUBMITTED,
            user=None,
            customer=customer,
        )
        cart.refresh_from_db()
    return cart
