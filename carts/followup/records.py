"""The follow-up records: append-only notes and contacts, each kept with its cart through
delete, restore and submit (and gone only with a purge, their audit entries staying)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone

NOTE_MAX_LENGTH = 2000
OUTCOME_MAX_LENGTH = 200


class CartNote(models.Model):
    """What a member of staff wrote down about a cart. Nobody edits or deletes one: the
    database refuses an UPDATE (migration 0012)."""

    cart = models.ForeignKey("carts.Cart", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # As the author was named then: a user deleted or renamed later does not rewrite it.
    author_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["cart", "-created_at"], name="cart_note_cart")]
        constraints = [
            models.CheckConstraint(
                condition=Q(GreaterThan(Length("text"), 0))
                & Q(LessThanOrEqual(Length("text"), NOTE_MAX_LENGTH)),
                name="cart_note_length",
            )
        ]

    def __str__(self) -> str:
        return f"Note on cart {self.cart_id} by {self.author_name}"


class CartContact(models.Model):
    """A contact with the customer about a cart: when, how, and what came of it."""

    class Kind(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "E-mail"
        VISIT = "visit", "Visit"
        OTHER = "other", "Other"

    cart = models.ForeignKey("carts.Cart", on_delete=models.CASCADE, related_name="contacts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    contacted_at = models.DateTimeField()
    outcome = models.CharField(max_length=OUTCOME_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The rep the contact counts for on the Recovery page and in its credit: the one linked to
    # the author, else the cart's, when it was recorded. Set by a database trigger on insert
    # (migration 0019), whoever inserts; never given here.
    rep_number = models.PositiveIntegerField("rep #", null=True, editable=False)

    class Meta:
        ordering = ["-contacted_at", "-id"]
        indexes = [
            models.Index(fields=["cart", "-contacted_at"], name="cart_contact_cart"),
            # The Recovery page's contacted carts in a period, by month and by rep, on the index.
            models.Index(
                fields=["contacted_at"],
                name="cart_contact_when",
                include=["cart", "rep_number", "kind"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["phone", "email", "visit", "other"]),
                name="cart_contact_kind_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} about cart {self.cart_id} by {self.author_name}"
