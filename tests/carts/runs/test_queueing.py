"""Past CART_ACTION_INLINE_LIMIT carts, a run of the screen's actions is a job instead of changing
carts in the request (`carts.runs.starting`): the selection frozen, the user sent to Jobs."""

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from carts.models import Cart, CartEvent, CartRun
from carts.runs import jobs
from carts.runs.policies import StaleCarts
from carts.runs.starting import start, start_purge
from carts.services import NothingToChange
from carts.services.staff import delete_carts
from tests.carts.runs.making import confirm_all
from tests.factories import cart_of

pytestmark = pytest.mark.django_db
ACTION = "/carts/actions/"


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.CART_ACTION_INLINE_LIMIT = 2


def test_a_big_delete_is_queued_as_a_job_and_changes_nothing_in_the_request(
    manager_client, carts, staff
):
    response = confirm_all(manager_client, action="delete", query="")
    assert response.status_code == 302 and response["Location"] == "/carts/jobs/"
    job = CartRun.objects.get()
    assert (job.action, job.total, job.created_by, job.is_job) == ("delete", 3, staff, True)
    assert Cart.objects.open().count() == 3 and not CartEvent.objects.exists()
    page = manager_client.get("/carts/jobs/").content.decode()
    assert f"Job {job.pk} will delete 3 carts in the background" in page

    jobs.run(job.pk)
    assert Cart.objects.open().count() == 0
    assert CartEvent.objects.filter(action="deleted", run=job).count() == 3


def test_a_small_action_still_runs_in_the_request(manager_client, carts):
    response = confirm_all(manager_client, action="delete", query="total_min=3")
    assert response["Location"] == "/carts/?total_min=3"
    assert CartRun.objects.get().mode == CartRun.Mode.INLINE
    assert Cart.objects.open().count() == 2


def test_a_big_reprice_that_any_cart_would_refuse_is_refused_before_queueing(
    manager_client, carts, catalog
):
    cart_of(catalog, ("rare", 1))  # no price at Dealer
    level = catalog["dealer"].pk
    response = confirm_all(manager_client, action="change_price_level", query="", price_level=level)
    assert response.status_code == 409 and "no price at" in response.content.decode()
    assert not CartRun.objects.exists()
    assert set(Cart.objects.values_list("price_level", flat=True)) == {catalog["wholesale"].pk}


def test_a_big_reprice_is_queued_with_its_level(manager_client, carts, catalog):
    level = catalog["dealer"]
    response = confirm_all(
        manager_client, action="change_price_level", query="", price_level=level.pk
    )
    assert response["Location"] == "/carts/jobs/"
    job = CartRun.objects.get()
    assert (job.action, job.price_level, job.total) == ("change_price_level", level, 3)
    jobs.run(job.pk)
    assert set(Cart.objects.values_list("price_level", flat=True)) == {level.pk}


def test_a_big_undo_is_queued_as_a_restore_job(manager_client, carts, staff):
    done = delete_carts(carts=Cart.objects.all(), user=staff)
    response = manager_client.post("/carts/restore/", {"batch": str(done.batch)})
    assert response["Location"] == "/carts/jobs/"
    job = CartRun.objects.get()
    assert (job.action, job.total, job.is_job) == ("restore", 3, True)
    jobs.run(job.pk)
    assert Cart.objects.open().count() == 3


def test_the_confirmation_says_a_big_action_runs_in_the_background(manager_client, carts):
    preview = manager_client.post(ACTION, {"action": "delete", "select_across": "1"})
    html = preview.content.decode()
    assert "This runs in the background, as a job." in html and "More carts than 2" in html
    assert "Resume" in html and "Undo: restore its carts" in html
    small = manager_client.post(ACTION, {"action": "delete", "cart": carts[0].pk})
    assert "runs in the background" not in small.content.decode()


@pytest.mark.parametrize("action", ["delete", "change_price_level", "restore", "purge"])
def test_a_job_of_no_carts_is_refused_and_never_queued(catalog, staff, action):
    options = {"level": catalog["dealer"], "before": timezone.now(), "mode": CartRun.Mode.JOB}
    with pytest.raises(NothingToChange):
        start(action, Cart.objects.none(), staff, **options)
    assert not CartRun.objects.exists() and not DBTaskResult.objects.exists()
    assert start_purge(timezone.now()) is None
    assert StaleCarts(last_touch_days=1).delete_run(staff, reason="test") is None
    assert not CartRun.objects.exists()
