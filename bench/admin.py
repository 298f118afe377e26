"""The Django admin changelist for the same open carts, set up as a competent developer would.

Two bench-only sites (25 and 100 rows a page: the admin has no page-size parameter), never in
the app's URLs. The stock full-result count stays on (`show_full_result_count`), as a
developer who did not tune it would leave it; the app's own store set-up turns it off.
"""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from carts.models import Cart


class OpenCartAdmin(admin.ModelAdmin[Cart]):
    # The Open Carts columns the admin can show: Days Open and Last Touch as their timestamps.
    list_display = [
        "id",
        "created_at",
        "customer__name",
        "customer__customer_number",
        "price_level",
        "rep_number",
        "total",
        "last_touched_at",
    ]
    list_select_related = ["customer", "price_level"]
    list_filter = ["price_level", "rep_number"]
    search_fields = ["customer__name", "=customer__customer_number"]
    ordering = ["-created_at", "-id"]
    list_per_page = 25

    def get_queryset(self, request: HttpRequest) -> QuerySet[Cart]:
        return super().get_queryset(request).filter(status=Cart.Status.OPEN)


class OpenCartAdmin100(OpenCartAdmin):
    list_per_page = 100


site = admin.AdminSite(name="bench_admin")
site.register(Cart, OpenCartAdmin)
site_100 = admin.AdminSite(name="bench_admin_100")
site_100.register(Cart, OpenCartAdmin100)
