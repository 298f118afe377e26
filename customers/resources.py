"""The files of sales reps and customers, for import and export in the store set-up
(pricing.setup_io). A customer's price level is its number, their rep the rep's number, a
rep's log-in its username.

An import that moves customers to another rep moves their carts' rep numbers as the customer
admin does: the database's rep triggers (carts.services.reps), with the audit entries naming
the person importing (`acting_as`).
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from import_export.fields import Field

from customers.audit import acting_as
from customers.models import Customer, SalesRep
from pricing.models import PriceLevel
from pricing.setup_io import KeyWidget, SetupResource


class SalesRepResource(SetupResource):
    username = Field(
        attribute="user",
        column_name="username",
        widget=KeyWidget(get_user_model(), "username", "user named"),
    )
    required_columns = ("rep_number", "name")

    class Meta(SetupResource.Meta):
        model = SalesRep
        name = "Sales reps"
        fields = ("rep_number", "name", "email", "username", "is_active")
        import_id_fields = ("rep_number",)


class CustomerResource(SetupResource):
    price_level = Field(
        attribute="price_level",
        column_name="price_level",
        widget=KeyWidget(PriceLevel, "number", "price level"),
    )
    rep_number = Field(
        attribute="sales_rep",
        column_name="rep_number",
        widget=KeyWidget(SalesRep, "rep_number", "sales rep with rep number"),
    )
    required_columns = ("customer_number", "name", "price_level", "rep_number")

    class Meta(SetupResource.Meta):
        model = Customer
        name = "Customers"
        fields = (
            "customer_number",
            "name",
            "contact_name",
            "email",
            "phone",
            "price_level",
            "rep_number",
            "is_active",
        )
        import_id_fields = ("customer_number",)

    def get_queryset(self) -> Any:
        return Customer.objects.select_related("price_level", "sales_rep").order_by(
            "customer_number"
        )

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self.rows_of_number: dict[str, int] = {}

    def import_instance(self, instance: Customer, row: Any, **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        # C10001 and c10001 are one customer (the case-blind unique constraint): twice in a
        # file is a mistake, whichever way it is spelled.
        number = str(instance.customer_number or "").lower()
        earlier = self.rows_of_number.setdefault(number, kwargs.get("row_number", 0))
        if earlier != kwargs.get("row_number", 0):
            raise ValidationError(
                {
                    "customer_number": f"Row {earlier} has this customer number too (customer "
                    "numbers ignore upper and lower case)."
                }
            )

    def import_data(self, dataset: Any, *args: Any, **kwargs: Any) -> Any:
        user = kwargs.get("user")
        if user is None or not user.is_authenticated:
            return super().import_data(dataset, *args, **kwargs)
        with acting_as(user):
            return super().import_data(dataset, *args, **kwargs)
