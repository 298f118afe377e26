"""Export on Open Carts and Recently deleted: every cart the list's filters match, in its sort,
within the user's scope (the one door), as the list's own columns. GET only: the list's query
plus `format` (csv, xlsx) and `lines`."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
import django_tables2 as tables
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from carts.access import AuthenticatedHttpRequest, may_view_carts, staff_required
from carts.days import store_today
from carts.deleted.views import DeletedCartFilter, RestorableCartsTable, restorable_list
from carts.export.layout import layout_of
from carts.export.records import CartExport
from carts.export.streaming import Tally, csv_chunks, in_transaction, xlsx_chunks
from carts.listing.filters import OpenCartFilter
from carts.listing.paging import configure, sort_key
from carts.listing.tables import OpenCartsTable
from carts.listing.views import default_sort
from carts.models import Cart
from carts.querysets import CartQuerySet
from carts.services.audit import actor_name

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
LINES = {"": False, "0": False, "1": True, "on": True}
# What the list's URL carries that is no filter and no sort: the page, and the export's own.
NOT_FILTERS = {"page", "per_page", "after", "before", "last", "format", "lines"}


@dataclass(frozen=True)
class Asked:
    format: str
    lines: bool


class Refused(Exception):
    """A request an export cannot answer: the message says why (a 400)."""


def asked(request: AuthenticatedHttpRequest) -> Asked:
    chosen, lines = request.GET.get("format", "csv"), request.GET.get("lines", "")
    if chosen not in CONTENT_TYPES:
        raise Refused(f"“{chosen[:30]}” is not an export format: choose csv or xlsx.")
    if lines not in LINES:
        raise Refused(f"“{lines[:30]}” is no answer to “with lines”: give 1 or leave it out.")
    return Asked(format=chosen, lines=LINES[lines])


@require_GET
@staff_required(may_view_carts)
def export_open_carts(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    carts = Cart.objects.visible_to(request.user).for_open_carts_list()
    filterset = OpenCartFilter(request.GET, queryset=carts, user=request.user)
    table = OpenCartsTable(carts.none(), order_by=default_sort(request.user).get("order_by"))
    return export(request, filterset, table, listed=CartExport.List.OPEN)


@require_GET
@staff_required(may_view_carts)
def export_deleted_carts(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    restorable = restorable_list(request.user)
    filterset = DeletedCartFilter(request.GET, queryset=restorable, user=request.user)
    table = RestorableCartsTable(restorable.none())
    return export(request, filterset, table, listed=CartExport.List.DELETED)


def export(
    request: AuthenticatedHttpRequest,
    filterset: django_filters.FilterSet,
    table: tables.Table,
    *,
    listed: CartExport.List,
) -> HttpResponseBase:
    try:
        wanted = asked(request)
    except Refused as refusal:
        return refuse(request, str(refusal))
    if not filterset.is_valid():
        return refuse(request, "Some filters are not valid; fix them on the list, then export.")
    configure(request, table)
    carts = filterset.qs
    assert isinstance(carts, CartQuerySet)
    layout = layout_of(table, lines=wanted.lines)
    record = CartExport.objects.create(
        actor=request.user,
        actor_name=actor_name(request.user),
        list=listed,
        format=wanted.format,
        with_lines=wanted.lines,
        filters=filters_of(request)[:2000],
    )
    tally = Tally()
    rows = in_transaction(tally.count(layout.rows(carts, sort_key(table))))
    if wanted.format == "csv":
        chunks = csv_chunks(layout.headers, rows)
    else:
        chunks = xlsx_chunks(layout.headers, rows, title=CartExport.List(listed).label)
    response = StreamingHttpResponse(
        streamed(chunks, rows, tally, record), content_type=CONTENT_TYPES[wanted.format]
    )
    name = file_name(listed, filterset, wanted)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # a proxy passes the chunks on as they come
    return response


def streamed(
    chunks: Iterator[bytes],
    rows: Iterator[object],
    tally: Tally,
    record: CartExport,
) -> Iterator[bytes]:
    """The file's chunks; then, however the download ended, the audit record says how many
    rows went out and whether all did (after the cursor's transaction, so it stays)."""
    try:
        yield from chunks
        tally.completed = True
    finally:
        close = getattr(rows, "close", None)
        if close:
            close()  # a download stopped early: the cursor and its transaction end here
        CartExport.objects.filter(pk=record.pk).update(
            rows=tally.rows, completed=tally.completed, finished_at=timezone.now()
        )


def refuse(request: AuthenticatedHttpRequest, message: str) -> HttpResponse:
    return render(request, "carts/export_refused.html", {"message": message}, status=400)


def filters_of(request: AuthenticatedHttpRequest) -> str:
    """The list's filters and sort as the URL gave them, e.g. "rep=101&sort=-total"."""
    return urlencode(
        [
            (key, value)
            for key, values in request.GET.lists()
            if key not in NOT_FILTERS
            for value in values
            if value
        ]
    )


def safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", text).strip("-")[:40]


def file_name(listed: str, filterset: django_filters.FilterSet, wanted: Asked) -> str:
    """e.g. open-carts_2026-12-07_rep-101_days_open_min-30_lines.csv: the store's date and
    each filter set, in letters, digits, dots, dashes and underscores only."""
    parts = [f"{listed}-carts", store_today().isoformat()]
    for name, value in filterset.form.cleaned_data.items():
        if value not in (None, "", False):
            parts.append(f"{name}-{safe(str(value))}" if value is not True else name)
    if wanted.lines:
        parts.append("lines")
    return "_".join(parts)[:180] + f".{wanted.format}"
