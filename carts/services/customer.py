"""What a customer does to their own cart: add, change, look, submit. Staff code never calls
these: only a customer changes or submits a cart."""

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from carts.models import Cart, CartEvent, CartLine
from carts.orders import next_order_number
from carts.recovery.attribution import credit_recovery
from carts.services import CartActionRefused
from carts.services.audit import LockedCart, record
from carts.services.repricing import line_figures
from customers.models import Customer
from pricing.models import PriceLevel, Product, ProductPrice

MAX_QUANTITY = 100_000


class AlreadySubmitted(CartActionRefused):
    """A second submit of the same order: harmless, nothing changes."""


def _quantity(quantity: int) -> int:
    if not isinstance(quantity, int) or not 0 < quantity <= MAX_QUANTITY:
        raise CartActionRefused(f"Quantity must be a whole number from 1 to {MAX_QUANTITY:,}.")
    return quantity


def _lock_customer_cart(customer: Customer, product: Product | None = None) -> Cart | None:
    """Lock the customer, then (adding `product`) its prices, then their open cart (if any),
    and return it.

    Customer before cart, as every action that locks both does (staff.lock_customers): a
    FOR UPDATE can keep a lock on a cart it then leaves out (one deleted or submitted while it
    waited), so only one order of taking the two kinds of lock is safe from deadlocks. Prices
    before cart, as a statement changing prices writes them and then locks the carts whose
    stale counts it recounts (carts.stale.triggers): a price read after the cart's lock could
    wait for that statement while it waits for the cart.
    """
    list(Customer.objects.select_for_update(no_key=True).filter(pk=customer.pk).values("pk"))
    if product is not None:
        _share_prices(product)
    # The level is read after the lock: a join here would drop a cart staff re-priced meanwhile.
    return (
        Cart.objects.select_for_update()
        .open_cart_of(customer.pk)
        .prefetch_related("price_level")
        .first()
    )


def _as_locked(cart: Cart, customer: Customer) -> LockedCart:
    level = cart.price_level
    return LockedCart(
        cart.pk, customer.pk, customer.customer_number, level.number, cart.total, level.currency
    )


def _changed_by_customer(cart: Cart, customer: Customer, *, created: bool, detail: str) -> None:
    """Re-total (and re-count lines and items), touch, and record a change the customer made,
    in the caller's transaction."""
    before = _as_locked(cart, customer)
    Cart.objects.filter(pk=cart.pk).update(**line_figures(), last_touched_at=timezone.now())
    cart.refresh_from_db(fields=["total", "line_count", "item_quantity", "last_touched_at"])
    record(
        [before],
        action=CartEvent.Action.CREATED if created else CartEvent.Action.CHANGED,
        user=None,
        detail=detail,
        customer=customer,
    )


def shopping_level(customer: Customer) -> PriceLevel:
    """The level the customer buys at now: their open cart's (staff may have changed it), or
    their own."""
    cart = Cart.objects.open_cart_of(customer.pk).select_related("price_level").first()
    return cart.price_level if cart else customer.price_level


def _start_cart(customer: Customer, product: Product | None = None) -> tuple[Cart, bool]:
    """The customer's open cart, locked, starting one at their level if there is none.

    The customer's row is locked first, as a restore locks it (staff.restore_carts): of a new
    cart and a restored one, whichever comes second sees the first, so neither trips the
    one-open-cart constraint. Adding `product`, its prices are locked before the cart.
    """
    cart = _lock_customer_cart(customer, product)
    if cart is not None:
        return cart, False
    cart = Cart.objects.create(
        customer=customer,
        price_level_id=customer.price_level_id,
        rep_number=customer.sales_rep.rep_number,
    )
    return cart, True


def _share_prices(product: Product) -> None:
    """The product's prices at every level (the cart's level is read only once the cart is
    locked), with a share lock, in id order: a price change under way finishes first (and a new
    line takes the new price), or waits for this one (and then counts the line out of date:
    carts.stale)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM pricing_productprice WHERE product_id = %s ORDER BY id FOR SHARE",
            [product.pk],
        )


def _price_for(product: Product, cart: Cart) -> ProductPrice | None:
    """The product's price at the cart's level (locked already, for a new line)."""
    return ProductPrice.objects.filter(product=product, price_level=cart.price_level).first()


def add_to_cart(*, customer: Customer, product: Product, quantity: int) -> Cart:
    """Add to the customer's open cart, starting one at the customer's level if there is none."""
    _quantity(quantity)
    with transaction.atomic():
        cart, created = _start_cart(customer, product)
        line = CartLine.objects.select_for_update().filter(cart=cart, product=product).first()
        price = _price_for(product, cart)
        if price is None or not product.is_active:
            raise CartActionRefused(f"{product.item_id} is not available at your price level.")
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
    line = cart.lines.select_related("product").filter(pk=line_id).first() if cart else None
    if cart is None or line is None:
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


def _check_submit_target(customer: Customer, cart: Cart | None, cart_id: int | None) -> None:
    """Refuse a submit of anything but the customer's open cart, saying what became of it."""
    if cart_id is None or (cart is not None and cart.pk == cart_id):
        return
    earlier = customer.carts.filter(pk=cart_id).first()
    if earlier is not None and earlier.status == Cart.Status.SUBMITTED:
        raise AlreadySubmitted(
            f"Order {earlier.order_number} was already submitted; nothing more to do."
        )
    if earlier is not None and earlier.status == Cart.Status.DELETED:
        raise CartActionRefused(
            "The store removed that cart, so it was not submitted. Add products to start a new one."
        )
    raise CartActionRefused("That is not your open cart; nothing was submitted.")


def submit_cart(*, customer: Customer, cart_id: int | None = None) -> Cart:
    """The customer turns their open cart into an order, numbered then (carts.orders). Only the
    customer ever calls this."""
    with transaction.atomic():
        cart = _lock_customer_cart(customer)
        _check_submit_target(customer, cart, cart_id)
        if cart is None:
            raise CartActionRefused("You have no open cart to submit.")
        if not cart.lines.exists():
            raise CartActionRefused("Your cart is empty; add a product before submitting.")
        now, number = timezone.now(), next_order_number()
        Cart.objects.filter(pk=cart.pk).update(
            status=Cart.Status.SUBMITTED, submitted_at=now, last_touched_at=now, order_number=number
        )
        locked = _as_locked(cart, customer)
        record(
            [locked],
            action=CartEvent.Action.SUBMITTED,
            user=None,
            detail=f"Order {number}.",
            customer=customer,
        )
        # In the same transaction: credited now or never (carts.recovery).
        credit_recovery(
            cart_id=cart.pk,
            order_number=number,
            submitted_at=now,
            total=cart.total,
            currency=locked.currency,
        )
        cart.refresh_from_db()
    return cart
