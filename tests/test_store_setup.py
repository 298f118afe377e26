"""The store set-up's index and its internal tables (`juniperadmin.store_setup`,
`juniperadmin.admin`): what a store admin uses, in set-up order; lock-outs only for those who
may unlock; sign-in logs and task results for superusers only; dates as the site writes them."""

import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django_tasks_db.models import DBTaskResult

from carts.runs.tasks import run_cart_job
from juniperadmin.store_setup import SECTIONS
from tests.factories import PriceLevelFactory, ProductFactory, make_staff, price

pytestmark = pytest.mark.django_db

UNLOCK = "axes.delete_accessattempt"
SEEN = datetime.datetime(2026, 12, 7, 3, 5, tzinfo=datetime.UTC)  # 10:05 PM, Dec 6, New York


def index_of(client: Client) -> list[tuple[str, list[str]]]:
    """The index's groups as a person reads them: each heading and the lists under it."""
    html = client.get("/admin/").content.decode()
    groups = re.findall(r"<caption>\s*(.*?)\s*</caption>(.*?)</table>", html, re.S)
    return [
        (
            re.sub(r"<[^>]+>", "", caption).strip(),
            re.findall(r'<th scope="row"[^>]*>\s*<a [^>]*>([^<]+)</a>', rows),
        )
        for caption, rows in groups
    ]


def test_a_superuser_sees_the_set_up_in_order_and_the_internal_tables_apart(admin_client):
    assert index_of(admin_client) == [
        (
            "Store set-up",
            [
                "Price levels",
                "Sales reps",
                "Customers",
                "Products",
                "Product prices",
                "Recovery e-mail templates",
                "Import records",
            ],
        ),
        (
            "Carts and their audit trail",
            ["Carts", "Cart events", "Cart exports", "Recovery e-mails"],
        ),
        ("Staff accounts and permissions", ["Users", "Groups"]),
        ("Security: sign-in lock-outs", ["Access attempts", "Access failures", "Access logs"]),
        ("System", ["Task Results"]),
    ]


def test_every_registered_model_has_its_place_in_a_section():
    placed = {label for section in SECTIONS for label in section.models}
    registered = {
        model._meta.label for model in apps.get_models() if admin.site.is_registered(model)
    }
    assert registered == placed


def test_a_store_admin_sees_only_what_they_may_use(client):
    client.force_login(
        make_staff(
            "setup", "pricing.view_pricelevel", "customers.change_customer", "carts.view_cart"
        )
    )
    assert index_of(client) == [
        ("Store set-up", ["Price levels", "Customers"]),
        ("Carts and their audit trail", ["Carts"]),
    ]
    # One app's own page still lists that app alone.
    assert client.get("/admin/pricing/").status_code == 200


def test_task_results_are_for_superusers_only(client, admin_client):
    result = run_cart_job.enqueue(1)
    row = f"/admin/django_tasks_database/dbtaskresult/{result.id}/change/"
    # Even the model's own view permission does not open them.
    client.force_login(
        make_staff("clerk", "django_tasks_database.view_dbtaskresult", "carts.view_cart")
    )
    assert client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 403
    assert client.get(row).status_code == 403
    assert "System" not in dict(index_of(client))
    listing = admin_client.get("/admin/django_tasks_database/dbtaskresult/")
    assert listing.status_code == 200 and "run_cart_job" in listing.content.decode()
    assert admin_client.get(row).status_code == 200
    assert DBTaskResult.objects.count() == 1


@pytest.fixture
def lock_out() -> AccessAttempt:
    return AccessAttempt.objects.create(
        username="clerk",
        ip_address="10.0.0.9",
        failures_since_start=5,
        user_agent="Firefox",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        http_accept="*/*",
    )


def test_those_allowed_to_unlock_see_lock_outs_and_unlock(client, lock_out):
    client.force_login(make_staff("unlocker", UNLOCK))
    assert index_of(client) == [("Security: sign-in lock-outs", ["Access attempts"])]
    listing = client.get("/admin/axes/accessattempt/")
    text = re.sub(r"<[^>]+>", "", listing.content.decode())
    # Its first failure was just now (an expired one would be cleared on the next request).
    assert listing.status_code == 200 and re.search(
        r"[A-Z][a-z]{2} \d+, \d{4} \d+:\d\d [AP]M", text
    )
    # The sign-in logs are not theirs.
    assert client.get("/admin/axes/accesslog/").status_code == 403
    assert client.get("/admin/axes/accessfailurelog/").status_code == 403
    selected = {"action": "delete_selected", "_selected_action": [lock_out.pk], "post": "yes"}
    assert client.post("/admin/axes/accessattempt/", selected).status_code == 302
    assert not AccessAttempt.objects.exists()


def test_seeing_lock_outs_is_not_enough_to_open_them(client, lock_out):
    client.force_login(make_staff("reader", "axes.view_accessattempt", "axes.view_accesslog"))
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    assert client.get("/admin/axes/accesslog/").status_code == 403
    assert client.get("/admin/")["Location"] == "/"


def test_the_logs_and_the_staff_accounts_write_dates_as_the_site_does(admin_client, admin_user):
    entry = AccessLog.objects.create(
        username="clerk",
        ip_address="10.0.0.9",
        attempt_time=SEEN,
        user_agent="Firefox",
        path_info="/accounts/login/",
        http_accept="*/*",
    )
    AccessLog.objects.filter(pk=entry.pk).update(attempt_time=SEEN)
    logs = re.sub(r"<[^>]+>", "", admin_client.get("/admin/axes/accesslog/").content.decode())
    assert "Dec 6, 2026 10:05 PM" in logs
    User.objects.filter(pk=admin_user.pk).update(last_login=SEEN, date_joined=SEEN)
    account = admin_client.get(f"/admin/auth/user/{admin_user.pk}/change/").content.decode()
    assert account.count("Dec 6, 2026 10:05 PM") == 2
    assert 'name="last_login' not in account and 'name="date_joined' not in account


def test_the_price_list_shows_each_price_in_its_levels_currency(admin_client):
    bolt = ProductFactory(item_id="BOLT", name="Hex bolt")
    price(bolt, PriceLevelFactory(number=1, name="Wholesale"), "1234.5")
    price(bolt, PriceLevelFactory(number=7, name="Export", currency="CAD"), "3")
    html = admin_client.get("/admin/pricing/productprice/").content.decode()
    assert "$1,234.50" in html and "CA$3.00" in html
    assert admin_client.get("/admin/pricing/productprice/?q=hex").status_code == 200
