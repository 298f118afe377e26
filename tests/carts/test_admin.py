"""The store set-up for carts and their audit trail (`carts.admin`): read-only, with money and
dates as the app shows them."""

import datetime
import re
from decimal import Decimal

import pytest

from carts.models import CartEvent
from tests.factories import PriceLevelFactory, ProductFactory, make_cart

pytestmark = pytest.mark.django_db


def test_the_admin_offers_no_way_to_change_or_submit_a_cart(admin_client):
    cart = make_cart(lines=[(ProductFactory(), 2, "1.50")])
    page = admin_client.get(f"/admin/carts/cart/{cart.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200 and "3.00" in html
    assert 'name="status"' not in html and "_save" not in html
    assert admin_client.get("/admin/carts/cart/add/").status_code == 403
    assert admin_client.post(f"/admin/carts/cart/{cart.pk}/delete/").status_code == 403


STARTED = datetime.datetime(2026, 11, 26, 15, 14, tzinfo=datetime.UTC)  # 10:14 AM in New York
TOUCHED = datetime.datetime(2026, 11, 27, 20, 5, tzinfo=datetime.UTC)  # 3:05 PM in New York


@pytest.fixture
def big_cart():
    """A $1,234.50 cart (823 × $1.50), started and last touched at known moments."""
    return make_cart(
        lines=[(ProductFactory(item_id="WIDGET"), 823, "1.50")],
        created_at=STARTED,
        last_touched_at=TOUCHED,
    )


def text_of(html: str) -> str:
    """The page's words, without its tags: a listed date and time is marked up in two halves."""
    return re.sub(r"<[^>]+>", "", html)


def test_the_cart_list_shows_money_and_dates_as_the_app_does(admin_client, big_cart):
    html = admin_client.get("/admin/carts/cart/").content.decode()
    assert "$1,234.50" in html and ">1234.50<" not in html
    text = text_of(html)
    assert "Nov 26, 2026 10:14 AM" in text and "Nov 27, 2026 3:05 PM" in text
    assert '<time class="when" datetime="2026-11-26T10:14:00-05:00">' in html
    assert "a.m." not in html and "p.m." not in html
    # The class static/css/admin.css right-aligns, on the header and the cell.
    assert 'class="field-money_total"' in html and "column-money_total" in html
    assert "/static/css/admin.css" in html


def test_the_cart_page_shows_money_and_dates_as_the_app_does(admin_client, big_cart):
    html = admin_client.get(f"/admin/carts/cart/{big_cart.pk}/change/").content.decode()
    assert html.count("$1,234.50") == 2  # the order total and the one line's total
    assert "$1.50" in html and "Nov 26, 2026 10:14 AM" in html
    assert 'class="field-money_unit_price"' in html and "/static/css/admin.css" in html


def test_the_audit_trail_shows_each_total_in_its_levels_currency(admin_client):
    cart = make_cart(lines=[(ProductFactory(), 2, "5.00")], created_at=STARTED)
    export = PriceLevelFactory(number=7, name="Export", currency="CAD")
    shared = {"cart": cart, "cart_number": cart.pk, "customer_number": "C1", "created_at": TOUCHED}
    moved = CartEvent.objects.create(
        **shared,
        action="price_level_changed",
        level_before=cart.price_level_id,
        level_after=export.number,
        total_before=Decimal("10.00"),
        total_after=Decimal("1234.56"),
    )
    # A level deleted since: the figure alone, never a guessed currency.
    CartEvent.objects.create(
        **shared, action="deleted", level_before=19, level_after=19, total_before=Decimal("9.5")
    )
    listing = admin_client.get("/admin/carts/cartevent/").content.decode()
    assert "$10.00" in listing and "CA$1,234.56" in listing
    assert "Nov 27, 2026 3:05 PM" in text_of(listing)
    assert ">9.50<" in listing and "$9.50" not in listing
    assert 'class="field-money_total_after"' in listing
    inline = admin_client.get(f"/admin/carts/cart/{cart.pk}/change/").content.decode()
    assert "CA$1,234.56" in inline and "$10.00" in inline
    entry = admin_client.get(f"/admin/carts/cartevent/{moved.pk}/change/").content.decode()
    assert "CA$1,234.56" in entry and "Nov 27, 2026 3:05 PM" in entry
