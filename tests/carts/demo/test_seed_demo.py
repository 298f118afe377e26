import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, DecimalField, F, Q, Sum
from django.utils import timezone

from carts.management.commands import seed_demo
from carts.models import Cart, CartEvent, CartLine
from customers.models import Customer, SalesRep
from pricing.models import PriceLevel, Product, ProductPrice
from tests.factories import CustomerFactory, PriceLevelFactory

pytestmark = pytest.mark.django_db

SMALL_STORE = ("--carts", "60", "--customers", "80", "--products", "40", "--no-progress")
NOT_PRODUCTION = "--i-know-this-is-not-production"


@pytest.fixture(autouse=True)
def _debug_on(settings):
    """As `make run` runs it; what it does with DEBUG off has tests of its own at the end."""
    settings.DEBUG = True


def seed(*options: str) -> str:
    out = StringIO()
    call_command("seed_demo", *SMALL_STORE, *options, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    seeded = (PriceLevel, SalesRep, Customer, Product, ProductPrice, Cart, CartLine)
    return {model.__name__: model.objects.count() for model in seeded}


def store_snapshot() -> tuple[list, ...]:
    return (
        list(
            Customer.objects.order_by("customer_number").values_list(
                "customer_number", "name", "email", "price_level__number", "sales_rep__rep_number"
            )
        ),
        list(
            ProductPrice.objects.order_by("product__item_id", "price_level__number").values_list(
                "product__item_id", "product__name", "price_level__number", "unit_price"
            )
        ),
        list(
            Cart.objects.order_by("id").values_list(
                "customer__customer_number", "price_level__number", "status", "total"
            )
        ),
    )


def test_it_keeps_every_cart_total_equal_to_the_sum_of_its_lines():
    seed()
    line_sum = Sum(
        F("lines__quantity") * F("lines__unit_price"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    totals = list(Cart.objects.annotate(line_sum=line_sum).values_list("total", "line_sum"))
    assert len(totals) == 60
    assert all(total == line_sum for total, line_sum in totals)


def test_it_counts_every_carts_lines_and_items():
    seed()
    figures = Cart.objects.annotate(counted=Count("lines"), items=Sum("lines__quantity"))
    rows = list(figures.values_list("line_count", "counted", "item_quantity", "items"))
    assert len(rows) == 60 and any(lines > 1 for _, lines, _, _ in rows)
    assert all((count, quantity) == (lines, items or 0) for count, lines, quantity, items in rows)


def test_it_prices_every_line_at_the_carts_price_level():
    seed()
    priced_at_cart_level = CartLine.objects.filter(
        product__prices__price_level=F("cart__price_level"),
        product__prices__unit_price=F("unit_price"),
    )
    assert priced_at_cart_level.count() == CartLine.objects.count() > 0


def test_it_gives_a_customer_at_most_one_open_cart():
    seed()
    doubled = (
        Cart.objects.filter(status=Cart.Status.OPEN)
        .values("customer")
        .annotate(carts=Count("id"))
        .filter(carts__gt=1)
    )
    assert not doubled.exists()


def test_it_makes_open_and_submitted_carts_with_consistent_times():
    seed()
    statuses = dict(Cart.objects.values_list("status").annotate(carts=Count("id")))
    assert statuses == {Cart.Status.OPEN: 51, Cart.Status.SUBMITTED: 9}
    now = timezone.now()
    for cart in Cart.objects.all():
        assert now - datetime.timedelta(days=181) <= cart.created_at <= cart.last_touched_at <= now
        if cart.status == Cart.Status.SUBMITTED:
            assert cart.last_touched_at <= cart.submitted_at <= now
        else:
            assert cart.submitted_at is None


def test_some_open_carts_have_follow_up_dates_due_and_to_come():
    seed("--carts", "400")
    dated = Cart.objects.filter(follow_up_on__isnull=False)
    assert not dated.exclude(status=Cart.Status.OPEN).exists()
    today = timezone.localdate()
    assert dated.filter(follow_up_on__lte=today).exists()  # due or overdue
    assert dated.filter(follow_up_on__gt=today).exists()
    assert 0.05 < dated.count() / Cart.objects.open().count() < 0.2


def test_it_numbers_the_orders_by_their_submit_time():
    seed()
    orders = list(
        Cart.objects.filter(status=Cart.Status.SUBMITTED)
        .order_by("submitted_at", "id")
        .values_list("order_number", flat=True)
    )
    first = orders[0]
    assert orders == list(range(first, first + len(orders)))
    assert not Cart.objects.exclude(status=Cart.Status.SUBMITTED).exclude(order_number=None)
    # After a reset the orders go on from the numbers handed out before, none reused.
    seed("--reset")
    renumbered = Cart.objects.filter(status=Cart.Status.SUBMITTED).order_by("order_number")
    assert renumbered.first().order_number == first + len(orders)


def test_every_customer_and_every_product_has_a_name_of_its_own():
    seed("--customers", "400", "--products", "400")
    for model in (Customer, Product):
        assert model.objects.values("name").distinct().count() == model.objects.count()


def test_it_gives_every_product_a_base_price_and_another_level():
    seed()
    products = Product.objects.annotate(
        base=Count("prices", filter=Q(prices__price_level__number=0)), levels=Count("prices")
    )
    assert all(product.base == 1 and product.levels >= 2 for product in products)


def test_running_it_twice_adds_nothing():
    seed()
    first = row_counts()
    out = seed()
    assert row_counts() == first
    assert "Demo carts already present (60)" in out


def test_the_same_seed_gives_the_same_store():
    seed("--seed", "7")
    first = store_snapshot()
    seed("--seed", "7", "--reset")
    assert store_snapshot() == first
    seed("--seed", "8", "--reset")
    assert store_snapshot()[2] != first[2]


def test_reset_keeps_the_audit_trail_and_never_reuses_a_cart_number():
    seed()
    cart = Cart.objects.order_by("-id").first()
    event = CartEvent.objects.create(
        cart=cart,
        cart_number=cart.pk,
        customer_number=cart.customer.customer_number,
        action=CartEvent.Action.PRICE_LEVEL_CHANGED,
    )
    seed("--reset")
    event.refresh_from_db()
    assert event.cart is None
    assert Cart.objects.count() == 60
    assert Cart.objects.order_by("id").first().pk > cart.pk


def test_it_adds_customers_so_every_open_cart_has_its_own():
    options = ("--carts", "200", "--customers", "10", "--products", "40", "--no-progress")
    call_command("seed_demo", *options, stdout=StringIO())
    assert Customer.objects.count() == Cart.objects.filter(status=Cart.Status.OPEN).count() == 170


class Terminal(StringIO):
    """Output that says it is a terminal, as a person's shell is."""

    def isatty(self) -> bool:
        return True


def seed_with_progress(stderr: StringIO) -> str:
    options = ("--carts", "60", "--customers", "80", "--products", "40")
    call_command("seed_demo", *options, stdout=StringIO(), stderr=stderr)
    return stderr.getvalue()


def test_off_a_terminal_its_progress_is_whole_lines(monkeypatch):
    monkeypatch.setattr(seed_demo, "CHUNK_SIZE", 20)
    assert seed_with_progress(StringIO()) == (
        "Loading carts: 20 of 60 (33%)\n"
        "Loading carts: 40 of 60 (66%)\n"
        "Loading carts: 60 of 60 (100%)\n"
    )


def test_on_a_terminal_its_progress_bar_redraws_one_line_and_ends_it():
    printed = seed_with_progress(Terminal())
    frames = printed.split("\r")
    assert printed.endswith("\n") and printed.count("\n") == 1
    assert len(frames) > 2 and frames[-1].startswith("Loading carts: 100%")
    assert "60/60" in frames[-1]


def test_it_shows_no_progress_when_asked_not_to():
    out = StringIO()
    call_command("seed_demo", *SMALL_STORE, stdout=StringIO(), stderr=out)
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--carts", "0", "must be from 1 to 5,000,000, not 0"),
        ("--carts", "-1", "must be from 1 to 5,000,000, not -1"),
        ("--carts", "5000001", "must be from 1 to 5,000,000, not 5,000,001"),
        ("--carts", "lots", "'lots' is not a whole number"),
        ("--customers", "0", "must be from 1 to 5,000,000, not 0"),
        ("--products", "9", "must be from 10 to 100,000, not 9"),
        ("--products", "100001", "must be from 10 to 100,000, not 100,001"),
    ],
)
def test_it_refuses_arguments_out_of_range_and_seeds_nothing(option, value, says):
    with pytest.raises(CommandError, match=f"argument {option}: {says}"):
        call_command("seed_demo", *SMALL_STORE, option, value, stdout=StringIO())
    assert not PriceLevel.objects.exists() and not Cart.objects.exists()


def test_with_debug_off_it_refuses_to_reset_and_keeps_every_order(settings):
    seed()
    before = row_counts()
    settings.DEBUG = False
    with pytest.raises(CommandError, match=f"DEBUG is off.*every cart.*add {NOT_PRODUCTION}"):
        seed("--reset")
    assert row_counts() == before
    assert Cart.objects.filter(status=Cart.Status.SUBMITTED).count() == 9


def test_with_debug_off_it_leaves_a_store_it_finds_as_it_is(settings):
    settings.DEBUG = False
    customer = CustomerFactory(price_level=PriceLevelFactory(number=1, name="Retail"))
    with pytest.raises(CommandError, match="overwrite its price levels, customers and products"):
        seed()
    assert PriceLevel.objects.get().name == "Retail"
    assert list(Customer.objects.all()) == [customer] and not Product.objects.exists()


def test_with_debug_off_it_seeds_an_empty_database(settings):
    # What the bench does (bench/database.py): nothing there to lose.
    settings.DEBUG = False
    seed()
    assert Cart.objects.count() == 60


def test_with_debug_off_the_flag_lets_it_reset(settings):
    seed()
    first = Cart.objects.order_by("id").first()
    settings.DEBUG = False
    seed("--reset", NOT_PRODUCTION)
    assert Cart.objects.count() == 60 and not Cart.objects.filter(pk=first.pk).exists()


@pytest.mark.postgres_behaviour
def test_it_analyses_every_table_it_loads():
    from django.db import connection
    from django.utils import timezone

    from carts.management.commands.seed_demo import LOADED

    started = timezone.now()
    seed()
    with connection.cursor() as cursor:
        for model in LOADED:
            table = model._meta.db_table
            cursor.execute(
                "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s", [table]
            )
            analysed = cursor.fetchone()[0]
            assert analysed is not None and analysed >= started, f"{table} was not analysed"
