import django_filters
from django import forms

from carts.models import Cart
from customers.models import SalesRep
from pricing.models import PriceLevel


class DaysFilter(django_filters.NumberFilter):
    """Whole days, at least or at most, turned into a bound on the underlying timestamp."""

    field_class = forms.IntegerField

    def __init__(self, *args, bound: str, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 100_000)
        super().__init__(*args, **kwargs)
        self.bound = bound

    def filter(self, qs, value):
        if value is None:
            return qs
        if self.bound == "min":
            return qs.days_at_least(self.field_name, value)
        return qs.days_at_most(self.field_name, value)


RANGES = [
    ("days_open_min", "days_open_max", "Days open"),
    ("last_touch_min", "last_touch_max", "Last touch"),
    ("total_min", "total_max", "Order total"),
]


class OpenCartFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        for low, high, label in RANGES:
            low_value, high_value = cleaned.get(low), cleaned.get(high)
            if low_value is not None and high_value is not None and low_value > high_value:
                self.add_error(high, f"{label}: “at most” is less than “at least”.")
        return cleaned


class OpenCartFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Customer",
        method="search",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "Name or customer #", "type": "search"}),
    )
    rep = django_filters.ModelChoiceFilter(
        label="Rep #",
        to_field_name="rep_number",
        method="of_rep",
        queryset=SalesRep.objects.all(),
        empty_label="Any rep",
    )
    price_level = django_filters.ModelChoiceFilter(
        label="Price level", queryset=PriceLevel.objects.all(), empty_label="Any level"
    )
    days_open_min = DaysFilter(label="Days open at least", field_name="created_at", bound="min")
    days_open_max = DaysFilter(label="Days open at most", field_name="created_at", bound="max")
    last_touch_min = DaysFilter(
        label="Last touch at least", field_name="last_touched_at", bound="min"
    )
    last_touch_max = DaysFilter(
        label="Last touch at most", field_name="last_touched_at", bound="max"
    )
    total_min = django_filters.NumberFilter(
        label="Order total at least",
        field_name="total",
        lookup_expr="gte",
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    total_max = django_filters.NumberFilter(
        label="Order total at most",
        field_name="total",
        lookup_expr="lte",
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )

    class Meta:
        model = Cart
        fields = []
        form = OpenCartFilterForm

    def of_rep(self, queryset, name, rep):
        # The cart's own copy of the rep number: indexed, no join.
        return queryset.filter(rep_number=rep.rep_number)

    def search(self, queryset, name, value):
        return queryset.search(value)
