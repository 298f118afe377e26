"""Re-price at Current Prices is the price-level change's own service and preview, so it is
undone as one is (Undo / Roll back, carts.services.put_back): every line goes back to the very
price its cart's audit entry kept, and the total to what it was; inline and as a job. A change of
level is put back the same way: the former prices, not the former level's prices of today."""

from decimal import Decimal

import pytest
from django.test import Client

from carts.models import Cart, CartEvent, CartLine, CartRun
from carts.runs import jobs
from carts.services.customer import add_to_cart
from tests.carts.runs.making import confirm_all
from tests.carts.stale.test_reprice_at_current import bolt_price, change_price_in_admin
from tests.factories import CustomerFactory, cart_of, make_cart, make_staff

pytestmark = pytest.mark.django_db

ACTION = "/carts/actions/"


def prices(cart: Cart) -> dict[str, Decimal]:
    lines = CartLine.objects.filter(cart=cart).values_list("product__item_id", "unit_price")
    return dict(lines)


def state(cart: Cart) -> tuple:
    fresh = Cart.objects.get(pk=cart.pk)
    return fresh.price_level_id, fresh.total, prices(cart)


def undo(client: Client, run: CartRun) -> CartRun:
    response = client.post(f"/carts/runs/{run.pk}/undo/", {"next": "/carts/"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return CartRun.objects.get(undoes=run)


@pytest.fixture
def odd(catalog) -> Cart:
    """A Wholesale cart whose bolts were priced by hand at neither level's price."""
    customer = CustomerFactory(price_level=catalog["wholesale"])
    return make_cart(customer, lines=[(catalog["bolt"], 3, "1.19"), (catalog["nut"], 10, "0.33")])


def test_an_inline_re_price_is_undone_to_the_very_prices_it_replaced(
    admin_client, manager_client, catalog, odd
):
    mixed = cart_of(catalog, ("bolt", 4), ("nut", 10))
    change_price_in_admin(admin_client, bolt_price(catalog), "1.40")
    before = {cart.pk: state(cart) for cart in (mixed, odd)}
    ids = [mixed.pk, odd.pk]
    done = manager_client.post(ACTION, {"action": "reprice_current", "cart": ids, "confirm": "1"})
    assert done.status_code == 302
    assert prices(odd) == {"BOLT": Decimal("1.40"), "NUT": Decimal("0.33")}
    assert Cart.objects.get(pk=mixed.pk).total == Decimal("8.90")

    put_back = undo(manager_client, CartRun.objects.get(action="reprice_current"))

    assert put_back.status == CartRun.Status.DONE and put_back.changed == 2
    assert {cart.pk: state(cart) for cart in (mixed, odd)} == before
    assert before[odd.pk][1] == Decimal("6.87")  # 3 × 1.19 + 10 × 0.33, not at 1.25 nor 1.40
    assert Cart.objects.prices_out_of_date().count() == 2  # out of date again, as before
    said = [str(m) for m in manager_client.get("/carts/").wsgi_request._messages]
    assert any(s.startswith("2 carts put back at the prices each had before") for s in said)


def test_a_re_price_job_is_rolled_back_by_a_job_to_the_prices_it_replaced(
    admin_client, manager_client, catalog, odd, settings
):
    settings.CART_ACTION_INLINE_LIMIT = 1
    bolts = cart_of(catalog, ("bolt", 2))
    change_price_in_admin(admin_client, bolt_price(catalog), "1.40")
    before = {cart.pk: state(cart) for cart in (bolts, odd)}
    confirm_all(manager_client, action="reprice_current", query="prices_out_of_date=on")
    run = CartRun.objects.get(action="reprice_current")
    assert jobs.run(run.pk) == CartRun.Status.DONE
    assert not Cart.objects.prices_out_of_date().exists()

    roll_back = undo(manager_client, run)
    assert roll_back.is_job
    assert jobs.run(roll_back.pk) == CartRun.Status.DONE

    assert {cart.pk: state(cart) for cart in (bolts, odd)} == before
    entries = CartEvent.objects.filter(run=roll_back).order_by("cart_id")
    assert [(e.total_before, e.total_after) for e in entries] == [
        (Decimal("7.50"), Decimal("6.87")),  # odd: 3 × 1.40 + 3.30, back to 3 × 1.19 + 3.30
        (Decimal("2.80"), Decimal("2.50")),
    ]


def test_a_change_of_level_is_undone_to_the_former_prices_not_todays(
    admin_client, manager_client, catalog, odd
):
    before = state(odd)
    posted = {"action": "change_price_level", "cart": odd.pk, "price_level": 2, "confirm": "1"}
    assert manager_client.post(ACTION, posted).status_code == 302
    assert prices(odd) == {"BOLT": Decimal("1.05"), "NUT": Decimal("0.29")}
    change_price_in_admin(admin_client, bolt_price(catalog), "1.50")  # Wholesale's, since

    undo(manager_client, CartRun.objects.get(action="change_price_level"))

    assert state(odd) == before
    assert Cart.objects.filter(pk=odd.pk).prices_out_of_date().exists()  # 1.19, now 1.50


def test_a_line_added_since_keeps_its_price_and_the_others_go_back(
    admin_client, manager_client, catalog
):
    cart = cart_of(catalog, ("bolt", 2))
    change_price_in_admin(admin_client, bolt_price(catalog), "1.40")
    posted = {"action": "reprice_current", "cart": cart.pk, "confirm": "1"}
    assert manager_client.post(ACTION, posted).status_code == 302
    add_to_cart(customer=cart.customer, product=catalog["nut"], quantity=5)

    undo(manager_client, CartRun.objects.get(action="reprice_current"))

    assert prices(cart) == {"BOLT": Decimal("1.25"), "NUT": Decimal("0.33")}
    assert Cart.objects.get(pk=cart.pk).total == Decimal("2.50") + 5 * Decimal("0.33")


def test_re_price_at_current_prices_shows_the_price_level_changes_preview(
    admin_client, manager_client, catalog, odd
):
    cart_of(catalog, ("nut", 3))  # all current: left alone
    change_price_in_admin(admin_client, bolt_price(catalog), "1.40")
    html = manager_client.post(
        ACTION, {"action": "reprice_current", "select_across": "1"}
    ).content.decode()
    assert "Preview at current prices" in html
    assert "<dd data-preview-count>1</dd>" in html
    assert "<dd data-preview-before>$6.87</dd>" in html
    assert "<dd data-preview-after>$7.50</dd>" in html  # 3 × 1.40 + 3.30
    assert "1 selected cart has no prices out of date and is left alone." in html
    assert state(odd)[1] == Decimal("6.87")  # a preview changes nothing


def test_undoing_a_re_price_needs_the_permission_to_change_a_price_level(
    admin_client, manager_client, client, catalog
):
    cart = cart_of(catalog, ("bolt", 2))
    change_price_in_admin(admin_client, bolt_price(catalog), "1.40")
    posted = {"action": "reprice_current", "cart": cart.pk, "confirm": "1"}
    assert manager_client.post(ACTION, posted).status_code == 302
    run = CartRun.objects.get(action="reprice_current")
    client.force_login(make_staff("clerk", "carts.view_cart"))

    assert client.post(f"/carts/runs/{run.pk}/undo/").status_code == 403
    assert not CartRun.objects.filter(undoes=run).exists()
    assert prices(cart) == {"BOLT": Decimal("1.40")}
