"""Recently deleted: the deleted carts that can still come back, their filters, and the Delete
Order batches they went in. Restoring them is `carts.deleted.restoring`."""

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

from carts.access import (
    AnyUser,
    AuthenticatedHttpRequest,
    may_delete_carts,
    may_view_carts,
    staff_required,
)
from carts.days import store_datetime
from carts.deleted.tables import DeletedCartsTable, classed, exported
from carts.listing.columns import Items, Number, items_html
from carts.listing.filters import (
    DaysFilter,
    StoreDayFilter,
    active_count,
    customer_search,
    reps_seen_by,
)
from carts.listing.paging import show_page
from carts.listing.tables import SelectColumn
from carts.models import Cart
from carts.querysets import CartQuerySet
from carts.services.audit import actor_name
from carts.text import carts_count

RECENT_BATCHES = 10


class DeletedCartFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        super().clean()
        since, until = self.cleaned_data.get("deleted_from"), self.cleaned_data.get("deleted_to")
        if since and until and since > until:
            self.add_error("deleted_to", "Deleted: “to” is before “from”.")
        return self.cleaned_data


class DeletedCartFilter(django_filters.FilterSet):
    """Who deleted, when (from/to days or within the last N days), customer, rep."""

    q = customer_search()
    # Choices filled per request from one query each (see __init__).
    deleted_by = django_filters.ChoiceFilter(
        label="Deleted by", method="by_user", empty_label="Anyone"
    )
    rep = django_filters.ChoiceFilter(label="Rep #", method="of_rep", empty_label="Any rep")
    within_days = DaysFilter(label="within the last (days)", field_name="deleted_at", bound="max")
    deleted_from = StoreDayFilter(label="from", field_name="deleted_at", bound="from")
    deleted_to = StoreDayFilter(label="to", field_name="deleted_at", bound="to")

    class Meta:
        model = Cart
        fields: list[str] = []
        form = DeletedCartFilterForm

    def __init__(self, *args: Any, user: AnyUser | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deleter_names = {person.pk: actor_name(person) for person in deleters(user)}
        self._choose("deleted_by", [(str(pk), name) for pk, name in self.deleter_names.items()])
        reps = reps_seen_by(user).values_list("rep_number", "name")
        self._choose("rep", [(str(number), f"{number} – {name}") for number, name in reps])

    def _choose(self, name: str, choices: list[tuple[str, str]]) -> None:
        # The field puts its empty_label ("Anyone", "Any rep") first.
        field = self.form.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def search(self, carts: CartQuerySet, name: str, value: str) -> CartQuerySet:
        return carts.search(value)

    def by_user(self, carts: CartQuerySet, name: str, value: str) -> CartQuerySet:
        return carts.filter(deleted_by_id=int(value))

    def of_rep(self, carts: CartQuerySet, name: str, value: str) -> CartQuerySet:
        return carts.filter(rep_number=int(value))

    @property
    def qs(self) -> CartQuerySet:
        carts = super().qs
        assert isinstance(carts, CartQuerySet)
        return carts


def deleters(user: AnyUser | None) -> list[User]:
    """The people who deleted carts `user` may see that can still be restored, in one query."""
    deleted = Cart.objects.visible_to(user).restorable().filter(deleted_by__isnull=False)
    return list(User.objects.filter(pk__in=deleted.values("deleted_by")).order_by("username"))


def restorable_list(user: AnyUser | None = None) -> CartQuerySet:
    """The restorable carts `user` may see (None: the store itself, every cart), with what the
    Recently deleted table shows."""
    carts = Cart.objects.visible_to(user).restorable()
    return carts.select_related("customer", "price_level", "deleted_by")


@dataclass(frozen=True)
class DeletionBatch:
    """The still-restorable carts of one Delete Order action."""

    batch: uuid.UUID
    deleted_at: datetime.datetime
    deleted_by: str
    carts: int

    @property
    def label(self) -> str:
        when = store_datetime(self.deleted_at)
        return f"Deleted {carts_count(self.carts)}, {when} by {self.deleted_by}"


def recent_batches(
    user: AnyUser, names: dict[int, str], *, limit: int = RECENT_BATCHES
) -> list[DeletionBatch]:
    """The latest batches that still hold restorable carts `user` may see, in one query;
    `names` names the people who deleted them (a removed account reads "a removed user")."""
    rows = (
        Cart.objects.visible_to(user)
        .restorable()
        .filter(deletion_batch__isnull=False)
        .values("deletion_batch", "deleted_by")
        .annotate(carts=Count("id"), at=Max("deleted_at"))
        .order_by("-at", "deletion_batch")[:limit]
    )
    return [
        DeletionBatch(
            batch=row["deletion_batch"],
            deleted_at=row["at"],
            deleted_by=names.get(row["deleted_by"], "a removed user"),
            carts=row["carts"],
        )
        for row in rows
    ]


class RestorableCartsTable(DeletedCartsTable):
    """Recently deleted's table with a check box per row and the rep."""

    cart = SelectColumn()
    rep_number = exported(
        Number("rep_number"),
        "Rep #",
        order_by=("rep_number", "id"),
        attrs=classed("numeric wide-only"),
    )
    # Lines, and items beneath them, as on Open Carts (no index over deleted carts to sort by).
    items = exported(
        Items(),
        "Items",
        accessor="line_count",
        orderable=False,
        attrs=classed("numeric wide-only items"),
    )

    class Meta:
        model = Cart
        fields = ()
        sequence = (
            "cart",
            "deleted_at",
            "deleted_by",
            "customer",
            "customer_number",
            "rep_number",
            "items",
            "total",
            "restore",
        )
        order_by = ("-deleted_at",)
        attrs = {"class": "open-carts", "id": "deleted-carts"}
        row_attrs = {"data-cart-id": lambda record: record.pk}
        empty_text = "No deleted carts match these filters."

    def render_items(self, record: Cart) -> SafeString:
        return mark_safe(items_html(record))  # noqa: S308 - only numbers, made there


PER_PAGE = 50


@staff_required(may_view_carts)
def recently_deleted(request: AuthenticatedHttpRequest) -> HttpResponse:
    can_restore = may_delete_carts(request.user)
    restorable = restorable_list(request.user)
    filterset = DeletedCartFilter(request.GET or None, queryset=restorable, user=request.user)
    valid = not filterset.is_bound or filterset.is_valid()
    carts = filterset.qs if valid else restorable.none()
    summary = carts.summary_by_currency()
    table = RestorableCartsTable(
        carts, can_restore=can_restore, exclude=() if can_restore else ("cart",)
    )
    # Counted with the summary: the pager asks no count of its own.
    matching = sum(row.carts for row in summary)
    show_page(request, table, carts, per_page=PER_PAGE, count=matching)
    context = {
        "filterset": filterset,
        "valid": valid,
        "active_filters": active_count(filterset),
        "table": table,
        "summary": summary,
        "matching": matching,
        "batches": recent_batches(request.user, filterset.deleter_names),
        "recent_batches": RECENT_BATCHES,
        "query": request.GET.urlencode(),
        "retention_days": settings.CART_RETENTION_DAYS,
    }
    return render(request, "carts/recently_deleted.html", context, status=200 if valid else 400)
