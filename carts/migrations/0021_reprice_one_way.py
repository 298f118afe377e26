"""One way to re-price (issue 20): a re-price's audit entry keeps its cart's lines' prices before
(`line_prices`), which its undo puts back; and the tallies' trigger functions replaced: a
re-price's lines are counted once, by its cart trigger, in one ordered pass
(carts.tallies.products), and both kinds of tallies apply their deltas through one builder
(carts.tallies.recount); the stale counts' triggers reach a re-price's carts by their ids. The
triggers stay as they are; the tallies and counts need no recount."""

from django.db import migrations, models


def replace_functions(apps, schema_editor):
    from carts.stale import triggers as stale
    from carts.tallies import products, triggers

    triggers.replace_functions(schema_editor.connection)
    products.replace_functions(schema_editor.connection)
    stale.replace_functions(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("carts", "0020_recovery_and_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="cartevent",
            name="line_prices",
            field=models.JSONField(blank=True, null=True),
        ),
        # Backwards: the functions as this code has them (which count a re-price correctly).
        migrations.RunPython(replace_functions, replace_functions),
    ]
