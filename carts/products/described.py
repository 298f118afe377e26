"""The Open Carts filters a products page carries: in its links, and in words at its head."""

from django import forms
from django.http import QueryDict

from carts.listing.filters import OpenCartFilter


def filters_of(params: QueryDict) -> dict[str, str]:
    """The list's filters in `params`, as given (no sort, page or page size): what the links
    between the list and the products page carry."""
    given = {name: str(params.get(name) or "").strip() for name in OpenCartFilter.base_filters}
    return {name: value for name, value in given.items() if value}


def described_filters(filterset: OpenCartFilter) -> list[str]:
    """Each filter in use, in words: "Rep #: 101 – Dana Whitfield", "Never contacted"."""
    if not filterset.is_bound:
        return []
    described = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", False):
            continue
        field = filterset.form.fields[name]
        if value is True:
            described.append(str(field.label))
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            labels = {str(key): label for key, label in field.choices}  # type: ignore[misc, union-attr]
            described.append(f"{field.label}: {labels.get(str(value), value)}")
        else:
            described.append(f"{field.label}: {value}")
    return described
