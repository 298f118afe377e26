"""Migration 0008: the jobs of before become runs (jobs still), a "rolled back" job is one whose
undo finished, and each audit entry whose detail named "Job N" points to run N by its key."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import cart_of, make_staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_behaviour]
BEFORE, AFTER = ("carts", "0007_rep_number_triggers"), ("carts", "0008_cart_run")


def migrate(target: tuple[str, str]):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return MigrationExecutor(connection).loader.project_state([target]).apps


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
        migrate(AFTER)
