"""CartJob becomes CartRun, the record of every run of a staff action (inline ones too), and
every audit entry of a run points to it by a real, indexed foreign key (CartEvent.run) instead
of the free text "Job N" in its detail.

Existing jobs stay jobs; "rolled back" is no longer a stored status (it is an undo run that
finished); events whose detail starts "Job N" are linked to run N, and the "Job N: " is taken
off their detail (the reason, if any, stays)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

# Checked as each statement ends, not at commit: the indexes built after this step cannot be
# built on tables with foreign-key checks still pending.
FORWARDS = """
    SET CONSTRAINTS ALL IMMEDIATE;
    UPDATE carts_cartrun SET mode = 'job';
    UPDATE carts_cartrun SET action = 'change_price_level' WHERE action = 'price_level';
    UPDATE carts_cartrun SET status = 'done' WHERE status = 'rolled_back';
    UPDATE carts_cartevent AS event
    SET run_id = run.id, detail = regexp_replace(event.detail, '^Job [0-9]+(: )?', '')
    FROM carts_cartrun AS run
    WHERE event.detail ~ '^Job [0-9]+(: |$)'
        AND run.id = substring(event.detail from '^Job ([0-9]+)')::bigint;
"""

BACKWARDS = """
    SET CONSTRAINTS ALL IMMEDIATE;
    UPDATE carts_cartevent
    SET detail = left('Job ' || run_id || CASE WHEN detail = '' THEN '' ELSE ': ' || detail END, 500)
    WHERE run_id IS NOT NULL;
    UPDATE carts_cartrun AS run SET status = 'rolled_back'
    WHERE EXISTS (
        SELECT 1 FROM carts_cartrun AS undo WHERE undo.undoes_id = run.id AND undo.status = 'done'
    );
    UPDATE carts_cartrun SET action = 'price_level' WHERE action = 'change_price_level';
    DELETE FROM carts_cartrun WHERE mode = 'inline'
        AND NOT EXISTS (SELECT 1 FROM carts_cartevent WHERE run_id = carts_cartrun.id);
"""


class Migration(migrations.Migration):
    dependencies = [("carts", "0007_rep_number_triggers")]

    operations = [
        migrations.RenameModel("CartJob", "CartRun"),
        migrations.RemoveIndex(model_name="cartrun", name="cart_job_status"),
        migrations.RenameField(model_name="cartrun", old_name="kind", new_name="action"),
        migrations.AlterField(
            model_name="cartrun", name="action", field=models.CharField(max_length=24)
        ),
        migrations.AlterField(
            model_name="cartrun",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("running", "Running"),
                    ("done", "Done"),
                    ("failed", "Stopped by an error"),
                ],
                default="queued",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="cartrun",
            name="mode",
            field=models.CharField(
                choices=[("inline", "In the request"), ("job", "As a job")],
                default="inline",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="cartrun",
            name="left_out",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="cartrun",
            name="refused_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="cartrun",
            name="value_after",
            field=models.DecimalField(decimal_places=2, default=0, max_digits=18),
        ),
        migrations.AddField(
            model_name="cartrun",
            name="also_customer",
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name="cartrun",
            name="batch",
            field=models.UUIDField(blank=True, default=uuid.uuid4, null=True),
        ),
        migrations.AlterField(
            model_name="cartrun",
            name="undoes",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="undone_by",
                to="carts.cartrun",
            ),
        ),
        migrations.AddField(
            model_name="cartevent",
            name="run",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="carts.cartrun",
            ),
        ),
        migrations.RunSQL(FORWARDS, BACKWARDS),
        migrations.AddIndex(
            model_name="cartrun",
            index=models.Index(fields=["status", "created_at"], name="cart_run_status"),
        ),
        migrations.AddIndex(
            model_name="cartrun",
            index=models.Index(
                condition=models.Q(("mode", "job")),
                fields=["created_at", "id"],
                name="cart_run_job",
            ),
        ),
        migrations.AddIndex(
            model_name="cartevent",
            index=models.Index(
                condition=models.Q(("run__isnull", False)),
                fields=["run", "action"],
                name="cart_event_run",
            ),
        ),
        migrations.AddConstraint(
            model_name="cartrun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("undoes__isnull", False), models.Q(("status", "failed"), _negated=True)),
                fields=("undoes",),
                name="one_undo_per_run",
            ),
        ),
    ]
