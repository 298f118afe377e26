"""A confirmed "select all matching" acts on the carts its confirmation showed, no more: the
preview signs its count and a cut-off (`carts.actions.selection.pinned`); carts started or
changed after it are left out and the result says so; a forged or stale pin changes nothing."""

import re
import time

import pytest
from django.core import signing
from django.test import Client
from playwright.sync_api import Page, expect

from carts.actions.selection import PIN_SALT
from carts.models import Cart, CartEvent
from carts.services.customer import add_to_cart
from tests.browser.helpers import sign_in
from tests.factories import CustomerFactory, cart_of

ACTION = "/carts/actions/"
ACTIONS = ["delete", "change_price_level"]


def across(action: str, query: str, catalog: dict, **data) -> dict:
    """What a "select all matching" dialog posts, for either action."""
    if action == "change_price_level":
        data["price_level"] = catalog["dealer"].pk
    return {"action": action, "select_across": "1", "query": query, **data}


def preview(client: Client, action: str, query: str, catalog: dict) -> tuple[str, str]:
    """The confirmation's HTML and the pin it carries."""
    response = client.post(ACTION, across(action, query, catalog))
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r'<input type="hidden" name="pin" value="([^"]+)">', html)
    assert found, "the confirmation carries no pin"
    return html, found.group(1)


def confirm(client: Client, action: str, query: str, catalog: dict, pin: str):
    return client.post(ACTION, across(action, query, catalog, confirm="1", pin=pin))


def staff_events() -> set[int]:
    """The carts a staff action was recorded on."""
    return set(CartEvent.objects.exclude(actor=None).values_list("cart_id", flat=True))


def untouched(carts: list[Cart]) -> bool:
    """Still open, at Wholesale, and no staff action recorded on them."""
    ids = [cart.pk for cart in carts]
    rows = Cart.objects.filter(pk__in=ids).values_list("status", "price_level__name")
    return set(rows) == {("open", "Wholesale")} and not staff_events() & set(ids)


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_it_acts_on_no_cart_started_after_a_confirmation_for_none(manager_client, catalog, action):
    html, pin = preview(manager_client, action, "", catalog)
    assert "Delete <strong data-confirm-count>0 carts" in html or "Apply to 0 carts" in html
    customer = CustomerFactory(price_level=catalog["wholesale"])
    started = add_to_cart(customer=customer, product=catalog["bolt"], quantity=2)

    response = confirm(manager_client, action, "", catalog, pin)
    assert response.status_code == 409
    assert untouched([started])
    text = response.content.decode()
    assert "The confirmation was for no carts; nothing was changed." in text
    assert "1 cart that its customer started or changed after the preview was left out." in text


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_it_leaves_out_carts_started_or_touched_after_the_preview_and_says_so(
    manager_client, carts, catalog, action
):
    html, pin = preview(manager_client, action, "total_min=2", catalog)
    assert "data-pinned" in html
    add_to_cart(customer=carts[2].customer, product=catalog["nut"], quantity=1)
    started = add_to_cart(customer=CustomerFactory(), product=catalog["bolt"], quantity=5)

    response = confirm(manager_client, action, "total_min=2", catalog, pin)
    assert response.status_code == 302 and response["Location"] == "/carts/?total_min=2"
    assert staff_events() == {carts[1].pk}
    assert untouched([carts[0], carts[2], started])
    page = manager_client.get(response["Location"]).content.decode()
    assert "1 cart deleted" in page or "1 cart moved to Stocking Dealer" in page
    assert "2 carts that their customers started or changed after the preview were left out." in (
        page
    )


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_it_changes_nothing_when_every_previewed_cart_was_touched_since(
    manager_client, carts, catalog, action
):
    _, pin = preview(manager_client, action, "total_min=3", catalog)
    add_to_cart(customer=carts[2].customer, product=catalog["nut"], quantity=1)

    response = confirm(manager_client, action, "total_min=3", catalog, pin)
    assert response.status_code == 409
    assert (
        "The cart in the preview is no longer open and unchanged; nothing was changed. 1 cart "
        "that its customer started or changed after the preview was left out."
    ) in response.content.decode()
    assert untouched(carts)


