"""Which open carts have prices out of date, and how many lines: a row per such cart, none for
a cart whose prices are all current, kept by the triggers of carts.stale.triggers.

A table of its own rather than a column on the cart: keeping it never rewrites a cart row (nor
its dozen index entries), and the Prices out of date filter reads its primary key."""

from django.db import models


class StalePrices(models.Model):
    # No DB constraint: a row goes when its cart leaves the open carts (the cart trigger), so
    # a purge, which deletes only deleted carts, never meets one.
    cart = models.OneToOneField(
        "carts.Cart",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        related_name="stale_prices",
        db_constraint=False,
    )
    lines = models.PositiveIntegerField("lines out of date")

    def __str__(self) -> str:
        return f"Cart {self.cart_id}: {self.lines} lines out of date"
