from django import forms

from carts.services.customer import MAX_QUANTITY
from pricing.models import Product


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(
        min_value=1,
        max_value=MAX_QUANTITY,
        error_messages={
            "invalid": "Enter a whole number.",
            "required": "Enter a quantity.",
        },
    )


class AddToCartForm(QuantityForm):
    product = forms.ModelChoiceField(
        queryset=Product.objects.filter(is_active=True),
        error_messages={"invalid_choice": "That product is not in the catalog."},
    )


class SubmitForm(forms.Form):
    cart = forms.IntegerField(min_value=1, max_value=2**63 - 1)
