from django.contrib import admin

from customers.models import Customer, SalesRep


@admin.register(SalesRep)
class SalesRepAdmin(admin.ModelAdmin):
    list_display = ["rep_number", "name", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["rep_number", "name", "email"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["customer_number", "name", "price_level", "sales_rep", "is_active"]
    list_filter = ["sales_rep", "price_level", "is_active"]
    list_select_related = ["price_level", "sales_rep"]
    search_fields = ["name", "customer_number"]
    autocomplete_fields = ["price_level", "sales_rep"]
    raw_id_fields = ["user"]
