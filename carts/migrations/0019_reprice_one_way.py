"""One way to re-price (issue 20): a re-price's audit entry keeps its cart's lines' prices before
(`line_prices`), which its undo puts back."""

from django.db import migrations, models


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
    ]
