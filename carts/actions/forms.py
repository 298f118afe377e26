from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.http import QueryDict

from carts.actions.declarations import on_screen
from carts.listing.filters import OpenCartFilter
from carts.models import Cart
from carts.querysets import CartQuerySet

# More ids than the largest page can hold means a forged post: use "select all" instead.
MAX_POSTED_IDS = 100
NOT_A_CART = "The selection contains something that is not a cart; nothing was changed."


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
    """Which carts an action is for (one of the declared actions Open Carts offers): ticked
    ids, or every cart matching the list's filters, among the carts `user` may see."""

    action = forms.ChoiceField(choices=[(action.name, action.label) for action in on_screen()])
    cart = CartIdsField(required=False)
    select_across = forms.BooleanField(required=False, widget=forms.HiddenInput)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, data: QueryDict, *, user: User) -> None:
        super().__init__(data)
        self.user = user

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
            carts = Cart.objects.visible_to(self.user).open()
            filters = OpenCartFilter(query, queryset=carts, user=self.user)
            if not filters.is_valid():
                raise forms.ValidationError("The list’s filters are not valid; nothing changed.")
            cleaned["filters"] = filters
        return cleaned

    def carts(self) -> CartQuerySet:
        """The selection, re-scoped to the open carts the user may see, whatever was posted."""
        if self.cleaned_data.get("select_across"):
            filters: OpenCartFilter = self.cleaned_data["filters"]
            return filters.qs
        return Cart.objects.visible_to(self.user).open().filter(pk__in=self.cleaned_data["cart"])
