"""The one pager of the cart lists (Open Carts, Recently deleted): keyset paging. Every page,
first to last, is an index walk from a position (the sort key and a unique tie-breaker of a
row), never an OFFSET over the rows before it. The last page is the first page of the reversed
order. A jump to a page number still costs an offset, which is what a number means."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import django_tables2 as tables
from django.db.models import DateField, F, Model, Q
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django_tables2.rows import BoundRows
from django_tables2.utils import OrderByTuple

from carts.models import Cart
from carts.querysets import CartQuerySet

MAX_PAGE = 100_000


@dataclass(frozen=True)
class SortKey:
    """The two fields an order walks, e.g. ("-created_at", "-id"): a column and a unique
    tie-breaker, the same direction, so one composite index serves it."""

    fields: tuple[str, str]

    @property
    def descending(self) -> bool:
        return self.fields[0].startswith("-")

    @property
    def names(self) -> tuple[str, str]:
        return (self.fields[0].lstrip("-"), self.fields[1].lstrip("-"))

    def reversed(self) -> "SortKey":
        flip = (lambda name: name[1:]) if self.descending else (lambda name: f"-{name}")
        return SortKey((flip(self.fields[0]), flip(self.fields[1])))

    def values_of(self, record: Model) -> tuple[Any, Any]:
        """The position of a row: its sort value and tie-breaker."""
        values = []
        for name in self.names:
            value: Any = record
            for part in name.split("__"):
                value = getattr(value, part)
            values.append(value)
        return values[0], values[1]

    def beyond(self, position: tuple[Any, Any]) -> Q:
        """Rows after `position` in this order. The bound on the first field alone lets an
        index on a joined table (customer name) start at the position too."""
        first, second = self.names
        tuple_lookup = TupleLessThan if self.descending else TupleGreaterThan
        bound = "lte" if self.descending else "gte"
        after = tuple_lookup(Tuple(F(first), F(second)), position)
        return Q(**{f"{first}__{bound}": position[0]}) & Q(after)


@dataclass
class Page:
    """One page of rows, and the cursors to the pages around it (None where there is none)."""

    rows: list[Cart]
    first: bool
    last: bool
    next_cursor: str | None = None
    previous_cursor: str | None = None
    number: int | None = None  # when reached by page number (an offset)


def encode(key: SortKey, record: Model) -> str:
    value, tie = key.values_of(record)
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"{text}~{tie}"


def decode(key: SortKey, cursor: str, model: type[Model]) -> tuple[Any, Any] | None:
    """The position a cursor names, or None for anything that is not a cursor of this sort."""
    text, _, tie = cursor.rpartition("~")
    try:
        fields = [_field(model, name) for name in key.names]
        position = fields[0].to_python(text), fields[1].to_python(tie)
    except Exception:  # noqa: BLE001 - any odd cursor means "start at the first page"
        return None
    if any(isinstance(value, int) and not -(2**63) <= value < 2**63 for value in position):
        return None  # no id or number of ours is that big
    # A cursor we wrote always carries its offset; a hand-made one without is store time.
    return tuple(  # type: ignore[return-value]
        timezone.make_aware(value)
        if isinstance(value, datetime.datetime) and timezone.is_naive(value)
        else value
        for value in position
    )


# Sort keys that are annotations, not fields (CartQuerySet.for_open_carts_list), by the field
# their values read as.
ANNOTATED: dict[str, DateField[Any, Any]] = {"follow_up_key": DateField()}


def _field(model: type[Model], path: str) -> Any:
    if path in ANNOTATED:
        return ANNOTATED[path]
    *relations, name = path.split("__")
    for relation in relations:
        related = model._meta.get_field(relation).related_model
        if not isinstance(related, type):
            raise LookupError(f"{relation} is not a relation of {model.__name__}")
        model = related
    return model._meta.get_field(name)


def paginate(
    carts: CartQuerySet,
    key: SortKey,
    params: QueryDict,
    per_page: int,
    *,
    count: int | None = None,
) -> Page:
    """The page the request asks for: `after`/`before` a cursor, the `last` page, a page
    `number`, or else the first page. `count`, when known, lets a deep page number be
    reached from the end."""
    if params.get("last"):
        return _walk(carts, key.reversed(), None, per_page, backwards=True)
    for direction in ("after", "before"):
        position = (
            decode(key, params.get(direction, ""), carts.model) if direction in params else None
        )
        if position is not None:
            walk_key = key if direction == "after" else key.reversed()
            return _walk(carts, walk_key, position, per_page, backwards=direction == "before")
    number = _page_number(params.get("page"))
    if number > 1:
        return _numbered(carts, key, number, per_page, count)
    return _walk(carts, key, None, per_page, backwards=False)


def _page_number(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


def _walk(
    carts: CartQuerySet,
    key: SortKey,
    position: tuple[Any, Any] | None,
    per_page: int,
    *,
    backwards: bool,
) -> Page:
    """per_page rows from `position` in `key`'s order (one more, to know if there are more);
    walking backwards, the rows come back in the page's own order."""
    if position is not None:
        carts = carts.filter(key.beyond(position))
    rows = list(carts.order_by(*key.fields)[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    forward_key = key.reversed() if backwards else key
    if backwards:
        rows.reverse()
    page = Page(
        rows=rows,
        first=(not more) if backwards else position is None,
        last=(not more) if not backwards else position is None,
    )
    if rows and not page.last:
        page.next_cursor = encode(forward_key, rows[-1])
    if rows and not page.first:
        page.previous_cursor = encode(forward_key, rows[0])
    return page


def _numbered(
    carts: CartQuerySet, key: SortKey, number: int, per_page: int, count: int | None
) -> Page:
    """Page `number`: an offset that reads only the sort key's own columns, which an index
    holds (an index-only scan), from whichever end is nearer when the count is known; then
    the page is walked from the row before it."""
    start = (number - 1) * per_page
    if count is not None and start >= count:
        # Past the end: the last page, as a person asking for "page 9999" means.
        return _walk(carts, key.reversed(), None, per_page, backwards=True)
    if count is not None and start > count // 2:
        return _numbered_from_the_end(carts, key, number, per_page, count)
    positions = carts.order_by(*key.fields).values_list(*key.names)
    position = next(iter(positions[start - 1 : start]), None)
    if position is None:
        return _walk(carts, key.reversed(), None, per_page, backwards=True)
    page = _walk(carts, key, position, per_page, backwards=False)
    page.number = number
    return page


def _numbered_from_the_end(
    carts: CartQuerySet, key: SortKey, number: int, per_page: int, count: int
) -> Page:
    start = (number - 1) * per_page
    rows = min(per_page, count - start)
    # The row just after the page, counted from the end.
    after = count - start - rows - 1
    position = None
    if after >= 0:
        positions = carts.order_by(*key.reversed().fields).values_list(*key.names)
        position = next(iter(positions[after : after + 1]), None)
    page = _walk(carts, key.reversed(), position, rows, backwards=True)
    page.number = number
    return page


def configure(request: HttpRequest, table: tables.Table) -> None:
    """django-tables2's RequestConfig, taking only a sort the table offers: any other `sort`
    (a typo, a forged value; every value of a repeated one, each part of "a,b") is dropped,
    as if none were asked for."""
    field = table.prefixed_order_by_field
    names = [
        name.strip().removeprefix("-")
        for value in request.GET.getlist(field)
        for name in value.split(",")
    ]
    if any(
        name not in table.columns.names() or not table.columns[name].orderable for name in names
    ):
        query = request.GET.copy()
        del query[field]
        request.GET = query  # type: ignore[assignment]  # the view only reads it
    tables.RequestConfig(request, paginate=False).configure(table)


def sort_key(table: tables.Table) -> SortKey:
    """The fields a table's rows are in order of: its sorted column's, either way round. Every
    column a paged table lets people sort by names its sort keys: a field and a tie-breaker."""
    alias = (table.order_by or OrderByTuple(table._meta.order_by))[0]
    fields = table.base_columns[alias.bare].order_by
    if alias.is_descending:
        fields = tuple(name[1:] if name.startswith("-") else f"-{name}" for name in fields)
    return SortKey(fields)


def show_page(
    request: HttpRequest,
    table: tables.Table,
    carts: CartQuerySet,
    *,
    per_page: int,
    count: int | None,
) -> None:
    """Sort `table` as the request asks and give it the page of `carts` the request asks for;
    `count`, how many carts match, when it is known (the pager says it, and a deep page
    number is reached from the nearer end)."""
    configure(request, table)
    table.matching = count
    table.keyset_page = paginate(carts, sort_key(table), request.GET, per_page, count=count)


class KeysetPaged:
    """Mixed into a django-tables2 table (before `tables.Table`) that `show_page` pages: the
    table shows the page's rows in the page's order, and `_table.html` draws the pager."""

    keyset_page: Page
    matching: int | None  # how many rows match: None until counted

    @property
    def page_rows(self) -> Sequence[Cart]:
        return self.keyset_page.rows

    @property
    def paginated_rows(self) -> BoundRows:
        """The rows django-tables2's template walks: the page's, not the whole table's."""
        return BoundRows(data=self.page_rows, table=self)
