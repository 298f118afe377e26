"""Staff with no permission yet (`juniperadmin.views.no_access`): right after signing in they get
a page that says so and who can give them access, with sign-out; the bar above every page
offers only the screens its reader can open."""

import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from tests.factories import make_staff

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="mainnav" aria-label="Main">(.*?)</nav>', re.S)


def nav_links(html: str) -> list[str]:
    (nav,) = NAV.findall(html)
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


@pytest.fixture
def newcomer() -> User:
    return make_staff("newhire")


def test_it_is_where_staff_with_no_permission_land_after_signing_in(newcomer):
    client = Client()
    for start in ("/accounts/login/", "/accounts/login/?next=/carts/"):
        signed = client.post(start, {"username": "newhire", "password": "pw-for-tests-1"})
        assert signed["Location"] == "/no-access/"
        client.logout()
    client.force_login(newcomer)
    assert client.get("/")["Location"] == "/no-access/"
    # The store set-up would show them an empty index: `/` sends them here instead.
    assert client.get("/admin/", follow=True).redirect_chain[-1][0] == "/no-access/"


def test_it_names_who_can_give_access_and_signs_out(client, newcomer):
    owner = User.objects.create_superuser("owner", "dana@juniper.example", "pw-for-tests-1")
    owner.first_name, owner.last_name = "Dana", "Whitfield"
    owner.save()
    managers = Group.objects.create(name="Staff managers")
    managers.permissions.add(Permission.objects.get(codename="change_user"))
    make_staff("lee").groups.add(managers)
    make_staff("kim", "auth.change_user")
    User.objects.create_superuser("retired", password="pw-for-tests-1", is_active=False)
    make_staff("clerk", "carts.view_cart")
    client.force_login(newcomer)

    response = client.get("/no-access/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your account has no access yet" in html
    assert "You are signed in as <strong data-signed-in-as>newhire</strong>" in html
    (grantors,) = re.findall(r"<ul class=\"grantors\" data-grantors>(.*?)</ul>", html, re.S)
    items = re.findall(r"<li>(.*?)</li>", grantors)
    names = [re.sub(r"<[^>]+>", "", item).strip() for item in items]
    assert names == [
        "Dana Whitfield, dana@juniper.example (administrator)",
        "kim",
        "lee",
    ]
    assert '<a href="mailto:dana@juniper.example">' in html
    assert '<form method="post" action="/accounts/logout/"' in html
    assert nav_links(html) == []
    assert client.post("/accounts/logout/", {"next": "/accounts/login/"})["Location"] == (
        "/accounts/login/"
    )


def test_without_anyone_to_name_it_says_whom_to_ask(client, newcomer):
    client.force_login(newcomer)
    html = client.get("/no-access/").content.decode()
    assert "data-grantors" not in html
    assert "Ask whoever runs the store’s JuniperAdmin (a superuser)" in html


@pytest.mark.parametrize(
    ("permissions", "home"),
    [(("carts.view_cart",), "/carts/"), (("pricing.view_pricelevel",), "/admin/")],
)
def test_anyone_who_may_open_something_is_sent_on(client, permissions, home):
    client.force_login(make_staff("clerk", *permissions))
    assert client.get("/no-access/")["Location"] == "/"
    assert client.get("/")["Location"] == home


def test_the_bar_offers_only_the_screens_its_reader_can_open(client, newcomer):
    setup_only = make_staff("setup", "pricing.view_pricelevel")
    viewer = make_staff("viewer", "carts.view_cart")
    seen = {}
    for user, page in ((setup_only, "/admin/pricing/pricelevel/"), (viewer, "/carts/")):
        client.force_login(user)
        # The bar is the app's; /no-access/ sends both on, so read it on a page of theirs.
        html = client.get("/carts/jobs/" if user is viewer else "/carts/").content.decode()
        seen[user.username] = nav_links(html)
        assert client.get(page).status_code == 200
    assert seen["setup"] == ["Store set-up"]
    # carts.view_cart opens the Carts list in the store set-up too.
    assert seen["viewer"] == ["Open Carts", "Recently deleted", "Jobs", "Recovery", "Store set-up"]
