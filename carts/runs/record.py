"""The run record: one run of a staff action, inline or as a job (`CartRun`, a model of the carts
app, imported by `carts.models`)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pricing.models import PriceLevel
from pricing.money import CurrencyTotal


class CartRun(models.Model):
    """One run of a staff action, whatever its size: who started it, which action on which carts
    (the selection frozen, its ids sorted), how far it has got and what it did.

    An action on up to CART_ACTION_INLINE_LIMIT carts runs inline: one chunk, in the request's
    transaction. More run as a job: a task worker (or a command, in its own process) takes
    them CART_JOB_CHUNK at a time, one transaction each, through the same service
    (`carts.runs.jobs`); `position` counts the ids whose chunks have committed, so a job picks
    up after its last finished chunk. Every audit entry of a run points to it (`CartEvent.run`),
    which is how an undo finds exactly the carts the run changed. The status lives here only:
    "rolled back" is not stored, it is an undo run (`undoes`) that finished.
    """

    class Mode(models.TextChoices):
        INLINE = "inline", "In the request"
        JOB = "job", "As a job"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Stopped by an error"

    # The name of a declared staff action (carts.actions.declarations), which says the rest.
    action = models.CharField(max_length=24)
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.INLINE)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    # None: the store itself (a policy, a command run by cron), which sees every cart.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Written with every chunk: a running job whose heartbeat stops has lost its worker.
    heartbeat_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    cart_ids = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    # Carts no longer in the state the action needs (submitted, deleted, restored meanwhile).
    left_alone = models.PositiveIntegerField(default=0)
    # Carts a re-price's leave-out kept out of the selection (products with no price there).
    left_out = models.PositiveIntegerField(default=0)
    # Carts the service refused by name (a restore whose customer has a new cart); the first
    # REFUSALS_KEPT of those names in `refused`.
    refused_count = models.PositiveIntegerField(default=0)
    refused = models.JSONField(default=list, blank=True)
    # Count and value before of the carts changed, per currency: {"USD": [carts, "amount"]}.
    values = models.JSONField(default=dict, blank=True)
    # Their value after, all together (a re-price: in its level's currency).
    value_after = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0"))
    price_level = models.ForeignKey(
        PriceLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A one-cart re-price that also moves the customer to the level.
    also_customer = models.BooleanField(default=False)
    # A deletion's one batch for all its chunks: Recently deleted groups its carts by it.
    batch = models.UUIDField(null=True, blank=True, default=uuid.uuid4)
    # A purge: carts deleted before this moment.
    before = models.DateTimeField(null=True, blank=True)
    # Set Follow-up Date: the date it sets (None: it clears the date).
    follow_up_on = models.DateField(null=True, blank=True)
    # E-mail customer: the template it sends, and whether customers e-mailed within
    # RECOVERY_EMAIL_MIN_DAYS get it again.
    email_template = models.ForeignKey(
        "carts.RecoveryTemplate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    send_again = models.BooleanField(default=False)
    # Why, when no person chose the carts (a stale-cart policy); also on each audit entry.
    reason = models.CharField(max_length=200, blank=True)
    undoes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="undone_by"
    )
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="cart_run_status"),
            # The Jobs page: the latest job runs.
            models.Index(fields=["created_at", "id"], condition=Q(mode="job"), name="cart_run_job"),
        ]
        constraints = [
            # One undo per run: two clicks on Undo (or Roll back), however close, make one; an
            # undo that stopped is resumed, never started again beside a second one.
            models.UniqueConstraint(
                fields=["undoes"], condition=Q(undoes__isnull=False), name="one_undo_per_run"
            ),
        ]

    def __str__(self) -> str:
        return f"Run {self.pk}: {self.action} ({self.get_status_display()})"

    @property
    def is_job(self) -> bool:
        return self.mode == self.Mode.JOB

    @property
    def name(self) -> str:
        """How the screens name it: "Job 12" for a job, "Run 12" for an inline run."""
        return f"{'Job' if self.is_job else 'Run'} {self.pk}"

    def totals(self) -> list[CurrencyTotal]:
        """The carts changed so far and their value before, per currency."""
        return [
            CurrencyTotal(currency, carts, Decimal(value))
            for currency, (carts, value) in sorted(self.values.items())
        ]
