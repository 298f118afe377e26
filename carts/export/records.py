"""The audit trail of exports: who downloaded which list, with which filters, and how many rows.
An export changes no cart, so it is no CartEvent (one per cart); it is one row per download."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CartExport(models.Model):
    class List(models.TextChoices):
        OPEN = "open", "Open Carts"
        DELETED = "deleted", "Recently deleted"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (.xlsx)"

    # No DB constraint, as on CartEvent: the record outlives the account.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(max_length=150)
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    list = models.CharField(max_length=10, choices=List.choices)
    format = models.CharField(max_length=10, choices=Format.choices)
    with_lines = models.BooleanField(default=False)
    # The list's filters and sort as the URL gave them, e.g. "rep=101&sort=-total".
    filters = models.CharField(max_length=2000, blank=True)
    # Rows written so far: the carts (or cart lines) in the file once it is complete.
    rows = models.BigIntegerField(default=0)
    # False until the whole file was sent: a download stopped half-way stays False.
    completed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_list_display()} export by {self.actor_name}, {self.rows} rows"
