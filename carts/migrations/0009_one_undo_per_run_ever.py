"""One undo per run, whatever the undo's status: a stopped undo no longer lets a second one start
(nor the run it undoes be resumed); it is resumed itself.

Before, a stopped (failed) undo did not count, so a run could hold a stopped undo and a later
one. Of each such run's undos the one that did not fail (else the latest) stays its undo; the
others, stopped part-way, are detached and closed ("done"), their message saying which undo
took over, so that none of them runs again."""

from django.db import migrations, models

DETACH_SUPERSEDED_UNDOS = """
    UPDATE carts_cartrun AS undo
    SET undoes_id = NULL, status = 'done',
        finished_at = coalesce(undo.finished_at, undo.heartbeat_at),
        message = 'Stopped before it finished; Job ' || kept.id || ' took over undoing Job '
            || kept.undoes_id || '. ' || undo.message
    FROM (
        SELECT DISTINCT ON (undoes_id) id, undoes_id
        FROM carts_cartrun
        WHERE undoes_id IS NOT NULL
        ORDER BY undoes_id, status = 'failed', id DESC
    ) AS kept
    WHERE undo.undoes_id = kept.undoes_id AND undo.id <> kept.id;
"""


class Migration(migrations.Migration):
    dependencies = [("carts", "0008_cart_run")]

    operations = [
        migrations.RemoveConstraint(model_name="cartrun", name="one_undo_per_run"),
        migrations.RunSQL(DETACH_SUPERSEDED_UNDOS, migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="cartrun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("undoes__isnull", False)),
                fields=("undoes",),
                name="one_undo_per_run",
            ),
        ),
    ]
