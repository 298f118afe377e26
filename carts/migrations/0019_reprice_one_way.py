"""One way to re-price (issue 20): a re-price's audit entry keeps its cart's lines' prices before
(`line_prices`), which its undo puts back; and the open-product tallies' trigger functions
replaced, so a re-price's lines are counted once, by its cart trigger, in one ordered pass
(carts.tallies.products). The triggers stay as they are; the tallies need no recount."""

from django.db import migrations, models


def replace_functions(apps, schema_editor):
    from carts.tallies import products

    products.replace_functions(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("carts", "0018_cart_export"),
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
