"""Open carts by id, carrying what the insight reads (issue 20): the carts a filter finds
through another table (a product's lines, the out-of-date prices) are read index-only by their
ids. Every column it carries is indexed already, so no heap-only update stops being so."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("carts", "0021_reprice_one_way"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="cart",
            index=models.Index(
                condition=models.Q(("status", "open")),
                fields=["id"],
                include=(
                    "price_level",
                    "rep_number",
                    "created_at",
                    "last_touched_at",
                    "total",
                    "follow_up_on",
                ),
                name="open_cart_id",
            ),
        ),
    ]
