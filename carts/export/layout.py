"""What an export's rows hold: the list's own columns (each column's `cell` declares how it
reads, carts.listing.columns), then, "with lines", the cart line's. The carts come through a
server-side cursor, as tuples of the values the columns ask for (only if some cell reads the
cart itself are they carts, which is slower); their lines a chunk of carts at a time."""

from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from typing import Any, cast

import django_tables2 as tables
from django.db import connection

from carts.listing.columns import Cell, ExportValue, Read, on_the_cart
from carts.listing.paging import SortKey
from carts.models import CartLine
from carts.querysets import CartQuerySet
from carts.services.audit import id_among

# Rows per FETCH from the server-side cursor, and per chunk of a streamed file.
CHUNK_ROWS = 2000

# A cart line's values, in its export columns' order, read for a chunk of carts at a time.
LINE_VALUES = ("product__item_id", "product__name", "quantity", "unit_price")
LINE_HEADERS = ["Item ID", "Item name", "Quantity", "Unit price", "Line total"]
# What a cart without lines has in the line columns (it is in the file once all the same).
NO_LINE: list[ExportValue] = [None] * len(LINE_HEADERS)


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
    # How a row gives its cart's id, when the export has one row per cart line.
    cart_id: Read | None = None

    def rows(self, carts: CartQuerySet, key: SortKey) -> Iterator[list[ExportValue]]:
        """Each row's export values, in `key`'s order, read CHUNK_ROWS at a time through a
        server-side cursor (inside a transaction: see carts.export.streaming)."""
        reads = self.reads
        for batch in self.batches(carts, key):
            if self.cart_id is not None:
                yield from self.with_lines(batch)
                continue
            for row in batch:
                yield [read(row) for read in reads]

    def batches(self, carts: CartQuerySet, key: SortKey) -> Iterator[list[Any]]:
        """The carts in CHUNK_ROWS batches, from two queries: the first batch by the plan that
        starts soonest (an index walk, looking each customer up), so the download starts at
        once; then the rest by the plan that reads them all soonest (one pass over the
        customers, then a sort)."""
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

    def _read(self, carts: CartQuerySet) -> Iterator[list[Any]]:
        source: Iterator[Any] = (
            carts.iterator(chunk_size=CHUNK_ROWS)
            if self.paths is None
            else carts.values_list(*self.paths).iterator(chunk_size=CHUNK_ROWS)
        )
        # Closed here, so its server-side cursor closes inside the export's transaction, even
        # when the download stops half way, rather than whenever the generator is collected.
        with closing(cast(Generator[Any, None, None], source)):
            while batch := list(islice(source, CHUNK_ROWS)):
                yield batch

    def with_lines(self, batch: list[Any]) -> Iterator[list[ExportValue]]:
        """A row per line of each cart of the batch, in item order; its lines in one query."""
        assert self.cart_id is not None
        ids = [self.cart_id(row) for row in batch]
        lines: dict[int, list[list[ExportValue]]] = {}
        found = CartLine.objects.filter(id_among(ids, "carts_cartline.cart_id"))
        ordered = found.order_by("cart_id", "product__item_id")
        for cart_id, item_id, name, quantity, unit_price in ordered.values_list(
            "cart_id", *LINE_VALUES
        ):
            line = [item_id, name, quantity, unit_price, quantity * unit_price]
            lines.setdefault(cart_id, []).append(line)
        reads = self.reads
        for row, cart_id in zip(batch, ids, strict=True):
            cart = [read(row) for read in reads]
            for line in lines.get(cart_id, [NO_LINE]):
                yield cart + line


def exported_cells(table: tables.Table) -> list[tuple[str, Cell]]:
    """The table's columns an export has, in the screen's order, with their headers."""
    found = []
    for column in table.columns:
        cell = getattr(column.column, "cell", None)
        if isinstance(cell, Cell) and cell.exported:
            found.append((str(column.header), cell))
    return found


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
    return Layout(
        headers=[header for header, _ in columns] + (LINE_HEADERS if lines else []),
        reads=[read for _, read in columns],
        paths=positions.paths if at is positions else None,
        cart_id=at("id") if lines else None,
    )
