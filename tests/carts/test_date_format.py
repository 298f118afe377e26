"""One date format on every staff screen, the lists' "Dec 6, 2026 10:05 PM" (DATETIME_FORMAT in
juniperadmin/formats/en/formats.py): the Jobs page, the deletion batches and the Recently deleted
list write the same instant the same way, and no staff code spells a format of its own."""

import datetime
import re
from pathlib import Path

import pytest

from carts.days import start_of_store_day, store_today
from carts.models import Cart, CartRun
from carts.runs import jobs
from carts.services.staff import delete_carts
from tests.carts.runs.making import job

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# A date format spelt out for an instant ("M j g:i A", "%b %d %H:%M"): an hour in it.
SPELT_OUT = re.compile(r"""(date(_format)?[:(][^"']*["'][^"']*[gGhH]:i|%[HI]:%M)""")


@pytest.fixture
def yesterday_evening(settings) -> tuple[datetime.datetime, str]:
    """10:05 PM yesterday in the store's time zone, and how the lists write it."""
    settings.TIME_ZONE = "America/New_York"
    day = store_today() - datetime.timedelta(days=1)
    moment = start_of_store_day(day) + datetime.timedelta(hours=22, minutes=5)
    return moment, f"{day:%b} {day.day}, {day.year} 10:05 PM"


def test_jobs_and_deletion_batches_write_the_lists_date_format(
    manager_client, staff, carts, yesterday_evening
):
    moment, written = yesterday_evening
    deletion = job("delete", [carts[0].pk], staff)
    jobs.run(deletion.pk)
    CartRun.objects.filter(pk=deletion.pk).update(created_at=moment)
    delete_carts(carts=Cart.objects.filter(pk=carts[1].pk), user=staff)
    Cart.objects.filter(pk__in=[carts[0].pk, carts[1].pk]).update(deleted_at=moment)

    jobs_page = manager_client.get("/carts/jobs/").content.decode()
    assert "Started by manager, <time datetime=" in jobs_page
    assert f">{written}</time>" in jobs_page

    deleted = manager_client.get("/carts/deleted/")
    labels = [batch.label for batch in deleted.context["batches"]]
    assert labels == [f"Deleted 1 cart, {written} by manager"] * 2
    listed = deleted.content.decode()
    assert listed.count(f'<td class="wide-only">{written}</td>') == 2


def test_no_staff_code_spells_a_date_format_of_its_own():
    sources = [*(ROOT / "carts").rglob("*.py"), *(ROOT / "templates" / "carts").rglob("*.html")]
    own = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sources
        for match in SPELT_OUT.finditer(path.read_text())
    ]
    assert not own, own
