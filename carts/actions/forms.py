from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from carts.listing.filters import OpenCartFilter
from carts.models import Cart
from carts.querysets import CartQuerySet
from pricing.models import PriceLevel

# More ids than the largest page can hold means a forged post: use "select all" instead.
MAX_POSTED_IDS = 100
NOT_A_CART = "The selection contains something that is not a cart; nothing was changed."
ACTIONS = {"change_price_level": "Change Price Level", "delete": "Delete Order"}


class CartIdsField(forms.Field):
    """A list of cart ids, as the check boxes post them."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Sequence[str] | None) -> list[int]:
        if not value:
            return []
        if len(value) > MAX_POSTED_IDS:
            raise forms.ValidationError(
                f"Too many carts selected at once ({len(value)}); the most is {MAX_POSTED_IDS}. "
                "To act on every matching cart, use “Select all matching carts”."
            )
        try:
            ids = sorted({int(v) for v in value})
        except (TypeError, ValueError):
            raise forms.ValidationError(NOT_A_CART) from None
        if any(pk <= 0 or pk > 2**63 - 1 for pk in ids):
            raise forms.ValidationError(NOT_A_CART)
        return ids


class SelectionForm(forms.Form):
    """Which carts an action is for: ticked ids, or every cart matching the list's filters."""

    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    cart = CartIdsField(required=False)
    select_across = forms.BooleanField(required=False, widget=forms.HiddenInput)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def clean_query(self) -> str:
        # Re-encoded, so it can go back into a URL and a header as it is.
        return QueryDict(self.cleaned_data["query"]).urlencode()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors and not cleaned.get("cart") and not cleaned.get("select_across"):
            raise forms.ValidationError("Select at least one cart first.")
        if cleaned.get("select_across"):
            query = QueryDict(cleaned.get("query", ""))
            filters = OpenCartFilter(query, queryset=Cart.objects.open())
            if not filters.is_valid():
                raise forms.ValidationError("The list’s filters are not valid; nothing changed.")
            cleaned["filters"] = filters
        return cleaned

    def carts(self) -> CartQuerySet:
        """The selection, re-scoped to open carts whatever was posted."""
        if self.cleaned_data.get("select_across"):
            filters: OpenCartFilter = self.cleaned_data["filters"]
            return filters.qs
        return Cart.objects.open().filter(pk__in=self.cleaned_data["cart"])


class PriceLevelForm(forms.Form):
    price_level = forms.ModelChoiceField(
        queryset=PriceLevel.objects.filter(is_active=True),
        empty_label=None,
        label="New price level",
        error_messages={"invalid_choice": "Choose one of the active price levels."},
    )
    also_customer = forms.BooleanField(
        required=False, label="Also make this the customer’s assigned price level"
    )

    @property
    def levels(self) -> QuerySet[PriceLevel]:
        """The levels the chooser offers: every active one, unless narrowed for one cart."""
        field = self.fields["price_level"]
        assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
        return field.queryset

    @levels.setter
    def levels(self, levels: QuerySet[PriceLevel]) -> None:
        field = self.fields["price_level"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = levels
