"""Resume and Roll back clicked, on the Jobs page and at once on its URLs, by real threads on
connections of their own: a run has one undo at most, whatever that undo's status (the database
says so); a run rolled back or rolling back (its undo done, going or stopped) is never resumed,
its stopped undo is; and a run being resumed is never rolled back."""

import threading

import pytest
from django.db import connection
from django.test import Client

from carts.models import Cart, CartRun
from carts.runs import jobs
from tests.carts.runs.making import job
from tests.factories import cart_of

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_behaviour]
Status = CartRun.Status


@pytest.fixture(autouse=True)
def small_jobs(settings):
    settings.CART_JOB_CHUNK, settings.CART_ACTION_INLINE_LIMIT = 2, 2


def deletion(catalog, staff, carts: int = 3, *, status: str = Status.DONE) -> CartRun:
    """A deletion job that deleted its carts and ended with `status`."""
    run = job("delete", [cart_of(catalog, ("bolt", n)).pk for n in range(1, carts + 1)], staff)
    jobs.run(run.pk)
    CartRun.objects.filter(pk=run.pk).update(status=status)
    return CartRun.objects.get(pk=run.pk)


def stopped_undo(run: CartRun, staff) -> CartRun:
    """An undo of `run` (a job) that did its first chunk, then stopped on an error."""
    client = Client()
    client.force_login(staff)
    client.post(f"/carts/runs/{run.pk}/undo/")
    undo = CartRun.objects.get(undoes=run)
    assert undo.is_job and jobs.run_chunk(undo.pk) is None
    CartRun.objects.filter(pk=undo.pk).update(status=Status.FAILED, message="Stopped at cart 3")
    return undo


def click_at_once(staff, urls: list[str]) -> list[int]:
    """POST each of `urls` at the same moment, each from its own thread and connection: the
    status of each answer."""
    statuses: list[int] = [0] * len(urls)
    ready = threading.Barrier(len(urls))

    def click(index: int) -> None:
        try:
            client = Client()
            client.force_login(staff)
            ready.wait(5)
            statuses[index] = client.post(urls[index]).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(n,)) for n in range(len(urls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads), "a click hung"
    return statuses


def resume(run: CartRun) -> str:
    return f"/carts/runs/{run.pk}/resume/"


def undo(run: CartRun) -> str:
    return f"/carts/runs/{run.pk}/undo/"


def test_a_run_whose_roll_back_stopped_is_never_resumed_and_its_undo_is(
    manager_client, catalog, staff
):
    run = deletion(catalog, staff, 5)
    stopped = stopped_undo(run, staff)
    html = manager_client.get("/carts/jobs/").content.decode()
    assert f'action="{resume(stopped)}"' in html
    assert f'action="{resume(run)}"' not in html and f'action="{undo(run)}"' not in html
    assert "Rolling back, stopped (Resume its undo)" in html

    resumed = manager_client.post(resume(run))
    assert resumed.status_code == 409 and "cannot be resumed" in resumed.content.decode()
    again = manager_client.post(undo(run))
    assert again.status_code == 409
    assert f"Job {stopped.pk}, which stopped: resume Job {stopped.pk}" in again.content.decode()
    assert CartRun.objects.filter(undoes=run).count() == 1
    assert CartRun.objects.get(pk=run.pk).status == Status.DONE

    assert manager_client.post(resume(stopped)).status_code == 302
    assert jobs.run(stopped.pk) == Status.DONE
    assert Cart.objects.open().count() == 5
    assert "Rolled back" in manager_client.get("/carts/jobs/").content.decode()


@pytest.mark.parametrize("trial", range(3))
def test_resume_and_roll_back_clicked_at_once_leave_one_way_forward(catalog, staff, trial):
    run = deletion(catalog, staff, status=Status.FAILED)
    answers = click_at_once(staff, [resume(run), undo(run), resume(run), undo(run)])
    assert sorted(answers) == [302, 409, 409, 409]
    resumed = CartRun.objects.get(pk=run.pk).status == Status.QUEUED
    assert CartRun.objects.filter(undoes=run).count() == (0 if resumed else 1)

    run = deletion(catalog, staff, status=Status.FAILED)
    stopped = stopped_undo(run, staff)
    answers = click_at_once(staff, [resume(run), undo(run), resume(stopped), resume(stopped)])
    assert sorted(answers) == [302, 409, 409, 409]
    assert CartRun.objects.get(pk=run.pk).status == Status.FAILED  # never resumed
    assert list(CartRun.objects.filter(undoes=run)) == [stopped]
    assert CartRun.objects.get(pk=stopped.pk).status == Status.QUEUED


def test_twenty_rounds_of_roll_back_clicks_make_one_undo_per_run(catalog, staff):
    for trial in range(20):
        run = deletion(catalog, staff)
        stopped = stopped_undo(run, staff) if trial % 2 else None

        answers = click_at_once(staff, [undo(run)] * 3)

        assert sorted(answers) == ([409, 409, 409] if stopped else [302, 409, 409]), trial
        assert CartRun.objects.filter(undoes=run).count() == 1, trial
