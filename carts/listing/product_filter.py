"""The list's "Product" filter: the carts holding one product, named by its item id."""

from typing import Any

import django_filters
from django import forms

from carts.querysets import CartQuerySet
from pricing.models import Product

NO_SUCH_PRODUCT = "No product has the item id “%(value)s”."


class ProductFilter(django_filters.ModelChoiceFilter):
    """By item id (`?product=ABC-123`): a text box, checked against the products in one query;
    an unknown or malformed id is the field's error, never a 500."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label="Product",
            queryset=Product.objects.all(),
            to_field_name="item_id",
            method=self.holding,
            widget=forms.TextInput(attrs={"placeholder": "Item id", "autocomplete": "off"}),
            error_messages={"invalid_choice": NO_SUCH_PRODUCT},
            **kwargs,
        )

    @staticmethod
    def holding(queryset: CartQuerySet, name: str, product: Product | None) -> CartQuerySet:
        return queryset if product is None else queryset.holding(product.pk)
