"""Indexes for the Open Carts customer search: a trigram index serves the name fragment search
(icontains) and an expression index the case-insensitive number match."""

from django.db import migrations

INDEXES = [
    "CREATE INDEX IF NOT EXISTS customer_name_trgm "
    "ON customers_customer USING gin (UPPER(name::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS customer_number_upper "
    "ON customers_customer (UPPER(customer_number::text))",
]


def create(apps, schema_editor):
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for sql in INDEXES:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS customer_name_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS customer_number_upper")


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
