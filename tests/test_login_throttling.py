"""Log-in throttling (django-axes, juniperadmin.lockout): LOGIN_FAILURE_LIMIT (5) wrong passwords
for one username from one address lock it out there, on each of the three log-in pages, which
then says why with a 429; a right password resets the count; a superuser unlocks in the admin."""

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import DELETION, LogEntry
from django.test import Client, RequestFactory

from juniperadmin.lockout import client_address
from tests.factories import make_buyer, make_staff

pytestmark = pytest.mark.django_db

LOCKED = (
    "Too many failed sign-ins for this account; try again in 15 minutes "
    "or ask an administrator to unlock it."
)
# Each log-in page: its address, who signs in there, and a line only that page shows.
PAGES = {
    "staff": ("/accounts/login/", "clerk", "pw-for-tests-1", "Staff sign-in"),
    "store": ("/shop/login/", "buyer", "shop-pass-1", "Order for your shop at your prices."),
    "admin": ("/admin/login/", "clerk", "pw-for-tests-1", "JuniperAdmin store set-up"),
}
STAFF_LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def accounts(store) -> None:
    make_staff("clerk")
    make_staff("colleague")
    make_buyer(store["wholesale"])


def sign_in(client: Client, url: str, username: str, password: str, address: str = "127.0.0.1"):
    data = {"username": username, "password": password}
    return client.post(url, data, REMOTE_ADDR=address)


def fail(client: Client, url: str, username: str, times: int, **where: str) -> list[int]:
    return [sign_in(client, url, username, "wrong-pass", **where).status_code for _ in range(times)]


@pytest.mark.parametrize("page", PAGES)
def test_it_locks_out_after_the_limit_on_every_log_in_page(client, page):
    url, username, password, page_line = PAGES[page]
    assert fail(client, url, username, 5) == [200, 200, 200, 200, 429]
    locked = sign_in(client, url, username, password)
    html = locked.content.decode()
    assert locked.status_code == 429 and locked["Retry-After"] == "900"
    assert LOCKED in html and page_line in html
    assert "Please enter a correct username" not in html
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("page", PAGES)
def test_a_username_too_long_for_any_account_is_a_wrong_password(client, page):
    url = PAGES[page][0]
    for length in (255, 256, 5000):
        answer = sign_in(client, url, "x" * length, "wrong-pass")
        assert answer.status_code == 200
        html = answer.content.decode()
        assert "correct username and password" in html
    assert fail(client, url, "y" * 300, 5)[-1] == 429  # still counted, and locked out


def test_the_lock_out_is_per_username_and_address(client):
    fail(client, STAFF_LOGIN, "clerk", 5)
    assert sign_in(client, STAFF_LOGIN, "clerk", "pw-for-tests-1").status_code == 429
    # The same person from another address, and a colleague at the same one, get in.
    assert sign_in(Client(), STAFF_LOGIN, "clerk", "pw-for-tests-1", "10.0.0.2").status_code == 302
    assert sign_in(Client(), STAFF_LOGIN, "colleague", "pw-for-tests-1").status_code == 302


def test_a_right_password_resets_the_count(client):
    assert fail(client, STAFF_LOGIN, "clerk", 4) == [200] * 4
    assert sign_in(client, STAFF_LOGIN, "clerk", "pw-for-tests-1").status_code == 302
    client.post("/accounts/logout/")
    assert fail(client, STAFF_LOGIN, "clerk", 5) == [200, 200, 200, 200, 429]


def test_it_says_how_long_to_wait_in_the_configured_minutes(client, settings):
    settings.LOGIN_LOCKOUT_MINUTES = 1
    fail(client, STAFF_LOGIN, "clerk", 5)
    locked = sign_in(client, STAFF_LOGIN, "clerk", "pw-for-tests-1")
    assert "try again in 1 minute or ask" in locked.content.decode()
    assert locked["Retry-After"] == "60"


def test_a_superuser_unlocks_an_account_in_the_admin(client, admin_client, admin_user):
    fail(client, STAFF_LOGIN, "clerk", 5)
    attempt = AccessAttempt.objects.get(username="clerk")
    listing = admin_client.get("/admin/axes/accessattempt/?locked_out=yes")
    assert listing.status_code == 200 and "Locked Out" in listing.content.decode()
    selected = {"action": "delete_selected", "_selected_action": [attempt.pk]}
    assert admin_client.post("/admin/axes/accessattempt/", selected).status_code == 200
    unlocked = admin_client.post("/admin/axes/accessattempt/", {**selected, "post": "yes"})
    assert unlocked.status_code == 302 and not AccessAttempt.objects.exists()
    # The unlock is in the admin's own record of who changed what.
    assert LogEntry.objects.filter(user=admin_user, action_flag=DELETION).count() == 1
    assert sign_in(client, STAFF_LOGIN, "clerk", "pw-for-tests-1").status_code == 302


def test_staff_without_permission_may_not_unlock(client):
    fail(client, STAFF_LOGIN, "clerk", 5)
    client.force_login(make_staff("reader"))
    assert client.get("/admin/axes/accessattempt/").status_code == 403


def test_behind_trusted_proxies_it_counts_the_address_the_outermost_one_saw(settings):
    request = RequestFactory().post(
        "/accounts/login/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.9"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "6.6.6.6"
    settings.TRUSTED_PROXY_COUNT = 3  # fewer addresses than proxies: the connecting one
    assert client_address(request) == "10.0.0.1"
    request.META["HTTP_X_FORWARDED_FOR"] = "not an address"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "10.0.0.1"


def test_behind_a_proxy_each_client_is_locked_out_on_its_own(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    behind_proxy = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    for _ in range(5):
        client.post(STAFF_LOGIN, {"username": "clerk", "password": "wrong"}, **behind_proxy)
    elsewhere = {**behind_proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.8"}
    data = {"username": "clerk", "password": "pw-for-tests-1"}
    assert client.post(STAFF_LOGIN, data, **behind_proxy).status_code == 429
    assert Client().post(STAFF_LOGIN, data, **elsewhere).status_code == 302
