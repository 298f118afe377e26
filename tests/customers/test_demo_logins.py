from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_it_makes_a_working_staff_login_and_store_logins(client):
    shops = [CustomerFactory() for _ in range(4)]
    out = StringIO()
    call_command("ensure_demo_logins", stdout=out)
    assert "Staff login: admin / juniper-demo" in out.getvalue()
    assert f"Store login: buyer1 / shop-demo ({shops[0].name})" in out.getvalue()
    assert client.login(username="admin", password="juniper-demo")
    assert User.objects.get(username="admin").is_staff
    assert client.login(username="buyer3", password="shop-demo")
    buyer = User.objects.get(username="buyer3")
    assert not buyer.is_staff and Customer.objects.get(user=buyer) == shops[2]
    assert client.get("/shop/").status_code == 200


def test_it_repairs_existing_users_and_runs_twice(client):
    User.objects.create_user("admin", password="forgotten", is_active=False)
    User.objects.create_user("buyer1", password="forgotten", is_staff=True)
    CustomerFactory()
    call_command("ensure_demo_logins", stdout=StringIO())
    call_command("ensure_demo_logins", stdout=StringIO())
    assert User.objects.filter(username__in=["admin", "buyer1"]).count() == 2
    assert client.login(username="admin", password="juniper-demo")
    assert client.login(username="buyer1", password="shop-demo")
    assert not User.objects.get(username="buyer1").is_staff
