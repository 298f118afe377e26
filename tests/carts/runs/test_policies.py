"""Stale-cart clean-up: `delete_stale_carts` (by hand) and `apply_cart_policies` (daily, from
cron), both deleting as a job through the Delete Order service."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from carts.models import Cart, CartEvent, CartRun
from carts.services.staff import delete_carts
from tests.factories import cart_of, make_staff

pytestmark = pytest.mark.django_db


def ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def aged(catalog) -> dict[str, Cart]:
    """Carts untouched for 200, 130 and 10 days."""
    return {
        "ancient": cart_of(catalog, ("bolt", 2), created_at=ago(300), last_touched_at=ago(200)),
        "stale": cart_of(catalog, ("nut", 3), created_at=ago(130), last_touched_at=ago(130)),
        "fresh": cart_of(catalog, ("bolt", 1), created_at=ago(20), last_touched_at=ago(10)),
    }


def run(*args: str) -> str:
    out = StringIO()
    call_command("delete_stale_carts", *args, "--no-progress", stdout=out)
    return out.getvalue()


def status(cart: Cart) -> str:
    return Cart.objects.get(pk=cart.pk).status


def test_a_dry_run_counts_and_values_the_stale_carts_and_changes_nothing(aged, staff):
    said = run("--last-touch-days", "120", "--as", "manager", "--dry-run")
    assert said == "Would delete 2 carts ($3.49): no touch for 120 days or more.\n"
    assert {status(cart) for cart in aged.values()} == {"open"}
    assert not CartRun.objects.exists()


def test_it_deletes_the_stale_carts_as_a_job_named_on_each_audit_entry(aged, staff):
    said = run("--last-touch-days", "120", "--days-open", "200", "--as", "manager")

    job = CartRun.objects.get()
    assert said == (
        f"Job {job.pk} deleted 1 cart ($2.50): no touch for 120 days or more, "
        "open 200 days or more.\n"
    )
    assert [status(aged[k]) for k in ("ancient", "stale", "fresh")] == ["deleted", "open", "open"]
    event = CartEvent.objects.get(action="deleted")
    assert (event.actor_name, event.run) == ("manager", job)
    assert event.detail == (
        "delete_stale_carts: no touch for 120 days or more, open 200 days or more"
    )
    assert Cart.objects.restorable().filter(pk=aged["ancient"].pk).exists()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--last-touch-days", "0", "--as", "manager"], "must be from 1 to 36,500"),
        (["--last-touch-days", "30", "--as", "nobody"], "'nobody' is not an active staff user"),
        (["--last-touch-days", "30", "--as", "clerk"], "'clerk' is not an active staff user"),
        (["--last-touch-days", "30", "--as", "manager", "--rep", "999"], "Not a valid choice"),
        (["--as", "manager"], "--last-touch-days"),
    ],
)
def test_it_refuses_bad_arguments_and_deletes_nothing(aged, staff, args, says):
    make_staff("clerk", "carts.view_cart")
    with pytest.raises(CommandError, match=says):
        run(*args)
    assert {status(cart) for cart in aged.values()} == {"open"}


def test_the_daily_policies_delete_stale_carts_and_purge_expired_ones(aged, staff, settings):
    expired = aged["fresh"]
    delete_carts(carts=Cart.objects.filter(pk=expired.pk), user=staff)
    Cart.objects.filter(pk=expired.pk).update(deleted_at=ago(45))
    out = StringIO()

    call_command("apply_cart_policies", stdout=out)
    assert "Stale-cart policy off" in out.getvalue() and "1 cart purged" in out.getvalue()
    assert not Cart.objects.filter(pk=expired.pk).exists()

    settings.STALE_CART_DAYS = 120
    call_command("apply_cart_policies", stdout=out)
    assert [status(aged[k]) for k in ("ancient", "stale")] == ["deleted", "deleted"]
    entries = CartEvent.objects.filter(action="deleted", actor_name="system")
    assert entries.count() == 2
    assert "Stale-cart policy (STALE_CART_DAYS=120): no touch for 120 days" in entries[0].detail


def test_the_daily_policies_with_nothing_to_do_start_no_job(aged, staff, settings):
    settings.STALE_CART_DAYS = 365
    recent = aged["fresh"]
    delete_carts(carts=Cart.objects.filter(pk=recent.pk), user=staff)  # inside the retention
    out = StringIO()
    for _day in range(3):
        call_command("apply_cart_policies", stdout=out)
    assert out.getvalue().count("Nothing deleted.\nNothing purged.\n") == 3
    assert not CartRun.objects.exclude(pk=CartEvent.objects.get(action="deleted").run_id).exists()
