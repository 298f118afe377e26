"""The cart lists reach carts only through the one door, `Cart.objects.visible_to(user)`: a
user it shows no carts sees none, on any of the lists' pages, whatever the filters."""

import re
from pathlib import Path

import pytest

from carts.models import Cart
from carts.querysets import CartQuerySet
from carts.services.staff import delete_carts

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
VIEWS = [
    "carts/listing/views.py",
    "carts/listing/filters.py",
    "carts/listing/tables.py",
    "carts/listing/paging.py",
    "carts/tallies/summary.py",
    "carts/deleted/views.py",
]


@pytest.fixture
def door(monkeypatch) -> list:
    """Shut the door: `visible_to` shows nobody any cart; returns who asked through it."""
    asked = []

    def visible_to(self, user):
        asked.append(user)
        return self.none()

    monkeypatch.setattr(CartQuerySet, "visible_to", visible_to)
    return asked


def test_the_lists_go_through_the_door_for_the_signed_in_user(manager_client, staff, carts, door):
    delete_carts(carts=Cart.objects.filter(pk=carts[0].pk), user=staff)
    for url, query in [
        ("/carts/", {}),
        ("/carts/", {"q": "Shop", "sort": "-total"}),
        ("/carts/summary/", {"q": "Shop"}),
        ("/carts/deleted/", {}),
        ("/carts/deleted/", {"q": "Shop", "rep": carts[0].rep_number}),
    ]:
        door.clear()
        page = manager_client.get(url, query, headers={"X-Dialog": "1"})
        assert page.status_code == 200, url
        assert door and all(user == staff for user in door), (url, door)
        assert page.context["matching"] == 0 or url == "/carts/", url
        assert not re.search(r'data-cart-id="\d+"', page.content.decode()), url
    assert manager_client.get(f"/carts/{carts[1].pk}/").status_code == 404


def test_no_list_reaches_carts_another_way():
    for name in VIEWS:
        source = (ROOT / name).read_text()
        assert not re.findall(r"Cart\.objects\.(?!visible_to\()\w+", source), name
