"""Export on Recently deleted: the restorable carts its filters match, in its sort, as its
columns (Deleted as an ISO 8601 moment in store time, who deleted it, the total and currency)."""

import datetime

import pytest
from django.utils import timezone

from carts.days import store_timezone, store_today
from carts.export.records import CartExport
from carts.models import Cart
from tests.carts.export.reading import csv_rows
from tests.factories import CustomerFactory, SalesRepFactory, make_cart, make_staff

pytestmark = pytest.mark.django_db

URL = "/carts/deleted/export/"
HEADERS = [
    "Deleted",
    "By",
    "Customer",
    "Customer #",
    "Rep #",
    "Items",
    "Quantity",
    "Order Total",
    "Currency",
]


@pytest.fixture
def deleted(catalog):
    """Two carts Pat Lee deleted, an hour apart, and one deleted too long ago to restore."""
    pat = make_staff("pat")
    pat.first_name, pat.last_name = "Pat", "Lee"
    pat.save()
    rep = SalesRepFactory(rep_number=31)
    now = timezone.now().replace(microsecond=0)
    made = {}
    for name, hours in (("Early", 2), ("Late", 1), ("Gone", 24 * 400)):
        customer = CustomerFactory(
            name=name, customer_number=name[:2].upper(), price_level=catalog["wholesale"],
            sales_rep=rep,
        )  # fmt: skip
        cart = make_cart(customer, lines=[(catalog["bolt"], 2, "1.25")], status="deleted")
        Cart.objects.filter(pk=cart.pk).update(
            deleted_at=now - datetime.timedelta(hours=hours), deleted_by=pat
        )
        made[name] = Cart.objects.get(pk=cart.pk)
    return made


def test_it_exports_the_restorable_carts_newest_deletion_first(manager_client, deleted):
    rows = csv_rows(manager_client.get(URL))
    assert rows[0] == HEADERS
    assert [row[2] for row in rows[1:]] == ["Late", "Early"]
    moment = deleted["Late"].deleted_at.astimezone(store_timezone())
    assert rows[1] == [moment.isoformat(), "Pat Lee", "Late", "LA", "31", "1", "2", "2.50", "USD"]
    assert datetime.datetime.fromisoformat(rows[1][0]) == deleted["Late"].deleted_at


def test_it_keeps_the_filters_and_sort(manager_client, deleted):
    rows = csv_rows(manager_client.get(URL, {"sort": "customer", "q": "a"}))
    assert [row[2] for row in rows[1:]] == ["Early", "Late"]
    response = manager_client.get(URL, {"q": "Early", "format": "xlsx"})
    today = store_today().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="deleted-carts_{today}_q-Early.xlsx"'
    )
    b"".join(response.streaming_content)
    assert CartExport.objects.filter(list="deleted", rows=1, completed=True).count() == 1


def test_bad_dates_get_a_400(manager_client, deleted):
    response = manager_client.get(URL, {"deleted_from": "2026-12-09", "deleted_to": "2026-12-01"})
    assert response.status_code == 400
    assert "Some filters are not valid" in response.content.decode()
