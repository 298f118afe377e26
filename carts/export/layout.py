"""What an export's rows hold: the list's own columns (each column's `cell` declares how it
reads, carts.listing.columns), then, "with lines", the cart line's. The rows come from one
query through a server-side cursor, as tuples of the values the columns ask for; only if some
cell reads the cart itself are they carts, which is slower."""

from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import django_tables2 as tables
from django.db import connection
from django.db.models import F

from carts.listing.columns import Cell, ExportColumn, ExportValue, Read, on_the_cart
from carts.listing.paging import SortKey
from carts.querysets import CartQuerySet

# Rows per FETCH from the server-side cursor, and per chunk of a streamed file.
CHUNK_ROWS = 2000

# A cart line's own values, read beside the cart's: one row per line, a cart without lines
# once (the join is an outer one).
LINE_VALUES = {
    "line_item_id": F("lines__product__item_id"),
    "line_item_name": F("lines__product__name"),
    "line_quantity": F("lines__quantity"),
    "line_unit_price": F("lines__unit_price"),
}


class Positions:
    """`at` for rows that are tuples: each path asked for gets a place in the query's values."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, path: str) -> Read:
        if path not in self.paths:
            self.paths.append(path)
        return itemgetter(self.paths.index(path))


@dataclass(frozen=True)
class Layout:
    headers: list[str]
    reads: list[Read]
    # The values each row's tuple holds, in order; None when the rows are carts.
    paths: list[str] | None
    with_lines: bool

    def rows(self, carts: CartQuerySet, key: SortKey) -> Iterator[list[ExportValue]]:
        """Each row's export values, in `key`'s order, read CHUNK_ROWS at a time through a
        server-side cursor (inside a transaction: see carts.export.streaming).

        Two queries: the first CHUNK_ROWS carts, by the plan that starts soonest (an index walk,
        looking each customer up), so the download starts at once; then the rest, by the plan
        that reads them all soonest (joining the customers in one pass, then sorting)."""
        ordered = carts.order_by(*key.fields)
        split = ordered.values_list(*key.names)[CHUNK_ROWS - 1 : CHUNK_ROWS]
        position = next(iter(split), None)
        if position is None:
            yield from self._read(ordered)
            return
        yield from self._read(ordered.exclude(key.beyond(position)))
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1")
        yield from self._read(ordered.filter(key.beyond(position)))

    def _read(self, carts: CartQuerySet) -> Iterator[list[ExportValue]]:
        if self.with_lines:
            carts = with_lines(carts)
        source: Iterator[Any] = (
            carts.iterator(chunk_size=CHUNK_ROWS)
            if self.paths is None
            else carts.values_list(*self.paths).iterator(chunk_size=CHUNK_ROWS)
        )
        reads = self.reads
        for row in source:
            yield [read(row) for read in reads]


def with_lines(carts: CartQuerySet) -> CartQuerySet:
    """One row per cart line, a cart's lines together in item order after the list's sort."""
    ordering = [str(field) for field in carts.query.order_by]
    return carts.annotate(**LINE_VALUES).order_by(*ordering, "line_item_id")


def exported_cells(table: tables.Table) -> list[tuple[str, Cell]]:
    """The table's columns an export has, in the screen's order, with their headers."""
    found = []
    for column in table.columns:
        cell = getattr(column.column, "cell", None)
        if isinstance(cell, Cell) and cell.exported:
            found.append((str(column.header), cell))
    return found


def line_columns(at: Any) -> list[ExportColumn]:
    quantity, unit_price = at("line_quantity"), at("line_unit_price")

    def line_total(row: Any) -> ExportValue:
        count = quantity(row)
        return None if count is None else count * unit_price(row)

    return [
        ("Item ID", at("line_item_id")),
        ("Item name", at("line_item_name")),
        ("Quantity", quantity),
        ("Unit price", unit_price),
        ("Line total", line_total),
    ]


def layout_of(table: tables.Table, *, lines: bool = False, on_carts: bool = False) -> Layout:
    """The export of `table`'s columns (and the lines'), read from tuples where every cell
    says how, else (or `on_carts`) from carts."""
    cells = exported_cells(table)
    positions = Positions()
    declared = [cell.export_columns(header, positions) for header, cell in cells]
    at: Any = positions
    if on_carts or any(columns is None for columns in declared):
        at = on_the_cart
        declared = [
            cell.export_columns(header, on_the_cart) or [(header, cell.export)]
            for header, cell in cells
        ]
    columns = [column for each in declared for column in each or []]
    if lines:
        columns += line_columns(at)
    return Layout(
        headers=[header for header, _ in columns],
        reads=[read for _, read in columns],
        paths=positions.paths if at is positions else None,
        with_lines=lines,
    )
