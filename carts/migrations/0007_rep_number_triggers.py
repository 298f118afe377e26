from django.db import migrations


def install_triggers(apps, schema_editor):
    # The triggers that move carts' rep numbers with their customers, and a first catch-up
    # of any cart out of step (see carts.services.reps).
    from carts.services import reps

    reps.install(schema_editor.connection)


def drop_triggers(apps, schema_editor):
    from carts.services import reps

    reps.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("carts", "0006_cart_job"),
        ("customers", "0004_customer_number_unique_ignoring_case"),
    ]

    operations = [migrations.RunPython(install_triggers, drop_triggers)]
