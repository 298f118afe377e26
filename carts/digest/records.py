"""One row per rep per store day: claimed before the digest is sent, so a run again that day
never sends it twice (carts.digest.sending says what a crash mid-send costs)."""

from django.db import models
from django.utils import timezone


class RepDigest(models.Model):
    class State(models.TextChoices):
        # Claimed, being sent; left so only by a run killed mid-send (never sent again).
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    rep = models.ForeignKey("customers.SalesRep", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.SENDING)
    # When the figures were read: the next digest's "new carts since the last digest".
    as_of = models.DateTimeField(default=timezone.now)
    sent_to = models.EmailField()
    items = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "rep_id"]
        constraints = [
            models.UniqueConstraint(fields=["rep", "day"], name="one_digest_per_rep_per_day"),
            models.CheckConstraint(
                condition=models.Q(state__in=["sending", "sent"]), name="rep_digest_state_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Digest of rep {self.rep_id} for {self.day} ({self.state})"
