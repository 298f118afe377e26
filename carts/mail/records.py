"""The recovery e-mail records: the store's templates, and one row per e-mail (its intent, then
its delivery), beside the append-only contact (CartContact, kind "email") that puts it in the
cart's follow-up."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

NAME_MAX_LENGTH = 100
SUBJECT_MAX_LENGTH = 200
REASON_MAX_LENGTH = 500


class RecoveryTemplate(models.Model):
    """A recovery e-mail as the store writes it in Store set-up: plain text with placeholders
    (carts.mail.sandbox); the HTML part is made from the same text."""

    name = models.CharField(max_length=NAME_MAX_LENGTH, unique=True)
    subject = models.CharField(max_length=SUBJECT_MAX_LENGTH)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "recovery e-mail template"

    def __str__(self) -> str:
        return self.name


class RecoveryEmail(models.Model):
    """One recovery e-mail to one customer about one cart, from its intent to its result.

    The row is written (QUEUED) with its contact in the run's chunk, and committed, before any
    e-mail goes out. A sender then claims it (SENDING) in a transaction of its own, sends, and
    records SENT or FAILED (with the reason). A row left SENDING was claimed by a worker that
    stopped mid-send: whether the server took it is not known, so it is marked UNKNOWN and
    never sent again (carts.mail.sending explains why)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent"
        UNKNOWN = "unknown", "Not confirmed"

    contact = models.OneToOneField(
        "carts.CartContact", on_delete=models.CASCADE, related_name="recovery_email"
    )
    cart = models.ForeignKey("carts.Cart", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    run = models.ForeignKey(
        "carts.CartRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    template = models.ForeignKey(
        RecoveryTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # As the template and the address were then: a later edit does not rewrite history.
    template_name = models.CharField(max_length=NAME_MAX_LENGTH)
    to = models.EmailField()
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When a sender claimed it (the rate limit counts these), and when the server took it.
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "recovery e-mail"
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="recovery_email_customer"),
            models.Index(fields=["cart", "-created_at"], name="recovery_email_cart"),
            models.Index(fields=["run", "status"], name="recovery_email_run"),
            # The few not sent yet (queued, or mid-send): what a stopped request left (`unsent`).
            models.Index(
                fields=["run"],
                condition=Q(status__in=["queued", "sending"]),
                name="recovery_email_unsent",
            ),
            models.Index(
                fields=["attempted_at"],
                condition=Q(attempted_at__isnull=False),
                name="recovery_email_attempted",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed", "unknown"]),
                name="recovery_email_status_known",
            )
        ]

    def __str__(self) -> str:
        return f"Recovery e-mail to {self.to} about cart {self.cart_id} ({self.status})"
