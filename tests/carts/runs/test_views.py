"""The Jobs page (`carts.runs.views`): one card per job with its progress and result, Resume and
Undo / Roll back, each behind the permission its declared action needs."""

import pytest
from django.test import Client

from carts.models import Cart, CartRun
from carts.runs import jobs
from tests.carts.runs.making import job
from tests.factories import cart_of

pytestmark = pytest.mark.django_db
Status = CartRun.Status


@pytest.fixture
def deletion(catalog, staff, settings) -> CartRun:
    """A deletion job on five carts that ran its first chunk of three, then stopped."""
    settings.CART_JOB_CHUNK = 3
    settings.CART_ACTION_INLINE_LIMIT = 4  # its undo, of five carts, is a job too
    ids = [cart_of(catalog, ("bolt", n)).pk for n in range(1, 6)]
    started = job("delete", ids, staff)
    jobs.run_chunk(started.pk)
    return started


def test_the_page_shows_each_jobs_progress_and_result(manager_client, deletion):
    html = manager_client.get("/carts/jobs/").content.decode()
    assert f"Job {deletion.pk}: Delete Order" in html
    assert '<progress value="3" max="5"' in html and "3 of 5 carts done" in html
    assert "3 carts deleted ($7.50)." in html  # money as on every other screen
    assert "Running" in html and 'data-active="true"' in html
    part = manager_client.get("/carts/jobs/?part=list").content.decode()
    assert part.lstrip().startswith('<div class="job-list"') and "<html" not in part


def test_a_finished_deletion_job_can_be_undone_as_a_job(
    manager_client, deletion, django_capture_on_commit_callbacks
):
    jobs.run(deletion.pk)
    assert "Undo: restore its carts" in manager_client.get("/carts/jobs/").content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = manager_client.post(f"/carts/runs/{deletion.pk}/undo/")
    assert (response.status_code, response["Location"]) == (302, "/carts/jobs/")
    undo = CartRun.objects.get(undoes=deletion)
    assert (undo.action, undo.total, undo.is_job) == ("restore", 5, True)
    html = manager_client.get("/carts/jobs/").content.decode()
    assert f"Job {undo.pk} is undoing job {deletion.pk}: 5 carts to put back" in html
    assert "Rolling back" in html and "Undo: restore its carts" not in html
    jobs.run(undo.pk)
    assert set(Cart.objects.filter(pk__in=undo.cart_ids).values_list("status", flat=True)) == {
        "open"
    }
    html = manager_client.get("/carts/jobs/").content.decode()
    assert "Rolled back" in html and "Undo: restore its carts" not in html
    assert 'data-active="false"' in html  # nothing left running: the page stops refreshing
    again = manager_client.post(f"/carts/runs/{deletion.pk}/undo/")
    assert again.status_code == 409 and "is rolled back" in again.content.decode()


def test_a_job_still_running_cannot_be_resumed_twice_nor_rolled_back(manager_client, deletion):
    response = manager_client.post(f"/carts/runs/{deletion.pk}/resume/")
    assert response.status_code == 409 and "is running" in response.content.decode()
    assert CartRun.objects.get(pk=deletion.pk).position == 3
    undo = manager_client.post(f"/carts/runs/{deletion.pk}/undo/")
    assert undo.status_code == 409 and "once it has finished or stopped" in undo.content.decode()
    assert not CartRun.objects.filter(undoes=deletion).exists()


def test_viewers_see_jobs_but_cannot_run_them(staff_client, deletion):
    html = staff_client.get("/carts/jobs/").content.decode()
    assert "3 of 5 carts done" in html and "Resume" not in html and "/undo/" not in html
    assert staff_client.post(f"/carts/runs/{deletion.pk}/undo/").status_code == 403
    assert not CartRun.objects.filter(undoes=deletion).exists()


def test_odd_requests_get_a_clear_4xx(manager_client, deletion):
    assert manager_client.post("/carts/runs/999999/resume/").status_code == 404
    assert manager_client.post("/carts/runs/999999/undo/").status_code == 404
    assert manager_client.get(f"/carts/runs/{deletion.pk}/resume/").status_code == 405
    assert Client().get("/carts/jobs/").status_code == 302  # to the log-in


def test_inline_runs_are_not_listed(manager_client, carts):
    manager_client.post(
        "/carts/actions/", {"action": "delete", "cart": carts[0].pk, "confirm": "1"}
    )
    assert CartRun.objects.get().mode == CartRun.Mode.INLINE
    assert "No jobs yet" in manager_client.get("/carts/jobs/").content.decode()


def test_the_page_reads_jobs_in_a_fixed_number_of_queries(
    manager_client, deletion, staff, django_assert_max_num_queries
):
    for _ in range(5):
        job("delete", deletion.cart_ids, staff)
    with django_assert_max_num_queries(6):
        manager_client.get("/carts/jobs/")
