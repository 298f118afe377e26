"""Migration 0008: the jobs of before become runs (jobs still), a "rolled back" job is one whose
undo finished, and each audit entry whose detail named "Job N" points to run N by its key.
Migration 0009: of a run's undos (a stopped one, and one after it) one stays its undo."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import cart_of, make_staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_behaviour]
BEFORE, AFTER = ("carts", "0007_rep_number_triggers"), ("carts", "0008_cart_run")
ONE_UNDO = ("carts", "0009_one_undo_per_run_ever")


def migrate(target: tuple[str, str]):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return MigrationExecutor(connection).loader.project_state([target]).apps


def latest() -> tuple[str, str]:
    """The carts app's last migration, where every other test expects the database."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes("carts")[0]


def test_old_jobs_and_their_audit_entries_become_runs(catalog):
    cart = cart_of(catalog, ("bolt", 1))
    staff = make_staff("manager")
    try:
        apps = migrate(BEFORE)
        CartJob, CartEvent = (
            apps.get_model("carts", "CartJob"),
            apps.get_model("carts", "CartEvent"),
        )
        job = CartJob.objects.create(
            kind="price_level", status="rolled_back", created_by_id=staff.pk
        )
        undo = CartJob.objects.create(kind="revert_price_level", status="done", undoes=job)
        entry = {"cart_id": cart.pk, "cart_number": cart.pk, "customer_number": "C1"}
        CartEvent.objects.create(**entry, action="price_level_changed", detail=f"Job {job.pk}")
        CartEvent.objects.create(**entry, action="price_level_changed", detail=f"Job {undo.pk}: x")
        CartEvent.objects.create(**entry, action="changed", detail="Added 1 × JOB-1.")
        CartEvent.objects.create(**entry, action="deleted", detail=f"Job {undo.pk + 99}")

        apps = migrate(AFTER)

        CartRun, CartEvent = (
            apps.get_model("carts", "CartRun"),
            apps.get_model("carts", "CartEvent"),
        )
        runs = CartRun.objects.order_by("pk").values_list("action", "status", "mode", "undoes")
        assert list(runs) == [
            ("change_price_level", "done", "job", None),
            ("revert_price_level", "done", "job", job.pk),
        ]
        linked = CartEvent.objects.order_by("pk").values_list("run_id", "detail")
        assert list(linked) == [
            (job.pk, ""),
            (undo.pk, "x"),
            (None, "Added 1 × JOB-1."),
            (None, f"Job {undo.pk + 99}"),  # no such job: left as it was
        ]
    finally:
        migrate(latest())


def test_a_run_with_two_undos_keeps_one_and_the_other_never_runs_again():
    try:
        apps = migrate(AFTER)
        CartRun = apps.get_model("carts", "CartRun")
        runs = [CartRun.objects.create(action="delete", mode="job", status="done") for _ in "ab"]
        undo = {"action": "restore", "mode": "job"}
        stopped = CartRun.objects.create(**undo, undoes=runs[0], status="failed", message="x")
        going = CartRun.objects.create(**undo, undoes=runs[0], status="queued")
        first, last = (
            CartRun.objects.create(**undo, undoes=runs[1], status="failed") for _ in "ab"
        )

        apps = migrate(ONE_UNDO)

        rows = apps.get_model("carts", "CartRun").objects.order_by("pk")
        by_pk = {row.pk: row for row in rows}
        assert (by_pk[going.pk].undoes_id, by_pk[last.pk].undoes_id) == (runs[0].pk, runs[1].pk)
        for superseded, kept, undone in [(stopped, going, runs[0]), (first, last, runs[1])]:
            row = by_pk[superseded.pk]
            assert (row.undoes_id, row.status) == (None, "done")
            assert row.message.startswith(
                f"Stopped before it finished; Job {kept.pk} took over undoing Job {undone.pk}."
            )
    finally:
        migrate(latest())
