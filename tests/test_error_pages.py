"""The site root and the 400 / 403 / 404 pages (`juniperadmin.views`): `/` takes each person
where they belong, and no error page is a dead end: every link it offers works for its reader."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import make_buyer, make_staff

pytestmark = pytest.mark.django_db

NEXT_STEPS = re.compile(r"<nav [^>]*data-next-steps>(.*?)</nav>", re.S)


def next_steps(html: str) -> dict[str, str]:
    """The links an error page offers, by label."""
    (nav,) = NEXT_STEPS.findall(html)
    return {label: href for href, label in re.findall(r'<a [^>]*href="([^"]+)">([^<]+)</a>', nav)}


def assert_each_step_works(client: Client, html: str) -> dict[str, str]:
    """Every offered link ends on a page that opens (after redirects), never on an error."""
    steps = next_steps(html)
    for label, href in steps.items():
        landed = client.get(href, follow=True)
        assert landed.status_code == 200, f"{label} ({href}) ends in {landed.status_code}"
    return steps


def assert_sign_out_works(client: Client, html: str, login: str) -> None:
    (nav,) = NEXT_STEPS.findall(html)
    assert '<form method="post" action="/accounts/logout/"' in nav and ">Sign out</button>" in nav
    signed_out = client.post("/accounts/logout/", {"next": login})
    assert signed_out["Location"] == login
    assert client.get("/carts/")["Location"].startswith("/accounts/login/")


@pytest.fixture
def buyer(store) -> User:
    return make_buyer(store["wholesale"], "buyer1", name="Acme Hardware")[1]


def test_root_sends_a_buyer_to_the_store(client, buyer):
    client.force_login(buyer)
    assert client.get("/")["Location"] == "/shop/"


def test_root_sends_staff_to_open_carts_and_anonymous_users_to_log_in(client):
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/accounts/login/?next=/carts/"
    client.force_login(make_staff("clerk", "carts.view_cart"))
    assert client.get("/")["Location"] == "/carts/"


def test_root_sends_staff_who_only_set_up_the_store_to_the_admin(client):
    client.force_login(make_staff("setup", "pricing.view_pricelevel"))
    assert client.get("/")["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_without_permission_are_told_what_is_missing_and_can_sign_out(client):
    staff = make_staff("nobody")
    staff.first_name, staff.last_name = "Nora", "Body"
    staff.save()
    client.force_login(staff)
    # `/` takes them to the page that says who can give them access (tests/test_no_access.py).
    assert client.get("/")["Location"] == "/no-access/"
    response = client.get("/carts/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "You are signed in as <strong data-signed-in-as>Nora Body</strong>" in html
    assert "(user name nobody)" in html
    assert "the permission “Can view cart” (carts.view_cart)" in html
    assert assert_each_step_works(client, html) == {"Who can give me access": "/no-access/"}
    assert_sign_out_works(client, html, "/accounts/login/")


def test_a_buyer_on_a_staff_page_is_offered_the_store(client, buyer):
    client.force_login(buyer)
    response = client.get("/carts/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "buyer for Acme Hardware" in html and "ask a store administrator" not in html.lower()
    assert assert_each_step_works(client, html) == {"Go to the store": "/shop/"}
    assert_sign_out_works(client, html, "/shop/login/")


def test_staff_on_the_store_side_are_offered_their_own_screens(client):
    client.force_login(make_staff("boss", "carts.view_cart", "pricing.view_product"))
    response = client.get("/shop/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "The store pages are for customers&#x27; buyers only." in html
    assert assert_each_step_works(client, html) == {"Open Carts": "/carts/"}


def test_an_action_refused_for_lack_of_permission_names_it_and_leads_back(client, catalog):
    client.force_login(make_staff("viewer", "carts.view_cart"))
    response = client.post("/carts/actions/", {"action": "delete", "cart": "1", "confirm": "1"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "“Can delete cart” (carts.delete_cart)" in html
    assert assert_each_step_works(client, html) == {"Open Carts": "/carts/"}


def test_an_account_neither_staff_nor_buyer_can_sign_out(client):
    client.force_login(User.objects.create_user("stray", password="pw-for-tests-1"))
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "neither a staff account nor the log-in of an active customer" in html
    assert next_steps(html) == {}
    assert_sign_out_works(client, html, "/shop/login/")


def test_not_found_offers_each_reader_their_way_on(client, buyer):
    anonymous = client.get("/no/such/page/")
    assert anonymous.status_code == 404
    steps = assert_each_step_works(client, anonymous.content.decode())
    assert steps == {"Staff sign-in": "/accounts/login/", "Store sign-in": "/shop/login/"}
    client.force_login(buyer)
    html = client.get("/carts/424242/nope/").content.decode()
    assert assert_each_step_works(client, html) == {"Go to the store": "/shop/"}
    client.force_login(make_staff("clerk", "carts.view_cart"))
    html = client.get("/carts/424242/").content.decode()
    assert assert_each_step_works(client, html) == {"Open Carts": "/carts/"}
    client.force_login(make_staff("setup", "pricing.change_product"))
    html = client.get("/nowhere/").content.decode()
    assert assert_each_step_works(client, html) == {"Store set-up": "/admin/"}


def test_a_bad_request_offers_a_way_on(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    client.force_login(make_staff("clerk", "carts.view_cart"))
    response = client.post("/carts/actions/", {f"field{n}": "x" for n in range(10)})
    html = response.content.decode()
    assert response.status_code == 400 and "could not be understood" in html
    assert assert_each_step_works(client, html) == {"Open Carts": "/carts/"}
    assert_sign_out_works(client, html, "/accounts/login/")


def test_a_bad_host_still_gets_the_page_with_sign_in_links(client):
    response = client.get("/carts/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert set(next_steps(response.content.decode())) == {"Staff sign-in", "Store sign-in"}


def test_an_expired_form_says_so_and_leads_back_to_the_start(catalog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_staff("boss", "carts.view_cart", "carts.delete_cart"))
    response = client.post("/carts/actions/", {"action": "delete", "cart": "1"})
    html = response.content.decode()
    assert response.status_code == 403 and "That form had expired" in html
    assert next_steps(html) == {"Start again": "/"}
    assert client.get("/")["Location"] == "/carts/"


def test_every_page_carries_the_content_security_policy(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'"):
        assert directive in policy
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
