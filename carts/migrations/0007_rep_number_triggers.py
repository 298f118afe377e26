from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("carts", "0006_cart_job")]

    operations: list[migrations.operations.base.Operation] = []
