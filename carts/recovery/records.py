"""The recovery record: one per recovered order, written by `carts.recovery.attribution` in the
submit's own transaction, and never changed after (migration: a trigger refuses an UPDATE)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet

from carts.followup.records import CartContact
from carts.mail.records import RecoveryEmail

# The contact kinds that count as staff follow-up: a call, an e-mail, a visit ("other" does not).
RECOVERING_KINDS = ("phone", "email", "visit")
# A recovery e-mail the mail server never took is no follow-up: still queued or sending, or
# refused. One it may have taken (not confirmed) counts, as the customer may have read it.
NOT_DELIVERED = (
    RecoveryEmail.Status.QUEUED,
    RecoveryEmail.Status.SENDING,
    RecoveryEmail.Status.FAILED,
)


def follow_up_contacts() -> QuerySet[CartContact]:
    """The contacts that count as staff follow-up, for a recovery's credit and the rate alike:
    calls, visits and e-mails that reached (or may have reached) the customer."""
    return CartContact.objects.filter(kind__in=RECOVERING_KINDS).exclude(
        recovery_email__status__in=NOT_DELIVERED
    )


class CartRecovery(models.Model):
    """An order recovered by follow-up: who and which rep it is credited to, the contact that
    did it, and what the order was worth, all as they were at the submit."""

    # The order itself. DO_NOTHING, as for the contact: only deleted carts are purged, never an
    # order, and the foreign keys make the database refuse anything else. (A cascade would
    # UPDATE or look up this table on every purge; the trigger refuses updates.)
    cart = models.OneToOneField(
        "carts.Cart", on_delete=models.DO_NOTHING, primary_key=True, related_name="recovery"
    )
    # The last recovering contact before the submit.
    contact = models.ForeignKey("carts.CartContact", on_delete=models.DO_NOTHING, related_name="+")
    contact_kind = models.CharField(max_length=10, choices=CartContact.Kind.choices)
    contacted_at = models.DateTimeField()
    # No constraint: a user deleted later leaves the credit (and its name) as it was.
    credited_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # As the contact named its author then: a user renamed later does not rewrite the credit.
    credited_user_name = models.CharField(max_length=150)
    # The rep credited: the one linked to the contact's author, else the cart's rep at the
    # submit. Named `rep_number` so the one scope (carts.querysets.Scope) narrows it as carts.
    rep_number = models.PositiveIntegerField("rep #")
    rep_name = models.CharField(max_length=100)
    submitted_at = models.DateTimeField()
    order_number = models.PositiveIntegerField("order #")
    total = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(max_length=3)

    class Meta:
        ordering = ["-submitted_at", "-cart_id"]
        indexes = [
            # The Recovery page's months and the orders list by date, with what it sums.
            models.Index(
                fields=["submitted_at"],
                name="recovery_submitted",
                include=["rep_number", "total", "currency"],
            ),
            models.Index(fields=["rep_number", "submitted_at"], name="recovery_rep_submitted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_kind__in=RECOVERING_KINDS), name="recovery_kind_recovering"
            ),
            models.CheckConstraint(
                condition=Q(contacted_at__lte=models.F("submitted_at")),
                name="recovery_contact_before_submit",
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="recovery_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Order {self.order_number} recovered by {self.credited_user_name}"
