"""Big cart actions as jobs (`carts.runs.jobs`): chunk by chunk, each chunk one transaction through
the same service as an inline action; resumable after a lost worker, undoable as a job."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from carts.models import Cart, CartEvent, CartJob
from carts.runs import jobs
from carts.services.customer import add_to_cart
from carts.services.staff import delete_carts
from tests.factories import cart_of

pytestmark = pytest.mark.django_db
Kind, Status = CartJob.Kind, CartJob.Status


@pytest.fixture(autouse=True)
def small_chunks(settings):
    settings.CART_JOB_CHUNK = 3


def carts(catalog, n: int) -> list[Cart]:
    return [cart_of(catalog, ("bolt", i + 1)) for i in range(n)]


def ids(cart_list) -> list[int]:
    return [cart.pk for cart in cart_list]


def statuses(cart_list) -> set[str]:
    return set(Cart.objects.filter(pk__in=ids(cart_list)).values_list("status", flat=True))


def test_a_delete_job_goes_chunk_by_chunk_and_audits_each_cart(catalog, staff):
    open_carts = carts(catalog, 7)
    submitted = cart_of(catalog, ("nut", 1), status=Cart.Status.SUBMITTED)
    job = jobs.queue_action(Kind.DELETE, [*ids(open_carts), submitted.pk], staff)
    steps: list[int] = []

    assert jobs.run(job.pk, progress=steps.append) == Status.DONE

    job.refresh_from_db()
    assert steps == [3, 3, 2] and job.position == job.total == 8
    assert (job.changed, job.left_alone) == (7, 1)
    assert job.values == {"USD": [7, str(sum((c.total for c in open_carts), Decimal()))]}
    assert set(Cart.objects.filter(deletion_batch=job.batch).values_list("pk", flat=True)) == set(
        ids(open_carts)
    )
    events = CartEvent.objects.filter(action="deleted")
    assert sorted(events.values_list("cart_number", flat=True)) == sorted(ids(open_carts))
    assert set(events.values_list("detail", flat=True)) == {f"Job {job.pk}"}
    assert Cart.objects.get(pk=submitted.pk).status == Cart.Status.SUBMITTED


def test_a_job_that_lost_its_worker_resumes_after_its_last_finished_chunk(catalog, staff):
    cart_list = carts(catalog, 5)
    job = jobs.queue_action(Kind.DELETE, ids(cart_list), staff)
    assert jobs._run_chunk(job.pk, None) is None  # one chunk, then the worker dies
    with pytest.raises(Exception, match="is running"):
        jobs.resume(job)  # not yet stalled: its worker may still be alive
    CartJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - jobs.STALLED_AFTER * 2)
    job.refresh_from_db()
    assert jobs.stalled() == [job]

    jobs.resume(job)
    assert jobs.run(job.pk) == Status.DONE

    job.refresh_from_db()
    assert (job.changed, job.left_alone, job.position) == (5, 0, 5)
    assert CartEvent.objects.filter(action="deleted").count() == 5  # no cart done twice
    assert statuses(cart_list) == {"deleted"}


def test_a_reprice_job_stopped_by_a_new_unpriced_line_can_be_rolled_back(catalog, staff):
    cart_list = carts(catalog, 6)
    job = jobs.queue_action(Kind.PRICE_LEVEL, ids(cart_list), staff, level=catalog["dealer"])
    jobs._run_chunk(job.pk, None)
    add_to_cart(customer=cart_list[4].customer, product=catalog["rare"], quantity=1)

    assert jobs.run(job.pk) == Status.FAILED
    job.refresh_from_db()
    assert job.message.startswith("Stopped at cart 4 of 6 (3 changed so far;")
    assert "no price at Stocking Dealer" in job.message and job.changed == 3
    levels = dict(Cart.objects.filter(pk__in=ids(cart_list)).values_list("pk", "price_level"))
    assert [levels[pk] for pk in ids(cart_list)] == [2, 2, 2, 1, 1, 1]

    undo = jobs.roll_back(job, staff)
    assert undo.kind == Kind.REVERT_PRICE_LEVEL and undo.total == 3
    assert jobs.run(undo.pk) == Status.DONE
    job.refresh_from_db()
    assert job.status == Status.ROLLED_BACK
    assert set(
        Cart.objects.filter(pk__in=ids(cart_list)).values_list("price_level", flat=True)
    ) == {1}
    assert all(c.total == Cart.objects.get(pk=c.pk).total for c in cart_list[:3])
    with pytest.raises(Exception, match="cannot be undone"):
        jobs.roll_back(undo, staff)


def test_undo_of_a_deletion_job_restores_exactly_its_carts(catalog, staff):
    mine, other = carts(catalog, 5), cart_of(catalog, ("nut", 2))
    job = jobs.queue_action(Kind.DELETE, ids(mine), staff)
    jobs.run(job.pk)
    delete_carts(carts=Cart.objects.filter(pk=other.pk), user=staff)

    undo = jobs.roll_back(job, staff)
    assert (undo.kind, undo.total) == (Kind.RESTORE, 5)
    assert jobs.run(undo.pk) == Status.DONE

    assert statuses(mine) == {"open"} and statuses([other]) == {"deleted"}
    restored = CartEvent.objects.filter(action="restored", detail=f"Job {undo.pk}")
    assert restored.count() == 5
    with pytest.raises(Exception, match="is rolled back"):
        jobs.roll_back(job, staff)


def test_two_jobs_over_the_same_carts_take_turns_by_chunk_and_lose_nothing(catalog, staff):
    cart_list = carts(catalog, 7)
    reprice = jobs.queue_action(Kind.PRICE_LEVEL, ids(cart_list), staff, level=catalog["dealer"])
    delete = jobs.queue_action(Kind.DELETE, list(reversed(ids(cart_list))), staff)
    running = [reprice.pk, delete.pk]
    while running:
        running = [pk for pk in running if jobs._run_chunk(pk, None) is None]

    reprice.refresh_from_db()
    delete.refresh_from_db()
    assert reprice.changed + reprice.left_alone == delete.changed == 7
    for cart in Cart.objects.filter(pk__in=ids(cart_list)):
        events = list(CartEvent.objects.filter(cart=cart).order_by("id"))
        assert events[-1].action == "deleted" and cart.status == "deleted"
        assert (events[-1].level_after, events[-1].total_after) == (cart.price_level_id, cart.total)
        assert cart.total == sum(line.quantity * line.unit_price for line in cart.lines.all())


def test_a_purge_job_destroys_expired_deleted_carts_and_counts_them(catalog, staff):
    old, recent = carts(catalog, 4), carts(catalog, 1)
    delete_carts(carts=Cart.objects.filter(pk__in=ids(old + recent)), user=staff)
    Cart.objects.filter(pk__in=ids(old)).update(deleted_at=timezone.now() - datetime.timedelta(40))

    job = jobs.queue_purge(timezone.now() - datetime.timedelta(30))
    assert job.total == 4
    assert jobs.run(job.pk) == Status.DONE

    job.refresh_from_db()
    assert (job.changed, job.values["USD"][0]) == (4, 4)
    assert not Cart.objects.filter(pk__in=ids(old)).exists() and statuses(recent) == {"deleted"}


def test_queued_jobs_wait_for_the_commit_and_the_immediate_backend_runs_them(
    catalog, staff, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cart_list = carts(catalog, 4)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = jobs.queue_action(Kind.DELETE, ids(cart_list), staff)
        assert statuses(cart_list) == {"open"}  # nothing before the commit
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == Status.DONE and statuses(cart_list) == {"deleted"}


def test_a_restarted_worker_takes_up_unfinished_jobs_where_they_stopped(catalog, staff, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cart_list = carts(catalog, 5)
    job = jobs.queue_action(Kind.DELETE, ids(cart_list), staff)  # its task never ran
    jobs._run_chunk(job.pk, None)  # then one chunk, and the worker stopped
    done = jobs.queue_action(Kind.DELETE, [], staff)
    jobs.run(done.pk)

    call_command("resume_cart_jobs", stdout=StringIO())

    job.refresh_from_db()
    assert (job.status, job.position, job.changed) == (Status.DONE, 5, 5)
    assert CartEvent.objects.filter(action="deleted").count() == 5
