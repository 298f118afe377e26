"""Undo (after an inline action) and Roll back (of a job) are one mechanism
(`carts.runs.undoing`): the inverse action as a run that undoes the first, on exactly the carts
whose audit entries in that run say it changed them. And every cart's audit chain stays
unbroken across runs, each staff entry naming its run."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from carts.models import Cart, CartEvent, CartRun
from carts.runs import jobs, undoing
from carts.services import CartActionRefused
from carts.services.customer import add_to_cart
from carts.services.staff import delete_carts
from tests.carts.racing import race, refused_or
from tests.carts.runs.making import confirm_all, job
from tests.factories import cart_of

pytestmark = pytest.mark.django_db
ACTION = "/carts/actions/"
STAFF_ACTIONS = {"price_level_changed", "deleted", "restored", "purged"}


def assert_chains_unbroken(cart_ids: list[int]) -> None:
    """Each cart's entries, in order: each one's before is the previous one's after, and each
    staff entry names its run."""
    for number in cart_ids:
        events = list(CartEvent.objects.filter(cart_number=number).order_by("id"))
        for previous, event in zip(events, events[1:], strict=False):
            assert (event.level_before, event.total_before) == (
                previous.level_after,
                previous.total_after,
            ), f"cart {number}: {event.action} does not start where {previous.action} ended"
        staff = [event for event in events if event.action in STAFF_ACTIONS]
        assert all(event.run_id for event in staff), f"cart {number}: a staff entry has no run"


def levels(cart_list: list[Cart]) -> list[int]:
    by_id = dict(
        Cart.objects.filter(pk__in=[c.pk for c in cart_list]).values_list("pk", "price_level")
    )
    return [by_id[cart.pk] for cart in cart_list]


def test_an_inline_delete_is_undone_through_its_run(manager_client, carts):
    ids = [cart.pk for cart in carts[:2]]
    manager_client.post(ACTION, {"action": "delete", "cart": ids, "confirm": "1"})
    deletion = CartRun.objects.get()
    assert (deletion.mode, deletion.changed, deletion.created_by.username) == (
        "inline",
        2,
        "manager",
    )
    page = manager_client.get("/carts/?q=Shop").content.decode()
    assert f'action="/carts/runs/{deletion.pk}/undo/"' in page

    response = manager_client.post(f"/carts/runs/{deletion.pk}/undo/", {"next": "/carts/?q=Shop"})

    assert response["Location"] == "/carts/?q=Shop"
    undo = CartRun.objects.get(undoes=deletion)
    assert (undo.action, undo.mode, undo.changed) == ("restore", "inline", 2)
    assert Cart.objects.open().count() == 3
    assert set(CartEvent.objects.filter(run=undo).values_list("cart_id", flat=True)) == set(ids)
    assert "/undo/" not in manager_client.get("/carts/").content.decode()  # no undo of an undo
    assert_chains_unbroken(ids)


def test_a_job_is_rolled_back_from_the_jobs_page(manager_client, catalog, settings):
    settings.CART_ACTION_INLINE_LIMIT, settings.CART_JOB_CHUNK = 3, 2
    cart_list = [cart_of(catalog, ("bolt", n)) for n in range(1, 8)]
    dealer = catalog["dealer"].pk
    confirm_all(manager_client, action="change_price_level", query="", price_level=dealer)
    reprice = CartRun.objects.get()
    assert jobs.run(reprice.pk) == "done" and set(levels(cart_list)) == {dealer}
    assert "Roll back: put price levels back" in manager_client.get("/carts/jobs/").content.decode()

    manager_client.post(f"/carts/runs/{reprice.pk}/undo/")
    undo = CartRun.objects.get(undoes=reprice)
    assert (undo.action, undo.total, undo.is_job) == ("revert_price_level", 7, True)
    assert jobs.run(undo.pk) == "done"

    assert set(levels(cart_list)) == {catalog["wholesale"].pk}
    html = manager_client.get("/carts/jobs/").content.decode()
    assert "Rolled back" in html and "Roll back: put price levels back" not in html
    assert_chains_unbroken([cart.pk for cart in cart_list])


def test_a_job_stopped_half_way_rolls_back_exactly_the_carts_it_changed(
    manager_client, catalog, staff, settings
):
    settings.CART_ACTION_INLINE_LIMIT, settings.CART_JOB_CHUNK = 3, 2
    cart_list = [cart_of(catalog, ("bolt", n)) for n in range(1, 7)]
    before = {cart.pk: cart.total for cart in cart_list}
    reprice = job("change_price_level", [c.pk for c in cart_list], staff, level=catalog["dealer"])
    jobs.run_chunk(reprice.pk)
    jobs.run_chunk(reprice.pk)
    add_to_cart(customer=cart_list[4].customer, product=catalog["rare"], quantity=1)
    assert jobs.run(reprice.pk) == "failed"  # its third chunk is refused: RARE has no price
    assert levels(cart_list) == [2, 2, 2, 2, 1, 1]

    manager_client.post(f"/carts/runs/{reprice.pk}/undo/")
    undo = CartRun.objects.get(undoes=reprice)
    assert (undo.total, undo.is_job) == (4, True)
    assert jobs.run(undo.pk) == "done"

    assert levels(cart_list) == [1, 1, 1, 1, 1, 1]
    put_back = CartEvent.objects.filter(run=undo).values_list("cart_id", flat=True)
    assert sorted(put_back) == [cart.pk for cart in cart_list[:4]]
    assert all(Cart.objects.get(pk=pk).total == before[pk] for pk in put_back)
    assert_chains_unbroken([cart.pk for cart in cart_list])


def test_a_purge_cannot_be_undone_and_says_why(manager_client, catalog, staff):
    old = cart_of(catalog, ("bolt", 2))
    delete_carts(carts=Cart.objects.filter(pk=old.pk), user=staff)
    Cart.objects.filter(pk=old.pk).update(deleted_at=timezone.now() - datetime.timedelta(days=45))
    call_command("purge_deleted_carts", "--no-progress", stdout=StringIO())
    purge = CartRun.objects.get(action="purge")
    assert (purge.changed, purge.is_job) == (1, True)

    response = manager_client.post(f"/carts/runs/{purge.pk}/undo/")

    assert response.status_code == 409
    assert (
        f"Job {purge.pk} cannot be undone: purged carts are destroyed for good"
        in response.content.decode()
    )
    assert not CartRun.objects.filter(undoes=purge).exists()


def test_a_run_whose_carts_are_back_has_nothing_to_undo(manager_client, carts):
    manager_client.post(ACTION, {"action": "delete", "cart": carts[0].pk, "confirm": "1"})
    deletion = CartRun.objects.get()
    manager_client.post("/carts/restore/", {"cart": carts[0].pk})  # back by hand

    response = manager_client.post(f"/carts/runs/{deletion.pk}/undo/")

    assert response.status_code == 409 and "Nothing to undo" in response.content.decode()
    assert not CartRun.objects.filter(undoes=deletion).exists()


@pytest.mark.postgres_behaviour
def test_the_database_allows_one_undo_per_run_even_one_that_stopped(catalog, staff):
    deletion = job("delete", [cart_of(catalog, ("bolt", 1)).pk], staff)
    jobs.run(deletion.pk)
    undo = {"action": "restore", "undoes": deletion, "mode": "job"}
    CartRun.objects.create(**undo, status=CartRun.Status.FAILED)
    for status in (CartRun.Status.QUEUED, CartRun.Status.DONE, CartRun.Status.FAILED):
        with pytest.raises(IntegrityError, match="one_undo_per_run"), transaction.atomic():
            CartRun.objects.create(**undo, status=status)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'one_undo_per_run'")
        (definition,) = cursor.fetchone()
    assert "UNIQUE INDEX" in definition and "WHERE (undoes_id IS NOT NULL)" in definition


@pytest.fixture
def stopped_deletion(catalog, staff) -> CartRun:
    """A deletion job that stopped (its status says so) after deleting its three carts."""
    deletion = job("delete", [cart_of(catalog, ("bolt", n)).pk for n in (1, 2, 3)], staff)
    jobs.run(deletion.pk)
    CartRun.objects.filter(pk=deletion.pk).update(status=CartRun.Status.FAILED)
    deletion.refresh_from_db()
    return deletion


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_behaviour
def test_two_clicks_on_undo_make_one_undo(stopped_deletion, staff):
    first, second = race(
        lambda: undoing.undo(stopped_deletion, staff),
        refused_or(lambda: undoing.undo(stopped_deletion, staff)),
    )
    assert isinstance(first, CartRun) and isinstance(second, CartActionRefused)
    assert "is rolled back already" in str(second)
    assert CartRun.objects.filter(undoes=stopped_deletion).count() == 1
    assert Cart.objects.open().count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_behaviour
def test_a_run_being_resumed_cannot_be_rolled_back_nor_the_reverse(stopped_deletion, staff):
    resumed, rolled_back = race(
        lambda: undoing.resume(stopped_deletion),
        refused_or(lambda: undoing.undo(stopped_deletion, staff)),
    )
    assert isinstance(rolled_back, CartActionRefused) and "is queued" in str(rolled_back)
    assert not CartRun.objects.filter(undoes=stopped_deletion).exists()

    CartRun.objects.filter(pk=stopped_deletion.pk).update(status=CartRun.Status.FAILED)
    undone, resumed = race(
        lambda: undoing.undo(stopped_deletion, staff),
        refused_or(lambda: undoing.resume(stopped_deletion)),
    )
    assert isinstance(resumed, CartActionRefused) and "cannot be resumed" in str(resumed)
    assert CartRun.objects.get(pk=stopped_deletion.pk).status == CartRun.Status.FAILED
