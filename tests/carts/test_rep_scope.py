"""Sales reps see their own customers' carts (issue 19): the roles, `SalesRep.user` and the one
door (`carts.querysets.scope_of`) on every staff path, and a 404 for another rep's cart."""

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from carts.models import Cart, CartRun
from carts.runs import jobs
from carts.services.staff import delete_carts
from customers.audit import acting_as
from customers.models import SalesRep
from tests.carts.runs.making import job
from tests.factories import SalesRepFactory, cart_of, make_staff, roles_migration

pytestmark = pytest.mark.django_db

ROLES = roles_migration()


def perms(group: Group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def rep_user(username: str, rep: SalesRep | None, *extra: str) -> User:
    """A member of the Sales rep group, linked to `rep` (None: not linked yet)."""
    user = make_staff(username, *extra, sees_every_cart=False)
    user.groups.add(Group.objects.get(name="Sales rep"))
    if rep is not None:
        rep.user = user
        rep.save()
    return User.objects.get(pk=user.pk)  # afresh: no cached permissions or reps


@pytest.fixture
def reps(catalog) -> dict[str, SalesRep]:
    return {"a": SalesRepFactory(rep_number=11), "b": SalesRepFactory(rep_number=22)}


@pytest.fixture
def rep_carts(catalog, reps) -> dict[str, Cart]:
    made = {}
    for key, rep in reps.items():
        cart = cart_of(catalog, ("bolt", 2))
        cart.customer.sales_rep = rep
        with acting_as(make_staff(f"setup-{key}")):
            cart.customer.save()
        made[key] = Cart.objects.get(pk=cart.pk)
    return made


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_four_roles_exist_with_what_the_readme_says():
    groups = {group.name: perms(group) for group in Group.objects.all()}
    assert {"Store admin", "WebManager staff", "Sales rep", "Viewer"} <= set(groups)
    admin, web, rep, viewer = (
        groups[name] for name in ("Store admin", "WebManager staff", "Sales rep", "Viewer")
    )
    every = {"carts.view_cart", "carts.view_all_carts"}
    assert every | {"carts.change_cart", "carts.delete_cart", "customers.change_salesrep"} <= admin
    assert "pricing.view_importrecord" in admin  # the record of the set-up's imports
    assert every | {"carts.delete_cart"} <= web and "carts.change_cart" not in web
    assert "carts.view_cart" in rep
    assert not {"carts.view_all_carts", "carts.change_cart", "carts.delete_cart"} & rep
    assert viewer == every


def test_running_the_roles_again_keeps_what_a_store_added():
    group = Group.objects.get(name="Viewer")
    added = Permission.objects.get(codename="view_customer")
    group.permissions.add(added)
    ROLES.create_roles(django_apps, None)
    assert "customers.view_customer" in perms(Group.objects.get(name="Viewer"))
    assert "carts.view_all_carts" not in perms(Group.objects.get(name="Sales rep"))


def test_who_could_view_carts_before_the_roles_still_sees_every_cart():
    before = User.objects.create_user("old-hand", is_staff=True)
    before.user_permissions.add(Permission.objects.get(codename="view_cart"))
    ROLES.create_roles(django_apps, None)
    assert User.objects.get(pk=before.pk).has_perm("carts.view_all_carts")


def test_a_linked_rep_sees_only_their_customers_carts_on_the_list_and_in_the_summary(
    reps, rep_carts
):
    client = signed_in(rep_user("anna", reps["a"]))
    page = client.get("/carts/").content.decode()
    assert rep_carts["a"].customer.name in page
    assert rep_carts["b"].customer.name not in page
    summary = client.get("/carts/summary/?q=").content.decode()
    assert "$2.50" in summary and "$5.00" not in summary


def test_another_reps_cart_is_not_found_anywhere(reps, rep_carts, staff):
    anna = rep_user("anna", reps["a"], "carts.delete_cart", "carts.change_cart")
    client, theirs = signed_in(anna), rep_carts["b"].pk
    assert client.get(f"/carts/{theirs}/").status_code == 404
    for action in ("delete", "change_price_level"):
        response = client.post("/carts/actions/", {"action": action, "cart": theirs})
        assert response.status_code == 404, action
        assert "There is no cart" in response.content.decode()
    confirmed = {"action": "delete", "cart": theirs, "confirm": "1"}
    assert client.post("/carts/actions/", confirmed).status_code == 404
    assert Cart.objects.get(pk=theirs).status == Cart.Status.OPEN
    delete_carts(carts=Cart.objects.filter(pk=theirs), user=staff)
    assert client.post("/carts/restore/", {"cart": theirs}).status_code == 404
    assert Cart.objects.get(pk=theirs).status == Cart.Status.DELETED
    assert rep_carts["b"].customer.name not in client.get("/carts/deleted/").content.decode()


def test_a_job_started_by_a_rep_touches_only_their_carts(reps, rep_carts):
    anna = rep_user("anna", reps["a"], "carts.delete_cart")
    run = job("delete", [cart.pk for cart in rep_carts.values()], anna)
    jobs.run(run.pk)
    statuses = dict(Cart.objects.values_list("pk", "status"))
    assert statuses[rep_carts["a"].pk] == Cart.Status.DELETED
    assert statuses[rep_carts["b"].pk] == Cart.Status.OPEN


def test_the_jobs_page_shows_a_rep_their_own_runs_and_hides_the_rest(reps, rep_carts, staff):
    anna = rep_user("anna", reps["a"], "carts.delete_cart")
    theirs = job("delete", [rep_carts["b"].pk], staff)
    own = job("delete", [rep_carts["a"].pk], anna)
    client = signed_in(anna)
    page = client.get("/carts/jobs/").content.decode()
    assert f"{own.name}:" in page and f"{theirs.name}:" not in page
    assert client.post(f"/carts/runs/{theirs.pk}/undo/").status_code == 404
    assert client.post(f"/carts/runs/{theirs.pk}/resume/").status_code == 404
    assert CartRun.objects.get(pk=theirs.pk).status == theirs.status


def test_an_unlinked_rep_sees_no_carts_and_is_told_who_can_link_them(rep_carts):
    boss = make_staff("boss")
    boss.groups.add(Group.objects.get(name="Store admin"))
    client = signed_in(rep_user("newbie", None))
    for url in ("/carts/", "/carts/deleted/"):
        page = client.get(url).content.decode()
        assert "not linked to a sales rep" in page and "boss" in page, url
        assert rep_carts["a"].customer.name not in page
    linked = signed_in(User.objects.get(username="boss")).get("/carts/").content.decode()
    assert "not linked to a sales rep" not in linked


def test_moving_a_customer_to_another_rep_moves_the_cart_between_their_views(reps, rep_carts):
    anna, bert = rep_user("anna", reps["a"]), rep_user("bert", reps["b"])
    customer = rep_carts["a"].customer
    customer.sales_rep = reps["b"]
    with acting_as(make_staff("boss")):
        customer.save()
    assert signed_in(anna).get(f"/carts/{rep_carts['a'].pk}/").status_code == 404
    assert signed_in(bert).get(f"/carts/{rep_carts['a'].pk}/").status_code == 200


def test_the_django_admin_shows_a_rep_their_own_carts_only(reps, rep_carts):
    client = signed_in(rep_user("anna", reps["a"]))
    page = client.get("/admin/carts/cart/").content.decode()
    assert rep_carts["a"].customer.name in page and rep_carts["b"].customer.name not in page
    other = client.get(f"/admin/carts/cart/{rep_carts['b'].pk}/change/")
    assert other.status_code == 302 and rep_carts["b"].customer.name not in other.content.decode()


def test_a_reps_list_costs_no_query_more_than_a_managers(reps, rep_carts, staff):
    counts = {}
    for who, user in [("manager", staff), ("rep", rep_user("anna", reps["a"]))]:
        client = signed_in(user)
        client.get("/carts/")  # the session and permissions, as on any later page
        with CaptureQueriesContext(connection) as page:
            assert client.get("/carts/").status_code == 200
        counts[who] = len(page.captured_queries)
    assert counts["rep"] == counts["manager"]


def test_a_rep_log_in_must_be_a_staff_account(reps):
    reps["a"].user = User.objects.create_user("shopper")
    with pytest.raises(ValidationError, match="staff account"):
        reps["a"].full_clean()


def test_a_reps_summary_comes_from_the_tallies(reps, rep_carts):
    client = signed_in(rep_user("anna", reps["a"]))
    for query in ({}, {"follow_up_due": ""}, {"days_open_min": "0"}):
        with CaptureQueriesContext(connection) as page:
            response = client.get("/carts/", query)
        assert response.context["matching"] == 1, query
        sums = [q["sql"] for q in page.captured_queries if "SUM(" in q["sql"].upper()]
        assert sums and all("carts_opencarttally" in sql for sql in sums), query
