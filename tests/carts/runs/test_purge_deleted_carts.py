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


class Terminal(StringIO):
    """Output that says it is a terminal, as a person's shell is."""

    def isatty(self) -> bool:
        return True


def purge_three_stale_carts(catalog, staff, stderr: StringIO, *options: str) -> str:
    stale = [cart_of(catalog, ("bolt", 1)) for _ in range(3)]
    delete_carts(carts=Cart.objects.filter(pk__in=[cart.pk for cart in stale]), user=staff)
    long_ago = timezone.now() - datetime.timedelta(days=45)
    Cart.objects.filter(pk__in=[cart.pk for cart in stale]).update(deleted_at=long_ago)
    call_command(
        "purge_deleted_carts", "--batch-size", "1", *options, stdout=StringIO(), stderr=stderr
    )
    assert not Cart.objects.filter(pk__in=[cart.pk for cart in stale]).exists()
    return stderr.getvalue()


def test_off_a_terminal_its_progress_is_whole_lines(catalog, staff):
    assert purge_three_stale_carts(catalog, staff, StringIO()) == (
        "Purging carts: 1 of 3 (33%)\nPurging carts: 2 of 3 (66%)\nPurging carts: 3 of 3 (100%)\n"
    )


def test_on_a_terminal_its_progress_bar_redraws_one_line_and_ends_it(catalog, staff):
    printed = purge_three_stale_carts(catalog, staff, Terminal())
    frames = printed.split("\r")
    assert printed.endswith("\n") and printed.count("\n") == 1
    assert len(frames) > 2 and frames[-1].startswith("Purging carts: 100%")
    assert "3/3" in frames[-1]


def test_it_shows_no_progress_when_asked_not_to(catalog, staff):
    assert purge_three_stale_carts(catalog, staff, StringIO(), "--no-progress") == ""


def deleted_days_ago(catalog, staff, days: int) -> Cart:
    cart = cart_of(catalog, ("bolt", 2))
    delete_carts(carts=Cart.objects.filter(pk=cart.pk), user=staff)
    Cart.objects.filter(pk=cart.pk).update(deleted_at=timezone.now() - datetime.timedelta(days))
    return cart


def test_it_will_not_purge_inside_the_promised_retention_unless_told(catalog, staff):
    inside = deleted_days_ago(catalog, staff, 10)  # the screens promise 30 days
    with pytest.raises(CommandError, match="add --before-retention") as refused:
        call_command("purge_deleted_carts", "--days", "5", "--no-progress")
    assert "within the last 30 days" in str(refused.value)
    assert Cart.objects.get(pk=inside.pk).status == "deleted"
    out = StringIO()
    call_command("purge_deleted_carts", "--days", "5", "--dry-run", stdout=out)
    assert "Would purge 1 cart deleted" in out.getvalue()
    assert Cart.objects.filter(pk=inside.pk).exists()


def test_before_retention_it_asks_first(catalog, staff, monkeypatch):
    inside = deleted_days_ago(catalog, staff, 10)
    monkeypatch.setattr("sys.stdin", StringIO("purge\n"))  # not a terminal: no one to ask
    with pytest.raises(CommandError, match="needs a confirmation"):
        call_command("purge_deleted_carts", "--days", "5", "--before-retention", "--no-progress")
    monkeypatch.setattr("sys.stdin", Terminal("no\n"))
    with pytest.raises(CommandError, match="Not confirmed; nothing was purged"):
        call_command("purge_deleted_carts", "--days", "5", "--before-retention", stdout=StringIO())
    assert Cart.objects.filter(pk=inside.pk).exists()
    monkeypatch.setattr("sys.stdin", Terminal("purge\n"))
    out = StringIO()
    call_command(
        "purge_deleted_carts", "--days", "5", "--before-retention", "--no-progress", stdout=out
    )
    assert "can still be restored. Their history stays" in out.getvalue()
    assert not Cart.objects.filter(pk=inside.pk).exists()


def test_before_retention_no_input_confirms(catalog, staff):
    inside = deleted_days_ago(catalog, staff, 10)
    call_command(
        "purge_deleted_carts",
        "--days",
        "5",
        "--before-retention",
        "--no-input",
        "--no-progress",
        stdout=StringIO(),
    )
    assert not Cart.objects.filter(pk=inside.pk).exists()
