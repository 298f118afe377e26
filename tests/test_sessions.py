"""How long a sign-in lasts (juniperadmin.sessions): staff 30 minutes idle and 12 hours at most,
customers' buyers 14 days idle, each from settings. Times are moved by editing the session,
never by waiting."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from juniperadmin.sessions import REFRESHED_AT, SIGNED_IN_AT
from tests.factories import make_buyer

pytestmark = [pytest.mark.django_db, pytest.mark.session_refresh]

HOUR = 60 * 60
ENDED = "You were signed out 12 hours after signing in. Please sign in again."


@pytest.fixture
def buyer_client(client, store) -> Client:
    _, user = make_buyer(store["wholesale"])
    client.force_login(user)
    return client


def edit_session(client: Client, **values: object) -> None:
    session = client.session
    session.update(values)
    session.save()


def stored_expiry(client: Client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_staff_sessions_last_30_minutes_idle(client, staff_user):
    before = timezone.now()
    signed_in = client.post("/accounts/login/", {"username": "clerk", "password": "pw-for-tests-1"})
    after = timezone.now()
    assert signed_in.status_code == 302
    assert signed_in.cookies["sessionid"]["max-age"] == 30 * 60
    idle = timedelta(minutes=30)
    assert before + idle <= stored_expiry(client) <= after + idle


def test_customers_sessions_last_14_days_idle(client, store):
    make_buyer(store["wholesale"])
    signed_in = client.post("/shop/login/", {"username": "buyer", "password": "shop-pass-1"})
    assert signed_in.status_code == 302
    assert signed_in.cookies["sessionid"]["max-age"] == 14 * 24 * HOUR


def test_the_idle_limits_come_from_settings(client, store, staff_user, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    settings.CUSTOMER_SESSION_IDLE_DAYS = 2
    client.force_login(staff_user)
    assert client.session.get_expiry_age() == 5 * 60
    client.force_login(make_buyer(store["wholesale"])[1])
    assert client.session.get_expiry_age() == 2 * 24 * HOUR


def test_a_session_from_before_the_limits_gets_them_on_its_next_request(staff_client):
    session = staff_client.session
    session.set_expiry(None)
    for key in (SIGNED_IN_AT, REFRESHED_AT):
        del session[key]
    session.save()
    assert staff_client.session.get_expiry_age() == 14 * 24 * HOUR  # SESSION_COOKIE_AGE
    response = staff_client.get("/carts/")
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert SIGNED_IN_AT in staff_client.session


def last_write(client: Client, *, seconds_ago: int, idle: int) -> None:
    """As if the session row was last written `seconds_ago`, with its deadline `idle` after."""
    edit_session(client, **{REFRESHED_AT: int(time.time()) - seconds_ago})
    deadline = timezone.now() + timedelta(seconds=idle - seconds_ago)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=deadline)


def the_next_whole_second() -> None:
    """Wait for the clock's next whole second, so what follows has most of a second before the
    middleware's clock (whole seconds) moves on: on a busy machine, a write and a request can
    take long enough to cross one."""
    time.sleep(1 - time.time() % 1)


def test_activity_moves_the_idle_deadline_on(staff_client):
    staff_client.get("/carts/")
    the_next_whole_second()
    last_write(staff_client, seconds_ago=0, idle=30 * 60)
    written = stored_expiry(staff_client)
    # Within the same second the deadline stands (one write for a burst of requests)...
    staff_client.get("/carts/")
    assert stored_expiry(staff_client) == written
    # ...a second later, a request moves it to 30 minutes from now.
    last_write(staff_client, seconds_ago=1, idle=30 * 60)
    before = timezone.now()
    staff_client.get("/carts/")
    assert stored_expiry(staff_client) >= before + timedelta(minutes=30)


@pytest.mark.parametrize("idle_minutes", [1, 2, 30])
def test_the_idle_limit_counts_from_the_last_request_to_the_second(
    staff_client, settings, idle_minutes
):
    settings.STAFF_SESSION_IDLE_MINUTES = idle_minutes
    idle = idle_minutes * 60
    staff_client.get("/carts/")
    # Busy all along: the last write was most of the limit ago, the last request just now.
    for _ in range(3):
        last_write(staff_client, seconds_ago=idle - 5, idle=idle)
        before = timezone.now()
        assert staff_client.get("/carts/").status_code == 200
        assert stored_expiry(staff_client) >= before + timedelta(seconds=idle - 1)


def test_an_idle_session_is_signed_out(staff_client):
    staff_client.get("/carts/")
    past = timezone.now() - timedelta(seconds=1)
    Session.objects.filter(session_key=staff_client.session.session_key).update(expire_date=past)
    assert staff_client.get("/carts/")["Location"] == "/accounts/login/?next=/carts/"


def test_staff_are_signed_out_12_hours_after_signing_in(staff_client):
    edit_session(staff_client, **{SIGNED_IN_AT: int(time.time()) - 12 * HOUR})
    ended = staff_client.get("/carts/?customer=acme")
    assert ended["Location"] == "/accounts/login/?next=/carts/%3Fcustomer%3Dacme"
    assert "_auth_user_id" not in staff_client.session
    login_page = staff_client.get(ended["Location"])
    assert ENDED in login_page.content.decode()
    assert staff_client.get("/carts/")["Location"].startswith("/accounts/login/")


def test_the_maximum_holds_in_the_admin_too(admin_client):
    edit_session(admin_client, **{SIGNED_IN_AT: int(time.time()) - 13 * HOUR})
    assert admin_client.get("/admin/")["Location"] == "/accounts/login/?next=/admin/"


def test_a_busy_staff_session_within_the_maximum_goes_on(staff_client, settings):
    edit_session(staff_client, **{SIGNED_IN_AT: int(time.time()) - 11 * HOUR})
    assert staff_client.get("/carts/").status_code == 200
    settings.STAFF_SESSION_MAX_HOURS = 10
    assert staff_client.get("/carts/")["Location"] == "/accounts/login/?next=/carts/"


def test_customers_have_no_maximum_but_the_idle_one(buyer_client):
    edit_session(buyer_client, **{SIGNED_IN_AT: int(time.time()) - 400 * 24 * HOUR})
    assert buyer_client.get("/shop/").status_code == 200


def test_signing_in_records_when(client, staff_user):
    before = int(time.time())
    signed_in = client.post("/accounts/login/", {"username": "clerk", "password": "pw-for-tests-1"})
    assert signed_in.status_code == 302
    assert before <= client.session[SIGNED_IN_AT] <= int(time.time())
