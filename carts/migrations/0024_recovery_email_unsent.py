"""A partial index of the recovery e-mails not sent yet (queued, or mid-send), which a worker's
hand-out reads to find an inline run whose request stopped before sending what it recorded
(carts.mail.sending.undelivered)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("carts", "0023_stale_prices_of_held_products"),
        ("customers", "0005_sales_rep_user"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="recoveryemail",
            index=models.Index(
                condition=models.Q(("status__in", ["queued", "sending"])),
                fields=["run"],
                name="recovery_email_unsent",
            ),
        ),
    ]
