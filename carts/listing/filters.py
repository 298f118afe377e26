import datetime
from typing import Any, Literal

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet

from carts.access import AnyUser
from carts.days import start_of_store_day
from carts.listing.product_filter import ProductFilter
from carts.models import Cart
from carts.querysets import CartQuerySet, scope_of
from customers.models import SalesRep
from pricing.models import PriceLevel


def customer_search() -> django_filters.CharFilter:
    """The customer box both lists filter by: a name or a customer number (`search`)."""
    return django_filters.CharFilter(
        label="Customer",
        method="search",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "Name or customer #", "type": "search"}),
    )


def active_count(filterset: django_filters.FilterSet) -> int:
    """How many of a list's filters the URL sets (its "Filters (N)" button); an empty field is no
    filter."""
    data = filterset.data or {}
    return len([name for name in filterset.filters if str(data.get(name, "")).strip()])


def reps_seen_by(user: AnyUser | None) -> QuerySet[SalesRep]:
    """The reps a person may filter by: every rep, or a sales rep's own (their scope)."""
    return scope_of(user).narrow(SalesRep.objects.all())


def typed_number(inputmode: str) -> forms.TextInput:
    """A text box with a number keypad: unlike <input type="number">, it keeps what was typed
    when that is not a number, so the field can be marked and the typo corrected."""
    return forms.TextInput(attrs={"inputmode": inputmode, "autocomplete": "off"})


class DaysFilter(django_filters.NumberFilter):
    """Whole days, at least or at most, turned into a bound on the underlying timestamp."""

    # Whole days; the stubs allow NumberFilter only a DecimalField, which IntegerField is not.
    field_class = forms.IntegerField  # type: ignore[assignment]

    def __init__(self, *args: Any, bound: Literal["min", "max"], **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 100_000)
        kwargs.setdefault("widget", typed_number("numeric"))
        super().__init__(*args, **kwargs)
        self.bound = bound

    def filter(self, qs: QuerySet[Any], value: int | None) -> QuerySet[Any]:
        if value is None:
            return qs
        # Declared on OpenCartFilter only, each with the timestamp it bounds.
        assert isinstance(qs, CartQuerySet) and self.field_name
        if self.bound == "min":
            return qs.days_at_least(self.field_name, value)
        return qs.days_at_most(self.field_name, value)


# Bounds that keep a day's first instant inside what Python and the database can hold,
# whatever the store's time zone.
EARLIEST_DAY, LATEST_DAY = datetime.date(1900, 1, 1), datetime.date(9999, 12, 30)
DAY_BOUNDS = [MinValueValidator(EARLIEST_DAY), MaxValueValidator(LATEST_DAY)]


