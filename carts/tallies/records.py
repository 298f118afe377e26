"""The tallies' tables: numbers about open carts kept by statement triggers
(`carts.tallies.triggers`, `carts.tallies.products`), so the Open Carts summary, its insight
and "Products in open carts" never read every cart or line."""

from decimal import Decimal

from django.db import models

from pricing.models import PriceLevel, Product


class OpenCartTally(models.Model):
    """How many open carts, and their value, per price level, rep and start date (a calendar
    day in the store's time zone), so the Open Carts summary never reads every cart.

    On PostgreSQL, statement triggers keep it in the same transaction as every cart change
    (see `carts.tallies.triggers`); `manage.py rebuild_cart_tallies` rebuilds and checks it.
    """

    pk = models.CompositePrimaryKey("price_level", "rep_number", "start_date")
    # No database constraint: a tally row is a number about carts, not a reference to keep.
    price_level = models.ForeignKey(
        PriceLevel, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    rep_number = models.PositiveIntegerField()
    start_date = models.DateField()
    carts = models.BigIntegerField(default=0)
    value = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0"))

    def __str__(self) -> str:
        return f"{self.carts} open carts at level {self.price_level_id}, rep {self.rep_number}"


class OpenProductTally(models.Model):
    """Per product, price level and rep: how many open carts hold it, their quantity and its
    value at the carts' prices, so "Products in open carts" never reads every line. Statement
    triggers on lines and carts keep it (see `carts.tallies.products`)."""

    pk = models.CompositePrimaryKey("product", "price_level", "rep_number")
    # No constraints nor indexes of their own: a tally row is a number about carts, not a
    # reference to keep, and a few thousand rows are read whole.
    product = models.ForeignKey(
        Product, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    price_level = models.ForeignKey(
        PriceLevel,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    rep_number = models.PositiveIntegerField()
    carts = models.BigIntegerField(default=0)
    quantity = models.BigIntegerField(default=0)
    value = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0"))

    def __str__(self) -> str:
        return f"{self.carts} open carts hold product {self.product_id}"
