"""Chromium against the live server: a sales rep e-mails a customer about their cart from its
details dialog (the preview first, then Send) and from a selection on the bulk bar, where a
customer without an address is listed and skipped."""

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from playwright.sync_api import Page, expect

from carts.mail.records import RecoveryEmail
from tests.browser.helpers import sign_in_as
from tests.factories import CustomerFactory, ProductFactory, SalesRepFactory, make_cart

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rep_world(store):
    """Rep Anna (signed in as "anna", with an address) and two customers' carts of hers, one
    customer without an e-mail address."""
    anna = User.objects.create_user("anna", password="browser-pass-1", is_staff=True)
    anna.groups.add(Group.objects.get(name="Sales rep"))
    rep = SalesRepFactory(user=anna, name="Anna Able", email="anna@store.test")
    product = ProductFactory(name="Oak shelf bracket")
    carts = {}
    for name, email in [("Alder Hardware", "buyer@alder.test"), ("Birch Supply", "")]:
        customer = CustomerFactory(
            name=name,
            email=email,
            contact_name="Pat",
            price_level=store["wholesale"],
            sales_rep=rep,
        )
        carts[name] = make_cart(customer, lines=[(product, 2, "2.50")])
    return carts


def test_a_rep_emails_a_customer_from_the_details_dialog(page: Page, live_server, rep_world):
    sign_in_as(page, live_server, "anna")
    page.get_by_role("link", name="View details of Alder Hardware’s cart").click()
    dialog = page.locator("dialog#app-dialog")
    dialog.get_by_role("link", name="E-mail Customer").click()
    expect(dialog.get_by_role("heading", name="E-mail Customer")).to_be_visible()
    expect(dialog.locator("[data-email-count]")).to_contain_text("1 e-mail will be sent")
    expect(dialog.locator("[data-email-subject]")).to_have_text(
        "Your Juniper Wholesale cart is waiting, Pat"
    )
    expect(dialog.locator("[data-email-body]")).to_contain_text("2 × Oak shelf bracket")
    dialog.get_by_role("button", name="Send 1 e-mail").click()
    expect(page.locator(".messages")).to_contain_text("1 e-mail sent.")

    (message,) = mail.outbox
    assert message.to == ["Pat <buyer@alder.test>"]
    assert message.reply_to == ["Anna Able <anna@store.test>"]
    page.get_by_role("link", name="View details of Alder Hardware’s cart").click()
    expect(dialog.locator("[data-contacts]")).to_contain_text("E-mail by anna")
    expect(dialog.locator("[data-email-status]")).to_have_text("sent")


def test_a_selection_lists_and_skips_a_customer_without_an_address(
    page: Page, live_server, rep_world
):
    sign_in_as(page, live_server, "anna")
    page.get_by_label("Select every cart on this page").check()
    page.get_by_role("button", name="E-mail Customer").click()
    dialog = page.locator("dialog#app-dialog")
    expect(dialog.locator("[data-email-count]")).to_contain_text(
        "1 e-mail will be sent, for 2 selected carts"
    )
    expect(dialog.locator("[data-email-skipped]")).to_contain_text("Birch Supply")
    expect(dialog.locator("[data-email-skipped]")).to_contain_text("no e-mail address")
    dialog.get_by_role("button", name="Send 1 e-mail").click()
    expect(page.locator(".messages")).to_contain_text("1 e-mail sent.")
    expect(page.locator(".messages")).to_contain_text("no e-mail address")
    sent = RecoveryEmail.objects.get()
    assert (sent.cart_id, sent.status) == (rep_world["Alder Hardware"].pk, "sent")
