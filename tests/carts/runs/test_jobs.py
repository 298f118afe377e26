"""Big cart actions as jobs (`carts.runs.jobs`): chunk by chunk, each chunk one transaction through
the same service as an inline action; resumable after a lost worker, undoable."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from carts.models import Cart, CartEvent, CartRun
from carts.runs import jobs, undoing
from carts.runs.starting import start_purge
from carts.services.customer import add_to_cart
from carts.services.staff import delete_carts, restore_carts
from tests.carts.runs.making import job
from tests.factories import cart_of

pytestmark = pytest.mark.django_db
Status = CartRun.Status


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
    deletion = job("delete", [*ids(open_carts), submitted.pk], staff)
    steps: list[int] = []

    assert jobs.run(deletion.pk, progress=steps.append) == Status.DONE

    deletion.refresh_from_db()
    assert steps == [3, 3, 2] and deletion.position == deletion.total == 8
    assert (deletion.changed, deletion.left_alone) == (7, 1)
    assert deletion.values == {"USD": [7, str(sum((c.total for c in open_carts), Decimal()))]}
    batch = Cart.objects.filter(deletion_batch=deletion.batch).values_list("pk", flat=True)
    assert set(batch) == set(ids(open_carts))
    events = CartEvent.objects.filter(action="deleted")
    assert sorted(events.values_list("cart_number", flat=True)) == sorted(ids(open_carts))
    assert set(events.values_list("run", flat=True)) == {deletion.pk}
    assert Cart.objects.get(pk=submitted.pk).status == Cart.Status.SUBMITTED


def test_a_job_that_lost_its_worker_resumes_after_its_last_finished_chunk(catalog, staff):
    cart_list = carts(catalog, 5)
    deletion = job("delete", ids(cart_list), staff)
    assert jobs.run_chunk(deletion.pk) is None  # one chunk, then the worker dies
    with pytest.raises(Exception, match="is running"):
        undoing.resume(deletion)  # not yet stalled: its worker may still be alive
    stopped = timezone.now() - undoing.STALLED_AFTER * 2
    CartRun.objects.filter(pk=deletion.pk).update(heartbeat_at=stopped)
    deletion.refresh_from_db()
    assert undoing.stalled() == [deletion]

    undoing.resume(deletion)
    assert jobs.run(deletion.pk) == Status.DONE

    deletion.refresh_from_db()
    assert (deletion.changed, deletion.left_alone, deletion.position) == (5, 0, 5)
    assert CartEvent.objects.filter(action="deleted").count() == 5  # no cart done twice
    assert statuses(cart_list) == {"deleted"}


def test_a_reprice_job_stopped_by_a_new_unpriced_line_can_be_rolled_back(catalog, staff):
    cart_list = carts(catalog, 6)
    reprice = job("change_price_level", ids(cart_list), staff, level=catalog["dealer"])
    jobs.run_chunk(reprice.pk)
    add_to_cart(customer=cart_list[4].customer, product=catalog["rare"], quantity=1)

    assert jobs.run(reprice.pk) == Status.FAILED
    reprice.refresh_from_db()
    assert reprice.message.startswith("Stopped at cart 4 of 6 (3 changed so far;")
    assert "no price at Stocking Dealer" in reprice.message and reprice.changed == 3
    levels = dict(Cart.objects.filter(pk__in=ids(cart_list)).values_list("pk", "price_level"))
    assert [levels[pk] for pk in ids(cart_list)] == [2, 2, 2, 1, 1, 1]

    undo = undoing.undo(reprice, staff)  # three carts: inline, done at once
    assert (undo.action, undo.total, undo.status) == ("revert_price_level", 3, Status.DONE)
    assert undo.undoes == reprice and undoing.undo_of(reprice) == undo
    assert set(
        Cart.objects.filter(pk__in=ids(cart_list)).values_list("price_level", flat=True)
    ) == {1}
    assert all(c.total == Cart.objects.get(pk=c.pk).total for c in cart_list[:3])
    with pytest.raises(Exception, match="cannot be undone"):
        undoing.undo(undo, staff)
    with pytest.raises(Exception, match="cannot be resumed"):
        undoing.resume(reprice)


def test_undo_of_a_deletion_job_restores_exactly_its_carts(catalog, staff):
    mine, other = carts(catalog, 5), cart_of(catalog, ("nut", 2))
    deletion = job("delete", ids(mine), staff)
    jobs.run(deletion.pk)
    delete_carts(carts=Cart.objects.filter(pk=other.pk), user=staff)

    undo = undoing.undo(deletion, staff)
    assert (undo.action, undo.total, undo.status) == ("restore", 5, Status.DONE)

    assert statuses(mine) == {"open"} and statuses([other]) == {"deleted"}
    assert CartEvent.objects.filter(action="restored", run=undo).count() == 5
    with pytest.raises(Exception, match="is rolled back"):
        undoing.undo(deletion, staff)


def test_undo_of_a_deletion_leaves_carts_deleted_again_since_by_someone_else(
    catalog, staff, settings
):
    settings.CART_ACTION_INLINE_LIMIT = 2
    cart_list = carts(catalog, 5)
    deletion = job("delete", ids(cart_list), staff)
    jobs.run(deletion.pk)
    again = Cart.objects.filter(pk__in=ids(cart_list[:2]))
    restore_carts(carts=again, user=staff)
    delete_carts(carts=again, user=staff)  # before the undo: not its to restore
    undo = undoing.undo(deletion, staff)
    assert (undo.total, undo.is_job) == (3, True)
    restore_carts(carts=Cart.objects.filter(pk=cart_list[2].pk), user=staff)
    delete_carts(carts=Cart.objects.filter(pk=cart_list[2].pk), user=staff)  # while queued

    assert jobs.run(undo.pk) == Status.DONE

    assert [statuses([cart]).pop() for cart in cart_list] == ["deleted"] * 3 + ["open"] * 2
    undo.refresh_from_db()
    assert (undo.changed, undo.left_alone) == (2, 1)


def test_two_jobs_over_the_same_carts_take_turns_by_chunk_and_lose_nothing(catalog, staff):
    cart_list = carts(catalog, 7)
    reprice = job("change_price_level", ids(cart_list), staff, level=catalog["dealer"])
    delete = job("delete", list(reversed(ids(cart_list))), staff)
    running = [reprice.pk, delete.pk]
    while running:
        running = [pk for pk in running if jobs.run_chunk(pk) is None]

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

    purge = start_purge(timezone.now() - datetime.timedelta(30))
    assert purge is not None and (purge.total, purge.is_job) == (4, True)
    assert jobs.run(purge.pk) == Status.DONE

    purge.refresh_from_db()
    assert (purge.changed, purge.values["USD"][0]) == (4, 4)
    assert not Cart.objects.filter(pk__in=ids(old)).exists() and statuses(recent) == {"deleted"}
    assert set(CartEvent.objects.filter(action="purged").values_list("run", flat=True)) == {
        purge.pk
    }


def test_queued_jobs_wait_for_the_commit_and_the_immediate_backend_runs_them(
    catalog, staff, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cart_list = carts(catalog, 4)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        deletion = job("delete", ids(cart_list), staff, to_worker=True)
        assert statuses(cart_list) == {"open"}  # nothing before the commit
    assert len(callbacks) == 1
    deletion.refresh_from_db()
    assert deletion.status == Status.DONE and statuses(cart_list) == {"deleted"}


def test_a_restarted_worker_takes_up_unfinished_jobs_where_they_stopped(catalog, staff, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cart_list = carts(catalog, 5)
    deletion = job("delete", ids(cart_list), staff)  # its task never ran
    jobs.run_chunk(deletion.pk)  # then one chunk, and the worker stopped
    done = job("delete", [cart_of(catalog, ("nut", 1)).pk], staff)
    jobs.run(done.pk)

    call_command("resume_cart_jobs", stdout=StringIO())

    deletion.refresh_from_db()
    assert (deletion.status, deletion.position, deletion.changed) == (Status.DONE, 5, 5)
    assert CartEvent.objects.filter(action="deleted", run=deletion).count() == 5
    assert CartEvent.objects.filter(run=done).count() == 1  # a finished job did not run again