@pytest.mark.django_db
def test_a_preview_of_ticked_carts_carries_no_pin(manager_client, carts):
    html = manager_client.post(ACTION, {"action": "delete", "cart": carts[0].pk}).content
    assert b'name="pin"' not in html and b"data-pinned" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_it_refuses_when_more_carts_match_than_the_preview_showed(
    manager_client, carts, catalog, action
):
    _, pin = preview(manager_client, action, "total_min=3", catalog)
    # Started before the cut-off but not counted: a customer's change still uncommitted then.
    earlier = Cart.objects.get(pk=carts[2].pk).created_at
    joined = cart_of(catalog, ("bolt", 4), created_at=earlier)

    response = confirm(manager_client, action, "total_min=3", catalog, pin)
    assert response.status_code == 409
    assert "1 cart now matches that the preview did not show; nothing was changed." in (
        response.content.decode()
    )
    assert untouched([carts[2], joined])


def yesterdays(pin: str) -> str:
    """The same pin, signed a day ago."""

    class Yesterday(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 24 * 3600)

    return Yesterday(salt=PIN_SALT).sign_object(signing.loads(pin, salt=PIN_SALT))


FORGERIES = {
    "missing": (lambda pin: "", "was not previewed"),
    "altered": (lambda pin: pin[:-3] + ("AAA" if pin[-3:] != "AAA" else "BBB"), "was altered"),
    "made up": (lambda pin: "1:2:3", "was altered"),
    "of another list": (lambda pin: None, "was altered"),
    "a day old": (yesterdays, "more than an hour old"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("forgery", FORGERIES, ids=list(FORGERIES))
@pytest.mark.parametrize("action", ACTIONS)
def test_a_forged_or_stale_pin_is_refused_and_changes_nothing(
    manager_client, carts, catalog, action, forgery
):
    forge, says = FORGERIES[forgery]
    _, pin = preview(manager_client, action, "total_min=2", catalog)
    query = "total_min=2"
    if forgery == "of another list":
        _, pin = preview(manager_client, action, "total_min=3", catalog)
    else:
        pin = forge(pin)

    response = confirm(manager_client, action, query, catalog, pin)
    assert response.status_code == 400
    assert "nothing was changed" in response.content.decode()
    assert says in response.content.decode()
    assert untouched(carts)


@pytest.mark.django_db
def test_a_pin_for_one_action_does_not_confirm_the_other(manager_client, carts, catalog):
    _, pin = preview(manager_client, "delete", "", catalog)
    response = confirm(manager_client, "change_price_level", "", catalog, pin)
    assert response.status_code == 400
    assert untouched(carts)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_the_browser_a_cart_started_during_the_preview_is_left_out(
    page: Page, live_server, catalog
):
    page.set_default_timeout(5000)
    for _ in range(26):  # more than a page, so "select all matching" is offered
        cart_of(catalog, ("bolt", 1))
    sign_in(page, live_server, "carts.view_cart", "carts.change_cart")
    page.get_by_label("Select every cart on this page").check()
    page.get_by_role("button", name="Select all 26 matching carts").click()
    page.get_by_role("button", name="Change Price Level").click()
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("New price level").select_option(label="2 – Stocking Dealer")
    dialog.get_by_role("button", name="Preview").click()
    expect(dialog.locator("[data-preview-count]")).to_have_text("26")
    started = add_to_cart(customer=CustomerFactory(), product=catalog["bolt"], quantity=1)

    dialog.get_by_role("button", name="Apply to 26 carts").click()
    expect(page.locator(".message.success")).to_contain_text("26 carts moved to Stocking Dealer")
    expect(page.locator(".message.warning")).to_contain_text(
        "1 cart that its customer started or changed after the preview was left out."
    )
    assert Cart.objects.get(pk=started.pk).price_level == catalog["wholesale"]
