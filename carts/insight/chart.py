"""The insight as the page draws it: the age chart's bars (SVG geometry in percentages of the
chart's box, as attributes: no style attribute, so the CSP holds; each bar sits over its column
of the figures table below it) and each bar's and rep row's link to the list narrowed to it,
added to the list's own filters."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.urls import reverse

from carts.insight.figures import AgeBucket, Insight, RepFigures

# Percentages of the chart's width (each bucket a fifth) and height (the tallest bar leaves
# room above it for its count).
SLOT, BAR_WIDTH = 20, 12
PLOT_TOP, PLOT_BOTTOM = 18, 98
# Where the list starts over: a page, a cursor or the last page belong to the old filters.
PAGING = ("page", "after", "before", "last")


@dataclass(frozen=True)
class Bar:
    bucket: AgeBucket
    href: str
    x: int
    y: float
    height: float

    @property
    def middle(self) -> int:
        return self.x + BAR_WIDTH // 2

    @property
    def slot(self) -> int:
        return self.x - (SLOT - BAR_WIDTH) // 2

    @property
    def label_y(self) -> float:
        return round(self.y - 3, 1)


@dataclass(frozen=True)
class RepRow:
    rep: RepFigures
    href: str


# The rep table's columns by the name `rep_sort` gives them, each with its sort key. A first
# sort puts names up and figures down (biggest first); asking the sorted column again flips it.
REP_SORTS: dict[str, Callable[[RepFigures], Any]] = {
    "rep": lambda rep: rep.rep_number,
    "carts": lambda rep: rep.carts,
    "value": lambda rep: rep.value_key,
    "oldest": lambda rep: rep.oldest_days,
    # Still counting (the page's first answer): as if none were due.
    "due": lambda rep: -1 if rep.follow_ups_due is None else rep.follow_ups_due,
}


REP_LABELS = {
    "rep": "Rep",
    "carts": "Carts",
    "value": "Value",
    "oldest": "Oldest",
    "due": "Follow-ups due",
}


@dataclass(frozen=True)
class RepHeading:
    name: str
    label: str
    # "ascending", "descending", or "" when the table is not sorted by this column.
    order: str
    # The page with the table sorted by this column: its first order, or the other way.
    href: str


def rep_order(query: QueryDict) -> tuple[str, bool]:
    """The rep table's sort from `?rep_sort=` (`-` first: descending): by rep number up when
    it names no column."""
    asked = query.get("rep_sort", "")
    name = asked.removeprefix("-")
    return (name, asked.startswith("-")) if name in REP_SORTS else ("rep", False)


def rep_table(insight: Insight, query: QueryDict) -> tuple[list[RepRow], list[RepHeading]]:
    """The rep rows in the asked order (the rep number breaking ties) and the column headings,
    whose links keep the list's own filters, sort and page."""
    name, descending = rep_order(query)
    by = REP_SORTS[name]
    reps = sorted(insight.reps, key=lambda rep: rep.rep_number)
    reps.sort(key=by, reverse=descending)
    rows = [RepRow(rep, list_url(query, rep=rep.rep_number)) for rep in reps]
    headings = []
    for column in REP_SORTS:
        then_descending = not descending if column == name else column != "rep"
        params = query.copy()
        params["rep_sort"] = f"{'-' if then_descending else ''}{column}"
        href = f"{reverse('carts:open_carts')}?{params.urlencode()}#by-rep-title"
        order = "" if column != name else ("descending" if descending else "ascending")
        headings.append(RepHeading(column, REP_LABELS[column], order, href))
    return rows, headings


def list_url(query: QueryDict, **changes: int | None) -> str:
    """The Open Carts list with the current filters, `changes` set (None: removed)."""
    params = query.copy()
    for name in PAGING:
        params.pop(name, None)
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = str(value)
    return f"{reverse('carts:open_carts')}?{params.urlencode()}"


def whole_days(query: QueryDict, name: str) -> int | None:
    try:
        return int(query.get(name, ""))
    except ValueError:
        return None


def bucket_url(query: QueryDict, bucket: AgeBucket) -> str:
    """The list narrowed to the bucket's days open, within any days-open filter already set
    (so the list shows exactly the carts the bar counts)."""
    low, high = whole_days(query, "days_open_min"), whole_days(query, "days_open_max")
    low = bucket.days_min if low is None else max(low, bucket.days_min)
    if bucket.days_max is not None:
        high = bucket.days_max if high is None else min(high, bucket.days_max)
    return list_url(query, days_open_min=low, days_open_max=high)


def bars(insight: Insight, query: QueryDict) -> list[Bar]:
    tallest = insight.tallest_bucket or 1
    drawn = []
    for index, bucket in enumerate(insight.buckets):
        height = round(bucket.carts * (PLOT_BOTTOM - PLOT_TOP) / tallest, 1)
        height = max(height, 1.5) if bucket.carts else 0
        x = index * SLOT + (SLOT - BAR_WIDTH) // 2
        y = round(PLOT_BOTTOM - height, 1)
        drawn.append(Bar(bucket, bucket_url(query, bucket), x, y, height))
    return drawn


def insight_context(insight: Insight | None, query: QueryDict) -> dict[str, Any]:
    """What `carts/_insight.html` needs beside the insight itself."""
    if insight is None:
        return {"insight": None}
    return {
        "insight": insight,
        "bars": bars(insight, query),
        **dict(zip(("rep_rows", "rep_headings"), rep_table(insight, query), strict=True)),
        "chart": {"slot": SLOT, "bottom": PLOT_BOTTOM, "bar_width": BAR_WIDTH},
    }
