"""The exports' audit trail in the Django admin, read-only."""

from django.contrib import admin

from carts.export.records import CartExport
from common.admin_dates import date_and_time_column
from common.read_only_admin import ReadOnlyAdminMixin


@admin.register(CartExport)
class CartExportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[CartExport]):
    """Who exported which list, with which filters, and how many rows went out."""

    list_display = ["when", "actor_name", "list", "format", "with_lines", "rows", "completed"]
    list_filter = ["list", "format", "completed"]
    search_fields = ["actor_name", "filters"]
    actions = None
    when = date_and_time_column("started_at", "When")
    fields = readonly_fields = (
        "actor",
        "actor_name",
        "started_at",
        "finished_at",
        "list",
        "format",
        "with_lines",
        "filters",
        "rows",
        "completed",
    )
