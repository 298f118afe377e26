"""Submitted orders get an order number of their own (issue 18): a sequence starting at 1001,
and the orders already submitted numbered by their submit time (the oldest is 1001)."""

from django.db import migrations, models

CREATE_SEQUENCE = """
    CREATE SEQUENCE carts_cart_order_number_seq START 1001 OWNED BY carts_cart.order_number;
"""
NUMBER_SUBMITTED_ORDERS = """
    UPDATE carts_cart AS cart SET order_number = 1000 + numbered.position
    FROM (
        SELECT id, row_number() OVER (ORDER BY submitted_at, id) AS position
        FROM carts_cart
        WHERE status = 'submitted'
    ) AS numbered
    WHERE cart.id = numbered.id;
    SELECT setval('carts_cart_order_number_seq', max(order_number))
    FROM carts_cart HAVING max(order_number) IS NOT NULL;
"""


class Migration(migrations.Migration):
    dependencies = [("carts", "0009_one_undo_per_run_ever")]

    operations = [
        migrations.AddField(
            model_name="cart",
            name="order_number",
            field=models.PositiveIntegerField(
                blank=True, null=True, unique=True, verbose_name="order #"
            ),
        ),
        migrations.RunSQL(CREATE_SEQUENCE, "DROP SEQUENCE carts_cart_order_number_seq"),
        migrations.RunSQL(NUMBER_SUBMITTED_ORDERS, migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="cart",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("order_number__isnull", True), ("status", "submitted"), _connector="OR"
                ),
                name="cart_order_number_only_on_orders",
            ),
        ),
    ]
