from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from carts.digest.records import RepDigest
from carts.export.records import CartExport
from carts.followup.records import CartContact, CartNote
from carts.mail.records import RecoveryEmail, RecoveryTemplate
from carts.querysets import FOLLOW_UP_KEY, INSIGHT_COLUMNS, CartQuerySet
from carts.recovery.records import CartRecovery
from carts.runs.record import CartRun
from carts.stale.record import StalePrices
from carts.tallies.records import OpenCartTally, OpenProductTally
from customers.models import Customer
from pricing.models import PriceLevel, Product

__all__ = [
    "Cart",
    "CartContact",
    "CartEvent",
    "CartExport",
    "CartLine",
    "CartNote",
    "CartRecovery",
    "CartRun",
    "OpenCartTally",
    "OpenProductTally",
    "RecoveryEmail",
    "RecoveryTemplate",
    "RepDigest",
    "StalePrices",
]

OPEN = Q(status="open")


class Cart(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SUBMITTED = "submitted", "Submitted"
        DELETED = "deleted", "Deleted"

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="carts")
    # What the cart is priced at: the customer's level unless staff changed it. No index of its
    # own: open carts have open_cart_level, and six levels make a poor index over all carts.
    price_level = models.ForeignKey(
        PriceLevel, on_delete=models.PROTECT, related_name="carts", db_index=False
    )
    # The customer's rep's number, kept in step by carts.services.reps (indexed for the list).
    rep_number = models.PositiveIntegerField("rep #")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField("start date", default=timezone.now)
    last_touched_at = models.DateTimeField("last touch", default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The order's own number, from a sequence at submit (carts.orders): counts up as orders come.
    order_number = models.PositiveIntegerField("order #", null=True, blank=True, unique=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Indexed over deleted carts only (Meta); no DB constraint: 100k checks made COMMIT ~0.7 s.
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # The one Delete Order action this cart went with, so Undo restores exactly that action.
    deletion_batch = models.UUIDField(null=True, blank=True)
    # Σ quantity × unit_price, kept in step with the lines in the same transaction as every
    # line change, so the list can sort and filter on an indexed column.
    total = models.DecimalField(
        "order total", max_digits=14, decimal_places=2, default=Decimal("0")
    )
    # How many lines and how many items (Σ quantity), kept in step with the lines like `total`
    # (carts.services.repricing.line_figures), so the list can show and sort a cart's size.
    line_count = models.PositiveIntegerField("lines", default=0)
    item_quantity = models.PositiveBigIntegerField("items", default=0)
    # When staff mean to follow the cart up (carts.followup); None: no date set.
    follow_up_on = models.DateField("follow-up", null=True, blank=True)

    objects = CartQuerySet.as_manager()

    class Meta:
        permissions = [
            ("view_all_carts", "Can see every rep's carts"),
            ("set_follow_up", "Can set a cart's follow-up date"),
            ("send_recovery_email", "Can e-mail customers about their carts"),
        ]
        constraints = [
            # Carrying what the insight sums (INSIGHT_COLUMNS): a search's matching customers
            # reach their carts' figures on this index alone, never the table.
            models.UniqueConstraint(
                fields=["customer"],
                condition=OPEN,
                name="one_open_cart_per_customer",
                include=INSIGHT_COLUMNS,
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "submitted", "deleted"]), name="cart_status_known"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="cart_total_not_negative"),
            models.CheckConstraint(
                condition=Q(status="submitted", submitted_at__isnull=False)
                | (~Q(status="submitted") & Q(submitted_at__isnull=True)),
                name="cart_submitted_at_iff_submitted",
            ),
            # Only an order has an order number (submit_cart gives every order one).
            models.CheckConstraint(
                condition=Q(order_number__isnull=True) | Q(status="submitted"),
                name="cart_order_number_only_on_orders",
            ),
            models.CheckConstraint(
                condition=Q(status="deleted", deleted_at__isnull=False)
                | (~Q(status="deleted") & Q(deleted_at__isnull=True)),
                name="cart_deleted_at_iff_deleted",
            ),
            # Every line holds one item at least.
            models.CheckConstraint(
                condition=Q(item_quantity__gte=models.F("line_count")),
                name="cart_items_at_least_lines",
            ),
            models.CheckConstraint(
                condition=Q(last_touched_at__gte=models.F("created_at")),
                name="cart_touched_after_start",
            ),
        ]
        # Partial indexes over open carts, one per sortable column, with id as the tie-breaker
        # so every sort of the Open Carts list (either direction) can walk an index.
        indexes = [
            models.Index(fields=["created_at", "id"], condition=OPEN, name="open_cart_created"),
            # Also the insight's: untouched carts and any filter are counted on it alone.
            models.Index(
                fields=["last_touched_at", "id"],
                condition=OPEN,
                name="open_cart_touched",
                include=[name for name in INSIGHT_COLUMNS if name != "last_touched_at"],
            ),
            models.Index(
                fields=["total", "id"],
                condition=OPEN,
                name="open_cart_total",
                include=[name for name in INSIGHT_COLUMNS if name != "total"],
            ),
            # Carts found by their ids (CartQuerySet.among): the insight reads them index-only.
            models.Index(
                fields=["id"], condition=OPEN, name="open_cart_id", include=INSIGHT_COLUMNS
            ),
            models.Index(fields=["line_count", "id"], condition=OPEN, name="open_cart_items"),
            models.Index(fields=["price_level", "id"], condition=OPEN, name="open_cart_level"),
            models.Index(fields=["rep_number", "id"], condition=OPEN, name="open_cart_rep"),
            # Follow-up dates first, carts with none last (CartQuerySet.with_follow_up_key).
            models.Index(FOLLOW_UP_KEY, "id", condition=OPEN, name="open_cart_follow_up"),
            # The carts with a follow-up date only (a tenth, say): the insight's follow-ups due,
            # and the "Follow-up due" filter's, on an index-only range.
            models.Index(
                fields=["follow_up_on"],
                condition=OPEN & Q(follow_up_on__isnull=False),
                name="open_cart_follow_up_due",
                include=[name for name in INSIGHT_COLUMNS if name != "follow_up_on"],
            ),
            # Deleted carts only: a cart that is deleted or restored is rewritten in every index
            # it belongs to (a status change is never a HOT update), so the fewer the better.
            # By id too, as Recently deleted sorts (one Delete Order gives its carts one time),
            # with what its summary, batches and deleters read: index-only.
            models.Index(
                fields=["deleted_at", "id"],
                include=["price_level", "total", "deletion_batch", "deleted_by"],
                condition=Q(status="deleted"),
                name="deleted_cart_at",
            ),
            models.Index(
                fields=["deletion_batch"],
                condition=Q(deletion_batch__isnull=False),
                name="deleted_cart_batch",
            ),
            models.Index(
                fields=["deleted_by"], condition=Q(deleted_by__isnull=False), name="deleted_cart_by"
            ),
        ]

    def __str__(self) -> str:
        return f"Cart {self.pk} of {self.customer.customer_number} ({self.status})"


