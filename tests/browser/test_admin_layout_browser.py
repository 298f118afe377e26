"""Chromium at 1280×800 against every changelist of the store set-up (Django admin), each with a
few rows of realistic data, the longest names a store has included: nothing scrolls sideways,
neither the page nor the list, and the last column is inside the screen."""

from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from carts.export.records import CartExport
from carts.mail.records import RecoveryEmail, RecoveryTemplate
from carts.models import Cart, CartContact, CartEvent
from carts.orders import number_orders
from carts.runs.tasks import run_cart_job
from pricing.models import ImportRecord
from tests.factories import (
    CustomerFactory,
    PriceLevelFactory,
    ProductFactory,
    SalesRepFactory,
    make_cart,
    price,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_CUSTOMER = (
    "Prairie Garden Center of Missoula and the Greater Bitterroot Valley Hardware Cooperative"
)
LONG_PRODUCT = (
    "Heavy-Duty Galvanized Steel Hex Bolts with Nylon Lock Nuts and Flat Washers, Grade 8 "
    "(Box of 50)"
)
LONG_ITEM_ID = "HW_HEX-BOLT-GRADE8-GALV-3-8X2-IN-NYLOCK-BOX-50"
LONG_EMAIL = "purchasing.department@prairie-garden-center-missoula.example.com"
LONG_PERSON = "Alexandra Whitfield-Montgomery"

# Where a changelist's page, list and last column end, and how many rows it shows.
EXTENT = """() => {
  const results = document.querySelector('#changelist .results');
  const heads = [...document.querySelectorAll('#result_list thead th')];
  const cells = [...document.querySelectorAll('#result_list tbody tr > :last-child')];
  const rights = [heads.at(-1), ...cells].filter(Boolean).map(c => c.getBoundingClientRect().right);
  return {
    page: document.documentElement.scrollWidth,
    listOverflow: results ? results.scrollWidth - results.clientWidth : null,
    lastRight: Math.max(...rights),
    rows: cells.length,
  };
}"""


def shop_with_long_names() -> None:
    """Levels, reps, customers, products and prices, carts in every state with their audit
    entries, sign-in lock-outs and logs, a task result, staff accounts and groups."""
    levels = [
        PriceLevelFactory(number=0, name="Base Price"),
        PriceLevelFactory(number=5, name="Key Account – Northeast Independent Garden Centers"),
        PriceLevelFactory(number=7, name="Export", currency="CAD"),
    ]
    rep = SalesRepFactory(rep_number=101, name=LONG_PERSON, email=LONG_EMAIL)
    customers = [
        CustomerFactory(
            name=LONG_CUSTOMER,
            customer_number="PRAIRIE-GARDEN-MISSOULA-0001",
            email=LONG_EMAIL,
            price_level=levels[1],
            sales_rep=rep,
        ),
        CustomerFactory(name="Reyes' Mercantile LLC", price_level=levels[0]),
        CustomerFactory(name="Dalton's Candle Co.", price_level=levels[2]),
    ]
    products = [
        ProductFactory(item_id=LONG_ITEM_ID, name=LONG_PRODUCT),
        ProductFactory(item_id="CN-2201", name="Vanilla Tea Lights, 8-Hour (Pack of 24)"),
        ProductFactory(item_id="PT_2330", name="Sherpa Bolster Pet Bed, Small (Case of 2)"),
    ]
    for product in products:
        for level in levels:
            price(product, level, "12345.67")
    for customer in customers:
        for status in Cart.Status.values:
            cart = make_cart(customer, lines=[(products[0], 99999, "12.50")], status=status)
            audit_entries(cart)
        recovery_email(cart)
    number_orders()  # the submitted ones get their order numbers, as at submit
    sign_in_records()
    staff_and_jobs()
    exports()
    import_records()


def staff_and_jobs() -> None:
    for job in range(3):
        run_cart_job.enqueue(job + 1)
    for name in ("Order desk", "Warehouse and deliveries", "Store set-up and pricing"):
        Group.objects.create(name=name)
    for index in range(3):
        address = f"staff.member.{index}@{LONG_EMAIL.split('@')[1]}"
        User.objects.create_user(
            address, email=address, first_name="Alexandra", last_name=LONG_PERSON, is_staff=True
        )


def exports() -> None:
    """Downloads of both lists, in both formats, with long filters."""
    filters = f"q={LONG_CUSTOMER}&price_level=5&days_open_min=30&sort=-total".replace(" ", "+")
    for kind, form in [("open", "csv"), ("deleted", "xlsx"), ("open", "xlsx")]:
        CartExport.objects.create(
            actor_name=LONG_PERSON,
            list=kind,
            format=form,
            with_lines=form == "xlsx",
            filters=filters,
            rows=1_234_567,
            completed=True,
            finished_at=timezone.now(),
        )


def import_records() -> None:
    """Imports of the set-up, a long file name each."""
    for kind in ("Customers", "Products with a price column per level", "Sales reps"):
        ImportRecord.objects.create(
            user_name=LONG_EMAIL,
            kind=kind,
            file_name=f"{LONG_CUSTOMER} price list export from the ERP 2026-12-07.xlsx",
            outcome=ImportRecord.IMPORTED,
            added=123_456,
            changed=7_890,
            unchanged=100_000,
            refused=0,
        )


def recovery_email(cart: Cart) -> None:
    """A recovery e-mail about the cart, refused by the mail server with a long reason, from a
    template with a long name."""
    template = RecoveryTemplate.objects.create(
        name=f"Spring restock reminder {cart.pk}: garden centers and feed stores, second notice",
        subject="s",
        body="b",
    )
    contact = CartContact.objects.create(
        cart=cart, author_name=LONG_PERSON, kind="email", contacted_at=timezone.now()
    )
    RecoveryEmail.objects.create(
        contact=contact, cart=cart, customer=cart.customer, template=template,
        template_name=template.name, to=LONG_EMAIL, status=RecoveryEmail.Status.FAILED,
        reason=f"550 5.1.1 <{LONG_EMAIL}>: Recipient address rejected: User unknown in table",
    )  # fmt: skip


def audit_entries(cart: Cart) -> None:
    total = Decimal("1249987.50")
    for action in CartEvent.Action.values:
        CartEvent.objects.create(
            cart=cart,
            cart_number=cart.pk,
            customer_number=cart.customer.customer_number,
            action=action,
            actor_name=LONG_PERSON,
            level_before=5,
            level_after=7,
            total_before=total,
            total_after=total,
        )


def sign_in_records() -> None:
    where = {
        "ip_address": "203.0.113.254",
        "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0",
        "path_info": "/accounts/login/",
        "http_accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    }
    for index in range(3):
        username = f"{index}.{LONG_EMAIL}"
        AccessAttempt.objects.create(
            username=username, failures_since_start=5, get_data="", post_data="", **where
        )
        AccessFailureLog.objects.create(username=username, locked_out=True, **where)
        AccessLog.objects.create(username=username, logout_time=timezone.now(), **where)


def changelists() -> list[str]:
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    )


def test_every_changelist_fits_a_1280_px_screen(page: Page, live_server):
    shop_with_long_names()
    User.objects.create_superuser("owner", password="browser-pass-1")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("owner")
    page.get_by_label("Password").fill("browser-pass-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Store set-up", exact=True)).to_be_visible()

    lists = changelists()
    assert "/admin/carts/cart/" in lists and "/admin/customers/customer/" in lists
    too_wide = {}
    for path in lists:
        page.goto(f"{live_server.url}{path}")
        extent = page.evaluate(EXTENT)
        assert extent["rows"] >= 3, (path, extent)
        if extent["page"] > 1280 or extent["listOverflow"] > 0 or extent["lastRight"] > 1280:
            too_wide[path] = extent
    assert too_wide == {}
