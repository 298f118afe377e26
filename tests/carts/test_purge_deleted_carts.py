"""The purge_deleted_carts command: destroys carts deleted longer ago than the retention
period, with a dry run that only says how many."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from carts.models import Cart
from carts.services.staff import delete_carts
from tests.factories import cart_of

pytestmark = pytest.mark.django_db


def test_the_purge_command_has_a_dry_run(catalog, staff):
    stale = cart_of(catalog, ("bolt", 2))
    delete_carts(carts=Cart.objects.filter(pk=stale.pk), user=staff)
    Cart.objects.filter(pk=stale.pk).update(deleted_at=timezone.now() - datetime.timedelta(days=45))
    out = StringIO()
    call_command("purge_deleted_carts", "--dry-run", stdout=out)
    assert "Would purge 1 cart deleted" in out.getvalue() and "$2.50" in out.getvalue()
    assert Cart.objects.filter(pk=stale.pk).exists()
    call_command("purge_deleted_carts", "--no-progress", stdout=out)
    assert "Purged 1 cart ($2.50)" in out.getvalue()
    assert not Cart.objects.filter(pk=stale.pk).exists()


def test_it_says_when_there_is_nothing_to_purge(catalog, staff):
    recent = cart_of(catalog, ("bolt", 2))
    delete_carts(carts=Cart.objects.filter(pk=recent.pk), user=staff)
    out = StringIO()
    call_command("purge_deleted_carts", "--no-progress", stdout=out)
    assert "Nothing to purge: 0 carts deleted before" in out.getvalue()
    assert Cart.objects.get(pk=recent.pk).status == "deleted"


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--days", "-1", "must be from 1 to 36,500, not -1"),
        ("--days", "0", "must be from 1 to 36,500, not 0"),
        ("--days", "99999999", "not 99,999,999"),
        ("--days", "ten", "'ten' is not a whole number"),
        ("--batch-size", "0", "must be from 1 to 100,000, not 0"),
        ("--batch-size", "-5", "not -5"),
    ],
)
def test_it_refuses_arguments_out_of_range_and_purges_nothing(catalog, staff, option, value, says):
    recent = cart_of(catalog, ("bolt", 2))
    delete_carts(carts=Cart.objects.filter(pk=recent.pk), user=staff)
    with pytest.raises(CommandError, match=f"argument {option}: .*{says}"):
        call_command("purge_deleted_carts", option, value, "--no-progress")
    assert Cart.objects.get(pk=recent.pk).status == "deleted"
