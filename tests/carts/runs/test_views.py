"""The Jobs page (`carts.runs.views`): progress and results of background jobs, Resume and
Roll back / Undo, each behind the permission its action needs."""

import pytest
from django.test import Client

from carts.models import Cart, CartJob
from carts.runs import jobs
from tests.factories import cart_of

pytestmark = pytest.mark.django_db
Kind, Status = CartJob.Kind, CartJob.Status


@pytest.fixture
def deletion(catalog, staff, settings) -> CartJob:
    """A deletion job on five carts that ran its first chunk of three, then stopped."""
    settings.CART_JOB_CHUNK = 3
    ids = [cart_of(catalog, ("bolt", n)).pk for n in range(1, 6)]
    job = jobs.queue_action(Kind.DELETE, ids, staff)
    jobs._run_chunk(job.pk, None)
    return job


def test_the_page_shows_each_jobs_progress_and_result(manager_client, deletion):
    html = manager_client.get("/carts/jobs/").content.decode()
    assert f"Job {deletion.pk}: Delete orders" in html
    assert '<progress value="3" max="5"' in html and "3 of 5 carts done" in html
    assert "Running" in html and 'data-active="true"' in html
    part = manager_client.get("/carts/jobs/?part=list").content.decode()
    assert part.lstrip().startswith('<div class="job-list"') and "<html" not in part


def test_a_finished_deletion_job_can_be_undone_as_a_job(
    manager_client, deletion, django_capture_on_commit_callbacks
):
    jobs.run(deletion.pk)
    assert "Undo: restore its carts" in manager_client.get("/carts/jobs/").content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = manager_client.post(f"/carts/jobs/{deletion.pk}/roll-back/")
    assert response.status_code == 302
    undo = CartJob.objects.get(undoes=deletion)
    assert (undo.kind, undo.total) == (Kind.RESTORE, 5)
    jobs.run(undo.pk)
    assert set(Cart.objects.filter(pk__in=undo.cart_ids).values_list("status", flat=True)) == {
        "open"
    }
    again = manager_client.post(f"/carts/jobs/{deletion.pk}/roll-back/")
    assert again.status_code == 409 and "is rolled back" in again.content.decode()


def test_a_job_still_running_cannot_be_resumed_twice(manager_client, deletion):
    response = manager_client.post(f"/carts/jobs/{deletion.pk}/resume/")
    assert response.status_code == 409 and "is running" in response.content.decode()
    assert CartJob.objects.get(pk=deletion.pk).position == 3


def test_viewers_see_jobs_but_cannot_run_them(staff_client, deletion):
    html = staff_client.get("/carts/jobs/").content.decode()
    assert "3 of 5 carts done" in html and "Resume" not in html and "roll-back" not in html
    assert staff_client.post(f"/carts/jobs/{deletion.pk}/roll-back/").status_code == 403
    assert not CartJob.objects.filter(undoes=deletion).exists()


def test_odd_requests_get_a_clear_4xx(manager_client, deletion):
    assert manager_client.post("/carts/jobs/999999/resume/").status_code == 404
    assert manager_client.get(f"/carts/jobs/{deletion.pk}/resume/").status_code == 405
    assert Client().get("/carts/jobs/").status_code == 302  # to the log-in


def test_the_page_reads_jobs_in_a_fixed_number_of_queries(
    manager_client, deletion, staff, django_assert_max_num_queries
):
    for _ in range(5):
        jobs.queue_action(Kind.DELETE, [1, 2, 3], staff)
    with django_assert_max_num_queries(6):
        manager_client.get("/carts/jobs/")
