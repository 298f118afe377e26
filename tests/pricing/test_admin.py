"""The store set-up for products (`pricing.admin`)."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from pricing.admin import admin_money
from pricing.templatetags.money import money
from tests.factories import PriceLevelFactory, ProductFactory, price

pytestmark = pytest.mark.django_db


def test_the_admin_shows_the_item_id_read_only_once_created(admin_client):
    product = ProductFactory(item_id="KEEP-ME")
    html = admin_client.get(f"/admin/pricing/product/{product.pk}/change/").content.decode()
    assert "KEEP-ME" in html and 'name="item_id"' not in html
    assert 'name="item_id"' in admin_client.get("/admin/pricing/product/add/").content.decode()


def test_the_admin_shows_the_level_number_read_only_once_created(admin_client):
    level = PriceLevelFactory(number=4, name="Export")
    html = admin_client.get(f"/admin/pricing/pricelevel/{level.pk}/change/").content.decode()
    assert "Export" in html and 'name="number"' not in html
    assert 'name="number"' in admin_client.get("/admin/pricing/pricelevel/add/").content.decode()


def test_admin_money_writes_amounts_as_the_app_does():
    assert admin_money(Decimal("1234.5"), "USD") == money(Decimal("1234.5"), "USD") == "$1,234.50"
    assert admin_money(Decimal("99"), "CHF") == "99.00 CHF"
    assert admin_money(None, "USD") is None  # the admin shows its "-"
    assert admin_money(Decimal("-7.005"), None) == "-7.01"


def test_the_product_page_links_the_stylesheet_that_right_aligns_its_prices(admin_client):
    # tests/browser/test_admin_browser.py measures the alignment in Chromium.
    product = ProductFactory(item_id="BOLT")
    price(product, PriceLevelFactory(number=1), "1250.00")
    html = admin_client.get(f"/admin/pricing/product/{product.pk}/change/").content.decode()
    assert 'value="1250.00"' in html and "/static/css/admin.css" in html
    css = Path(finders.find("css/admin.css")).read_text()
    assert "td.field-unit_price input" in css and "text-align: right" in css
