"""The store set-up for products (`pricing.admin`)."""

import pytest

from tests.factories import PriceLevelFactory, ProductFactory

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
