"""A price changed in the Django admin shows on Open Carts (the badge, the Prices out of date
filter, the details dialog's old → current) until the cart is re-priced at current prices: one
cart, or a selection through the one action path, inline or as a job, audited; a rep re-prices
only their own customers' carts."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from carts.models import Cart, CartEvent, CartLine, CartRun
from carts.runs import jobs, report
from customers.audit import acting_as
from pricing.models import ProductPrice
from tests.carts.runs.making import confirm_all
from tests.factories import SalesRepFactory, cart_of, make_staff, roles_migration

pytestmark = pytest.mark.django_db

ACTION = "/carts/actions/"
BADGE = "data-stale-badge"


def change_price_in_admin(admin_client: Client, price: ProductPrice, amount: str) -> None:
    """Post the Django admin's change form for one price, as a person saving it does."""
    response = admin_client.post(
        f"/admin/pricing/productprice/{price.pk}/change/",
        {"product": price.product_id, "price_level": price.price_level_id, "unit_price": amount},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def bolt_price(catalog: dict) -> ProductPrice:
    return ProductPrice.objects.get(product=catalog["bolt"], price_level=catalog["wholesale"])


@pytest.fixture
def shelf(catalog) -> dict[str, Cart]:
    """Two carts with bolts (one also nuts) and one of nuts alone, at Wholesale."""
    return {
        "bolts": cart_of(catalog, ("bolt", 2)),
        "mixed": cart_of(catalog, ("bolt", 4), ("nut", 10)),
        "nuts": cart_of(catalog, ("nut", 3)),
    }


def test_it_shows_a_price_changed_in_the_admin(admin_client, manager_client, catalog, shelf):
    assert BADGE not in manager_client.get("/carts/").content.decode()
    change_price_in_admin(admin_client, bolt_price(catalog), "1.40")

    page = manager_client.get("/carts/").content.decode()
    assert page.count(BADGE) == 2
    filtered = manager_client.get("/carts/", {"prices_out_of_date": "on"}).content.decode()
    assert shelf["bolts"].customer.name in filtered and shelf["mixed"].customer.name in filtered
    assert shelf["nuts"].customer.name not in filtered
    summary = manager_client.get("/carts/summary/", {"prices_out_of_date": "on"}).content.decode()
    assert re.search(r">\s*2\s*<", summary)  # counted from the carts, not the tallies

    details = manager_client.get(f"/carts/{shelf['mixed'].pk}/").content.decode()
    assert "BOLT: $1.25 → $1.40" in details
    assert "NUT:" not in details  # its price did not change
    assert "would make the total <strong data-total-at-current>$8.90</strong>" in details
    assert "action=reprice_current" in details
    assert (
        "action=reprice_current"
        not in manager_client.get(f"/carts/{shelf['nuts'].pk}/").content.decode()
    )


def test_re_pricing_one_cart_clears_it_and_is_audited(admin_client, manager_client, catalog, shelf):
    change_price_in_admin(admin_client, bolt_price(catalog), "1.40")
    cart = shelf["mixed"]
    dialog = manager_client.get(ACTION, {"action": "reprice_current", "cart": cart.pk})
    html = dialog.content.decode()
    assert dialog.status_code == 200 and "$8.30" in html and "$8.90" in html
    assert Cart.objects.get(pk=cart.pk).total == Decimal("8.30")  # a preview changes nothing

    done = manager_client.post(
        ACTION, {"action": "reprice_current", "cart": cart.pk, "confirm": "1"}
    )
    assert done.status_code == 302
    after = Cart.objects.get(pk=cart.pk)
    assert (after.total, after.price_level_id) == (Decimal("8.90"), catalog["wholesale"].pk)
    assert not Cart.objects.filter(pk=cart.pk).prices_out_of_date().exists()
    assert CartLine.objects.get(cart=cart, product=catalog["bolt"]).unit_price == Decimal("1.40")
    event = CartEvent.objects.get(cart=cart, action=CartEvent.Action.REPRICED)
    assert (event.actor_name, event.total_before, event.total_after) == (
        "manager",
        Decimal("8.30"),
        Decimal("8.90"),
    )
    page = manager_client.get(done["Location"]).content.decode()
    assert "1 cart re-priced at current prices; total $8.30 → $8.90." in page
    assert page.count(BADGE) == 1  # the other cart with bolts is still out of date


def test_a_cart_with_nothing_out_of_date_is_left_alone_with_a_reason(manager_client, shelf):
    cart = shelf["nuts"]
    dialog = manager_client.get(ACTION, {"action": "reprice_current", "cart": cart.pk})
    assert "This cart’s prices are all current: nothing to re-price." in dialog.content.decode()
    refused = manager_client.post(
        ACTION, {"action": "reprice_current", "cart": cart.pk, "confirm": "1"}
    )
    assert refused.status_code == 409
    assert "all current; nothing was re-priced" in refused.content.decode()
    assert not CartEvent.objects.filter(action=CartEvent.Action.REPRICED).exists()


def test_a_selection_re_prices_inline_leaving_current_carts_alone(
    admin_client, manager_client, catalog, shelf
):
    change_price_in_admin(admin_client, bolt_price(catalog), "1.40")
    ids = [cart.pk for cart in shelf.values()]
    preview = manager_client.post(ACTION, {"action": "reprice_current", "cart": ids})
    html = preview.content.decode()
    assert "<strong data-confirm-count>2 carts</strong>" in html
    assert "1 selected cart has no prices out of date and is left alone." in html

    done = manager_client.post(ACTION, {"action": "reprice_current", "cart": ids, "confirm": "1"})
    assert done.status_code == 302
    assert not Cart.objects.prices_out_of_date().exists()
    repriced = CartEvent.objects.filter(action=CartEvent.Action.REPRICED)
    assert sorted(repriced.values_list("cart_id", flat=True)) == sorted(ids[:2])
    page = manager_client.get("/carts/").content.decode()
    assert "2 carts re-priced at current prices" in page
    assert "1 cart had no prices out of date and was left alone." in page
    assert "no longer open" not in page


def test_every_matching_cart_re_prices_as_a_job(
    admin_client, manager_client, catalog, shelf, settings
):
    settings.CART_ACTION_INLINE_LIMIT = 1
    change_price_in_admin(admin_client, bolt_price(catalog), "1.40")
    response = confirm_all(manager_client, action="reprice_current", query="prices_out_of_date=on")
    assert response.status_code == 302 and response["Location"] == "/carts/jobs/"
    run = CartRun.objects.get(action="reprice_current")
    assert run.mode == CartRun.Mode.JOB and run.total == 2
    assert Cart.objects.prices_out_of_date().count() == 2  # not run yet
    jobs.run(run.pk)
    assert not Cart.objects.prices_out_of_date().exists()
    assert CartEvent.objects.filter(action=CartEvent.Action.REPRICED, run=run).count() == 2
    said = report.result(CartRun.objects.get(pk=run.pk))
    assert said == "2 carts re-priced at current prices; total $10.80 → $11.70."


def test_it_needs_the_permission_to_change_a_price_level(client, catalog, shelf):
    clerk = make_staff("clerk", "carts.view_cart")
    client.force_login(clerk)
    response = client.post(
        ACTION, {"action": "reprice_current", "cart": shelf["bolts"].pk, "confirm": "1"}
    )
    assert response.status_code == 403
    assert "Re-price" not in client.get("/carts/").content.decode()


ROLES = roles_migration()


def rep_user(username: str, rep) -> User:
    user = make_staff(username, "carts.change_cart", sees_every_cart=False)
    user.groups.add(Group.objects.get(name="Sales rep"))
    rep.user = user
    rep.save()
    return User.objects.get(pk=user.pk)


def test_a_rep_re_prices_only_their_own_customers_carts(admin_client, catalog):
    reps = {"a": SalesRepFactory(rep_number=11), "b": SalesRepFactory(rep_number=22)}
    carts = {}
    for key, rep in reps.items():
        cart = cart_of(catalog, ("bolt", 2))
        cart.customer.sales_rep = rep
        with acting_as(make_staff(f"setup-{key}")):
            cart.customer.save()
        carts[key] = cart
    change_price_in_admin(admin_client, bolt_price(catalog), "1.40")
    anna = Client()
    anna.force_login(rep_user("anna", reps["a"]))

    theirs = {"action": "reprice_current", "cart": carts["b"].pk, "confirm": "1"}
    assert anna.post(ACTION, theirs).status_code == 404
    assert anna.get(f"/carts/{carts['b'].pk}/").status_code == 404
    response = confirm_all(anna, action="reprice_current", query="prices_out_of_date=on")
    assert response.status_code == 302
    stale = set(Cart.objects.prices_out_of_date().values_list("pk", flat=True))
    assert stale == {carts["b"].pk}
