from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from carts.models import Cart
from customers.models import Customer, SalesRep
from tests.factories import CustomerFactory, cart_of

pytestmark = pytest.mark.django_db

# client.login() authenticates without a request, which the log-in throttling (django-axes)
# refuses: each gets a request of its own.


def test_it_makes_a_working_staff_login_and_store_logins(client):
    shops = [CustomerFactory() for _ in range(4)]
    out = StringIO()
    call_command("ensure_demo_logins", stdout=out)
    assert "Staff login: admin / juniper-demo" in out.getvalue()
    assert f"Store login: buyer1 / shop-demo ({shops[0].name})" in out.getvalue()
    assert client.login(request=HttpRequest(), username="admin", password="juniper-demo")
    assert User.objects.get(username="admin").is_staff
    assert client.login(request=HttpRequest(), username="buyer3", password="shop-demo")
    buyer = User.objects.get(username="buyer3")
    assert not buyer.is_staff and Customer.objects.get(user=buyer) == shops[2]
    assert client.get("/shop/").status_code == 200


def test_it_leaves_existing_accounts_as_they_are_and_runs_twice():
    User.objects.create_user("admin", password="forgotten", is_active=False)
    User.objects.create_user("buyer1", password="forgotten", is_staff=True)
    shops = [CustomerFactory() for _ in range(2)]
    rep = SalesRep.objects.order_by("rep_number").first()
    first, second = StringIO(), StringIO()
    call_command("ensure_demo_logins", stdout=first)
    hashes = dict(User.objects.values_list("username", "password"))
    call_command("ensure_demo_logins", stdout=second)
    admin, buyer1 = User.objects.get(username="admin"), User.objects.get(username="buyer1")
    assert admin.check_password("forgotten") and not admin.is_active and not admin.is_superuser
    assert buyer1.check_password("forgotten") and buyer1.is_staff
    assert not Customer.objects.filter(user=buyer1).exists()
    assert dict(User.objects.values_list("username", "password")) == hashes
    changed = "its password was changed since, so it is not"
    expected = [
        f"Staff login: admin: {changed} juniper-demo (deactivated: it cannot sign in; "
        "not staff: it cannot open Open Carts)",
        f"Sales rep login: rep / juniper-demo ({rep}: their customers' carts only)",
        f"Store login: buyer1: {changed} shop-demo (no customer's log-in: it cannot order)",
        f"Store login: buyer2 / shop-demo ({shops[0].name})",
        f"Store login: buyer3 / shop-demo ({shops[1].name})",
    ]
    # The second run prints the same log-ins, passwords and all, as the first.
    assert first.getvalue().splitlines() == expected
    assert second.getvalue().splitlines() == expected
    assert [shop.user.username for shop in Customer.objects.order_by("customer_number")] == [
        "buyer2",
        "buyer3",
    ]


def test_every_run_prints_the_passwords_and_a_changed_one_is_not_printed(client):
    shops = [CustomerFactory() for _ in range(3)]
    call_command("ensure_demo_logins", stdout=StringIO())
    buyer2 = User.objects.get(username="buyer2")
    buyer2.set_password("my-own-secret-9")
    buyer2.save()
    again = StringIO()
    call_command("ensure_demo_logins", stdout=again)
    rep = SalesRep.objects.get(user__username="rep")
    assert again.getvalue().splitlines() == [
        "Staff login: admin / juniper-demo",
        f"Sales rep login: rep / juniper-demo ({rep}: their customers' carts only)",
        f"Store login: buyer1 / shop-demo ({shops[0].name})",
        "Store login: buyer2: its password was changed since, so it is not shop-demo "
        f"({shops[1].name})",
        f"Store login: buyer3 / shop-demo ({shops[2].name})",
    ]
    assert "my-own-secret-9" not in again.getvalue()
    # What it prints on the second run signs in.
    assert client.login(request=HttpRequest(), username="admin", password="juniper-demo")
    assert client.login(request=HttpRequest(), username="buyer3", password="shop-demo")


NOT_PRODUCTION = "--i-know-this-is-not-production"


@pytest.fixture(autouse=True)
def _debug_on(settings):
    """As `make run` runs it; what it does with DEBUG off has tests of its own below."""
    settings.DEBUG = True


def test_it_keeps_a_customers_own_store_login():
    own = User.objects.create_user("jane", password="pw-for-tests-1")
    theirs = CustomerFactory(customer_number="A0001", user=own)
    other = CustomerFactory(customer_number="B0001")
    call_command("ensure_demo_logins", stdout=StringIO())
    assert Customer.objects.get(pk=theirs.pk).user == own
    assert Customer.objects.get(pk=other.pk).user.username == "buyer1"
    # No customer left for buyer2 and buyer3: no account without one.
    assert not User.objects.filter(username__in=["buyer2", "buyer3"]).exists()


def test_with_debug_off_it_refuses_and_makes_no_account(settings):
    settings.DEBUG = False
    CustomerFactory()
    with pytest.raises(CommandError, match=f"DEBUG is off.*known password.*add {NOT_PRODUCTION}"):
        call_command("ensure_demo_logins", stdout=StringIO())
    assert not User.objects.exists()


def test_with_debug_off_the_flag_lets_it_run(settings):
    settings.DEBUG = False
    call_command("ensure_demo_logins", NOT_PRODUCTION, "--customers", "0", stdout=StringIO())
    assert User.objects.get().check_password("juniper-demo")


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--customers", "-1", "must be from 0 to 1,000, not -1"),
        ("--customers", "1001", "must be from 0 to 1,000, not 1,001"),
        ("--customers", "three", "'three' is not a whole number"),
        ("--username", "", "This field cannot be blank"),
        ("--username", "no spaces", "Enter a valid username"),
        ("--password", "short", "This password is too short"),
    ],
)
def test_it_refuses_odd_arguments_and_makes_no_account(option, value, says):
    CustomerFactory()
    with pytest.raises(CommandError, match=f"argument {option}: {says}"):
        call_command("ensure_demo_logins", option, value, stdout=StringIO())
    assert not User.objects.exists()


def test_the_rep_login_sees_its_reps_customers_carts_only(client, catalog):
    carts = [cart_of(catalog, ("bolt", 1)) for _ in range(2)]
    out = StringIO()
    call_command("ensure_demo_logins", "--customers", "0", stdout=out)
    rep = SalesRep.objects.get(user__username="rep")
    assert f"Sales rep login: rep / juniper-demo ({rep}: their customers' carts only)" in (
        out.getvalue()
    )
    assert client.login(request=HttpRequest(), username="rep", password="juniper-demo")
    shown = client.get("/carts/").context["table"].page_rows
    assert [cart.pk for cart in shown] == [c.pk for c in carts if c.rep_number == rep.rep_number]
    assert Cart.objects.count() == 2
