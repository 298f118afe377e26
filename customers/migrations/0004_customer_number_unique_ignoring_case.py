"""Customer numbers unique whatever their case (C10001 and c10001 are one customer).

Existing numbers that differ only in case are reported, not merged or renamed: which one is
right is the store's call. Rename the clashes (Django admin → Customers), then migrate again.
"""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


def refuse_clashes(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    clashing = (
        Customer.objects.annotate(key=Lower("customer_number"))
        .values("key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("key", flat=True)
    )
    keys = list(clashing[:50])
    if not keys:
        return
    numbers = (
        Customer.objects.annotate(key=Lower("customer_number"))
        .filter(key__in=keys)
        .order_by("key", "customer_number")
        .values_list("customer_number", flat=True)
    )
    raise RuntimeError(
        "Customer numbers that differ only in upper/lower case must be renamed before this "
        f"migration (it makes them unique ignoring case): {', '.join(numbers)}."
    )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0003_customer_name_id_index"),
        ("pricing", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_clashes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="customer",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("customer_number"),
                name="customer_number_unique_ignoring_case",
                violation_error_message=(
                    "Another customer has this number (customer numbers ignore upper and lower "
                    "case)."
                ),
            ),
        ),
    ]
