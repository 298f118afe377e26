from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from pricing.models import CODE_PATTERN, PriceLevel, code_validator


class SalesRep(models.Model):
    rep_number = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    # The staff user who works as this rep: without carts.view_all_carts they see this rep's
    # customers' carts only (carts.querysets.scope_of). SET_NULL: deleting the user keeps the rep.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sales_rep",
        limit_choices_to={"is_staff": True},
        help_text="The staff log-in of this rep. Without “Can see every rep's carts” that user "
        "sees this rep's customers' carts only.",
    )

    class Meta:
        ordering = ["rep_number"]

    def __str__(self) -> str:
        return f"{self.rep_number} – {self.name}"

    def clean(self) -> None:
        if self.user_id and self.user is not None and not self.user.is_staff:
            raise ValidationError(
                {"user": "A rep's log-in is a staff account (tick “Staff status” on the user)."}
            )


class Customer(models.Model):
    customer_number = models.CharField(max_length=30, unique=True, validators=[code_validator])
    name = models.CharField(max_length=100)
    contact_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    # PROTECT: a level or rep still in use cannot be deleted.
    price_level = models.ForeignKey(PriceLevel, on_delete=models.PROTECT, related_name="customers")
    sales_rep = models.ForeignKey(SalesRep, on_delete=models.PROTECT, related_name="customers")
    is_active = models.BooleanField(default=True)
    # The store-side log-in. A customer's user is never staff (see clean() and customers.access).
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customer",
        help_text="The store log-in of this customer's buyer; never a staff account.",
    )

    class Meta:
        ordering = ["name"]
        # Open Carts sorts by customer name with the customer's id as tie-breaker (a customer
        # has one open cart): this index serves that sort and its keyset paging.
        indexes = [models.Index(fields=["name", "id"], name="customer_name_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(customer_number__regex=CODE_PATTERN), name="customer_number_chars"
            ),
            # C10001 and c10001 are one customer to staff, to search and to the audit trail.
            models.UniqueConstraint(
                Lower("customer_number"),
                name="customer_number_unique_ignoring_case",
                violation_error_message=(
                    "Another customer has this number (customer numbers ignore upper and lower "
                    "case)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.customer_number})"

    def clean(self) -> None:
        if self.user_id and self.user is not None and self.user.is_staff:
            raise ValidationError({"user": "A staff account cannot be a customer's store log-in."})
