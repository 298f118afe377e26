"""Chromium against the live server: a sales rep signs in, sees their own customers' carts only,
and follows one up from its details dialog (a note, a contact, a date) and a selection from
the bulk bar."""

import datetime

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import Page, expect

from carts.days import store_today
from carts.models import Cart, CartEvent
from tests.browser.helpers import sign_in_as
from tests.factories import (
    CustomerFactory,
    ProductFactory,
    SalesRepFactory,
    make_cart,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rep_world(store):
    """Rep Anna (signed in as "anna") with two customers' carts, and rep Bert with one."""
    anna = User.objects.create_user("anna", password="browser-pass-1", is_staff=True)
    anna.groups.add(Group.objects.get(name="Sales rep"))
    reps = {"anna": SalesRepFactory(user=anna), "bert": SalesRepFactory()}
    product = ProductFactory()
    carts = {}
    for name, rep in [("Alder Hardware", "anna"), ("Birch Supply", "anna"), ("Cedar Co", "bert")]:
        customer = CustomerFactory(name=name, price_level=store["wholesale"], sales_rep=reps[rep])
        carts[name] = make_cart(customer, lines=[(product, 2, "2.50")])
    return carts


def test_a_rep_follows_up_a_cart_from_its_details(page: Page, live_server, rep_world):
    sign_in_as(page, live_server, "anna")
    names = page.locator("table#open-carts tbody td.customer")
    expect(names).to_have_count(2)
    expect(page.locator("table#open-carts")).not_to_contain_text("Cedar Co")

    page.get_by_role("link", name="View details of Alder Hardware’s cart").click()
    dialog = page.locator("dialog#app-dialog")
    dialog.get_by_label("Add a note").fill("Wants the spring catalogue first")
    dialog.get_by_role("button", name="Add note").click()
    expect(dialog.get_by_role("status")).to_contain_text("Note added.")
    expect(dialog.locator("[data-notes]")).to_contain_text("Wants the spring catalogue first")

    dialog.get_by_label("How").select_option("Phone")
    dialog.get_by_label("Outcome").fill("Calls back Friday")
    dialog.get_by_role("button", name="Record contact").click()
    expect(dialog.locator("[data-contacts]")).to_contain_text("Phone by anna: Calls back Friday")

    today = store_today()
    dialog.get_by_label("Follow up on").fill(today.isoformat())
    dialog.get_by_role("button", name="Set date").click()
    expect(dialog.locator("[data-follow-up-date]")).to_contain_text(f"{today.day}, {today.year}")
    expect(dialog.locator("[data-follow-up-date]")).to_contain_text("due")

    dialog.locator("[data-dialog-close]").first.click()
    page.get_by_label("Follow-up due (today or earlier)").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(names).to_have_text(["Alder Hardware"])
    expect(page.locator("table#open-carts tbody td.follow-up")).to_contain_text("due")

    cart = Cart.objects.get(pk=rep_world["Alder Hardware"].pk)
    assert cart.follow_up_on == today
    assert cart.last_touched_at == rep_world["Alder Hardware"].last_touched_at
    actions = set(CartEvent.objects.filter(cart=cart).values_list("action", flat=True))
    assert {"note_added", "contacted", "follow_up_set"} <= actions


def test_a_rep_sets_a_follow_up_date_on_a_selection(page: Page, live_server, rep_world):
    sign_in_as(page, live_server, "anna")
    page.get_by_label("Select every cart on this page").check()
    page.get_by_role("button", name="Set Follow-up Date").click()
    dialog = page.locator("dialog#app-dialog")
    expect(dialog).to_contain_text("Follow up 2 carts on")
    tomorrow = store_today() + datetime.timedelta(days=1)
    dialog.get_by_label("Follow-up date", exact=True).fill(tomorrow.isoformat())
    dialog.get_by_role("button", name="Set for 2 carts").click()
    expect(page.locator(".messages")).to_contain_text("2 carts to follow up on")
    mine = [rep_world["Alder Hardware"].pk, rep_world["Birch Supply"].pk]
    assert set(Cart.objects.filter(follow_up_on=tomorrow).values_list("pk", flat=True)) == set(mine)