class StoreDayFilter(django_filters.DateFilter):
    """A calendar day in the store's time zone, from (that day on) or to (up to its end),
    turned into a bound on the underlying timestamp, which an index serves as the sort does:
    a cart started at 23:30 store time on Oct 31 belongs to Oct 31."""

    def __init__(self, *args: Any, bound: Literal["from", "to"], **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        kwargs.setdefault("validators", DAY_BOUNDS)
        super().__init__(*args, **kwargs)
        self.bound = bound

    def filter(self, qs: QuerySet[Any], value: datetime.date | None) -> QuerySet[Any]:
        if value is None:
            return qs
        if self.bound == "from":
            return qs.filter(**{f"{self.field_name}__gte": start_of_store_day(value)})
        next_day = value + datetime.timedelta(days=1)
        return qs.filter(**{f"{self.field_name}__lt": start_of_store_day(next_day)})


RANGES = [
    ("days_open_min", "days_open_max", "Days open"),
    ("last_touch_min", "last_touch_max", "Last touch"),
    ("total_min", "total_max", "Order total"),
]


STARTED_HINT = (
    "Calendar days, both included, in the store’s time zone, by when the cart was started."
)
TOUCHED_HINT = (
    "Calendar days, both included, in the store’s time zone, by the customer’s last touch."
)
DATE_RANGES = [
    ("started_from", "started_to", "Started"),
    ("touched_from", "touched_to", "Last touch"),
]


class OpenCartFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for ranges, said in (
            (RANGES, "“at most” is less than “at least”"),
            (DATE_RANGES, "“to” is before “from”"),
        ):
            for low, high, label in ranges:
                low_value, high_value = cleaned.get(low), cleaned.get(high)
                if low_value is not None and high_value is not None and low_value > high_value:
                    self.add_error(high, f"{label}: {said}.")
        return cleaned


class OpenCartFilter(django_filters.FilterSet):
    q = customer_search()
    # Choices filled in per request from one query each (see __init__), so validating a
    # chosen rep or level costs no further query.
    rep = django_filters.ChoiceFilter(label="Rep #", method="of_rep", empty_label="Any rep")
    price_level = django_filters.ChoiceFilter(
        label="Price level", field_name="price_level_id", empty_label="Any level"
    )
    days_open_min = DaysFilter(label="Days open at least", field_name="created_at", bound="min")
    days_open_max = DaysFilter(label="Days open at most", field_name="created_at", bound="max")
    last_touch_min = DaysFilter(
        label="Last touch at least", field_name="last_touched_at", bound="min"
    )
    last_touch_max = DaysFilter(
        label="Last touch at most", field_name="last_touched_at", bound="max"
    )
    started_from = StoreDayFilter(label="Started from", field_name="created_at", bound="from")
    started_to = StoreDayFilter(label="Started to", field_name="created_at", bound="to")
    touched_from = StoreDayFilter(
        label="Last touch from", field_name="last_touched_at", bound="from"
    )
    touched_to = StoreDayFilter(label="Last touch to", field_name="last_touched_at", bound="to")
    total_min = django_filters.NumberFilter(
        label="Order total at least",
        field_name="total",
        lookup_expr="gte",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=typed_number("decimal"),
    )
    total_max = django_filters.NumberFilter(
        label="Order total at most",
        field_name="total",
        lookup_expr="lte",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=typed_number("decimal"),
    )

    follow_up_due = django_filters.BooleanFilter(
        label="Follow-up due (today or earlier)", method="due", widget=forms.CheckboxInput
    )
    never_contacted = django_filters.BooleanFilter(
        label="Never contacted", method="not_contacted", widget=forms.CheckboxInput
    )
    emailed = django_filters.BooleanFilter(
        label="E-mailed", method="was_emailed", widget=forms.CheckboxInput
    )
    never_emailed = django_filters.BooleanFilter(
        label="Never e-mailed", method="not_emailed", widget=forms.CheckboxInput
    )
    prices_out_of_date = django_filters.BooleanFilter(
        label="Prices out of date", method="stale", widget=forms.CheckboxInput
    )
    product = ProductFilter()

    class Meta:
        model = Cart
        fields: list[str] = []
        form = OpenCartFilterForm

    def __init__(
        self,
        *args: Any,
        levels: list[PriceLevel] | None = None,
        user: AnyUser | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.levels = list(PriceLevel.objects.all()) if levels is None else levels
        rep_field, level_field = self.form.fields["rep"], self.form.fields["price_level"]
        assert isinstance(rep_field, forms.ChoiceField)
        assert isinstance(level_field, forms.ChoiceField)
        # Rep numbers to names: the choices, and the insight's rep rows (no query of their own).
        self.rep_names = dict(reps_seen_by(user).values_list("rep_number", "name"))
        rep_field.choices = [
            ("", "Any rep"),
            *((str(number), f"{number} – {name}") for number, name in self.rep_names.items()),
        ]
        level_field.choices = [
            ("", "Any level"),
            *((str(level.number), str(level)) for level in self.levels),
        ]

    def of_rep(self, queryset: CartQuerySet, name: str, rep_number: str) -> CartQuerySet:
        # The cart's own copy of the rep number: indexed, no join.
        return queryset.filter(rep_number=int(rep_number))

    def search(self, queryset: CartQuerySet, name: str, value: str) -> CartQuerySet:
        return queryset.search(value)

    def due(self, queryset: CartQuerySet, name: str, value: bool) -> CartQuerySet:
        return queryset.follow_up_due() if value else queryset

    def not_contacted(self, queryset: CartQuerySet, name: str, value: bool) -> CartQuerySet:
        return queryset.never_contacted() if value else queryset

    def was_emailed(self, queryset: CartQuerySet, name: str, value: bool) -> CartQuerySet:
        return queryset.emailed() if value else queryset

    def not_emailed(self, queryset: CartQuerySet, name: str, value: bool) -> CartQuerySet:
        return queryset.emailed(ever=False) if value else queryset

    def stale(self, queryset: CartQuerySet, name: str, value: bool) -> CartQuerySet:
        # The rows the triggers keep (carts.stale): a small table, by its primary key.
        return queryset.prices_out_of_date() if value else queryset

    @property
    def qs(self) -> CartQuerySet:
        """The matching carts: filtering keeps the class of the queryset given."""
        carts = super().qs
        assert isinstance(carts, CartQuerySet)
        return carts