class CartLine(models.Model):
    """One product in a cart. The table leaves a fifth of each page free (migration 0005), so
    a re-price or a quantity change, which touches no indexed column, stays on its page."""

    # Indexed by one_line_per_product_per_cart, which starts with the cart.
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines", db_index=False)
    # Indexed by cart_line_product_cart, which starts with the product.
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="cart_lines", db_index=False
    )
    quantity = models.PositiveIntegerField()
    # The product's price at the cart's level when the line was last priced.
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["id"]
        # The carts holding a product (the list's Product filter), in cart order; it also
        # serves the product's PROTECT check, which the plain index on product did.
        indexes = [models.Index(fields=["product", "cart"], name="cart_line_product_cart")]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "product"], name="one_line_per_product_per_cart"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="cart_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="cart_line_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product.item_id}"

    @property
    def line_total(self) -> Decimal:
        return self.quantity * self.unit_price


class CartEvent(models.Model):
    """One audit entry per cart per action: who, when, what, level and total before and after.

    Entries outlive the cart: a purged cart leaves its history behind (cart set to null,
    cart_number kept).
    """

    class Action(models.TextChoices):
        PRICE_LEVEL_CHANGED = "price_level_changed", "Price level changed"
        REPRICED = "repriced", "Re-priced at current prices"
        DELETED = "deleted", "Deleted"
        RESTORED = "restored", "Restored"
        PURGED = "purged", "Purged"
        REP_CHANGED = "rep_changed", "Rep changed"
        CREATED = "created", "Started by customer"
        CHANGED = "changed", "Changed by customer"
        SUBMITTED = "submitted", "Submitted by customer"
        NOTE_ADDED = "note_added", "Note"
        CONTACTED = "contacted", "Contact"
        FOLLOW_UP_SET = "follow_up_set", "Follow-up date"
        EMAILED = "emailed", "Recovery e-mail"

    # No DB constraint: history outlives carts (cart_number stays), and 100k checks slow COMMIT.
    cart = models.ForeignKey(
        Cart,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        db_constraint=False,
    )
    cart_number = models.BigIntegerField(db_index=True)
    customer_number = models.CharField(max_length=30)
    action = models.CharField(max_length=24, choices=Action.choices)
    # No DB constraint (100k checks slow a bulk action's COMMIT); Django still does SET_NULL.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    level_before = models.PositiveSmallIntegerField(null=True, blank=True)
    level_after = models.PositiveSmallIntegerField(null=True, blank=True)
    total_before = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    total_after = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    detail = models.CharField(max_length=2500, blank=True)  # a note's whole text fits
    # A re-price's entry: each line's unit price before, by line id, for an exact undo.
    line_prices = models.JSONField(null=True, blank=True)
    # The staff run that wrote it (None: the customer's, a rep change); indexed for undo (Meta).
    run = models.ForeignKey(
        "CartRun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        db_index=False,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["run", "action"], condition=Q(run__isnull=False), name="cart_event_run"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_action_display()} cart {self.cart_number} by {self.actor_name or 'system'}"
        )
