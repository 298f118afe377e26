"""The store set-up for sales reps and customers.

Saving a customer with another rep, or a rep with another number, moves the rep number their
carts carry: the database does that (triggers, `carts.services.reps`) and records it under the
name `acting_as` gives it, the signed-in person's.
"""

from typing import TypeVar

from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from customers.audit import acting_as
from customers.models import Customer, SalesRep
from customers.resources import CustomerResource, SalesRepResource
from pricing.admin import CheckedAutocompleteMixin
from pricing.setup_io import SetupImportExportMixin

M = TypeVar("M", bound=Model)


class ActingAdmin(admin.ModelAdmin[M]):
    """Saves in the name of the signed-in person, for what the database records."""

    def save_model(self, request: HttpRequest, obj: M, form: ModelForm[M], change: bool) -> None:
        assert request.user.is_authenticated  # the admin site lets in signed-in staff only
        with acting_as(request.user):
            super().save_model(request, obj, form, change)


@admin.display(description="Active", boolean=True, ordering="is_active")
def active(row: SalesRep | Customer) -> bool:
    """A narrow "Active" column (the field's own header, "Is active", was the widest word)."""
    return row.is_active


@admin.register(SalesRep)
class SalesRepAdmin(SetupImportExportMixin, ActingAdmin[SalesRep]):
    resource_classes = [SalesRepResource]
    list_display = ["rep_number", "name", "email", active]
    list_filter = ["is_active"]
    search_fields = ["rep_number", "name", "email"]
    # The staff log-in who works as this rep (README, Roles): they see these customers' carts.
    raw_id_fields = ["user"]


@admin.register(Customer)
class CustomerAdmin(SetupImportExportMixin, CheckedAutocompleteMixin, ActingAdmin[Customer]):
    resource_classes = [CustomerResource]
    list_display = ["number", "name", "price_level", "sales_rep", active]
    list_filter = ["sales_rep", "price_level", "is_active"]
    list_select_related = ["price_level", "sales_rep"]
    search_fields = ["name", "customer_number"]
    autocomplete_fields = ["price_level", "sales_rep"]
    raw_id_fields = ["user"]

    @admin.display(description="Customer #", ordering="customer_number")
    def number(self, customer: Customer) -> str:
        return customer.customer_number
