"""Recently deleted (`carts.views.recently_deleted`): deleted carts that can still come back."""

import datetime

import pytest
from django.utils import timezone

from carts.models import Cart
from carts.services.staff import delete_carts

pytestmark = pytest.mark.django_db

URL = "/carts/deleted/"


def test_it_lists_deleted_carts_with_a_restore_button(manager_client, carts, staff):
    delete_carts(carts=Cart.objects.filter(pk=carts[1].pk), user=staff)
    listing = manager_client.get(URL).content.decode()
    assert carts[1].customer.name in listing and "Restore" in listing
    assert carts[0].customer.name not in listing


def test_it_shows_no_restore_button_to_staff_who_may_not_delete(staff_client, carts, staff):
    delete_carts(carts=Cart.objects.filter(pk=carts[1].pk), user=staff)
    listing = staff_client.get(URL).content.decode()
    assert carts[1].customer.name in listing
    assert 'action="/carts/restore/"' not in listing


def test_it_leaves_out_carts_past_the_retention_period(manager_client, carts, staff, settings):
    settings.CART_RETENTION_DAYS = 30
    delete_carts(carts=Cart.objects.filter(pk=carts[1].pk), user=staff)
    long_ago = timezone.now() - datetime.timedelta(days=31)
    Cart.objects.filter(pk=carts[1].pk).update(deleted_at=long_ago)
    assert carts[1].customer.name not in manager_client.get(URL).content.decode()
