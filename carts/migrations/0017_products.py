"""Products in open carts: lines indexed by product, then cart (the Open Carts "Product" filter
is an index range; it replaces the plain index on product, which it covers, and is made first
so a product's PROTECT check always has one), and the open-product tallies with the triggers
that keep them (see carts.tallies.products)."""

from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models


def install_triggers(apps, schema_editor):
    from carts.tallies import products

    products.install(schema_editor.connection)


def drop_triggers(apps, schema_editor):
    from carts.tallies import products

    products.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("carts", "0016_insight_covering_indexes"),
        ("pricing", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="cartline",
            index=models.Index(fields=["product", "cart"], name="cart_line_product_cart"),
        ),
        migrations.AlterField(
            model_name="cartline",
            name="product",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cart_lines",
                to="pricing.product",
            ),
        ),
        migrations.CreateModel(
            name="OpenProductTally",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "product",
                        "price_level",
                        "rep_number",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("rep_number", models.PositiveIntegerField()),
                ("carts", models.BigIntegerField(default=0)),
                ("quantity", models.BigIntegerField(default=0)),
                (
                    "value",
                    models.DecimalField(decimal_places=2, default=Decimal("0"), max_digits=18),
                ),
                (
                    "price_level",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="pricing.pricelevel",
                    ),
                ),
                (
                    "product",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="pricing.product",
                    ),
                ),
            ],
        ),
        migrations.RunPython(install_triggers, drop_triggers),
    ]
