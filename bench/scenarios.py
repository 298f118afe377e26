"""What is measured: one Scenario per row, with the URL each of the three views answers it by.

A cell is a URL to time, or a marker: CANNOT ("—") where that view has no way to show it,
NOT_OFFERED ("n/a") where the page does not (yet) render what the scenario follows.
"""

import datetime
from dataclasses import dataclass, field

from bench.admin import OpenCartAdmin
from carts.days import store_today
from carts.listing.tables import OpenCartsTable

VIEWS = {"page": "Open Carts", "floor": "floor", "admin": "Django admin"}
CANNOT = "—"
NOT_OFFERED = "n/a"
# The admin's columns as its changelist numbers them for `?o=` (the check box comes first).
ADMIN_COLUMNS = ["action_checkbox", *OpenCartAdmin.list_display]
# Page column -> the admin column it sorts by, and whether the direction flips (days count
# back from a timestamp, so fewer days is a later timestamp).
ADMIN_SORTS = {
    "created_at": ("created_at", False),
    "customer": ("customer__name", False),
    "customer_number": ("customer__customer_number", False),
    "price_level": ("price_level", False),
    "rep_number": ("rep_number", False),
    "total": ("total", False),
    "days_open": ("created_at", True),
    "last_touch": ("last_touched_at", True),
}


@dataclass(frozen=True)
class Targets:
    """Where each view lives, and the data the scenarios pick from."""

    page: str
    floor: str
    admin: str
    admin_100: str
    rep_number: int
    level_number: int
    last_page: int
    item_id: str = ""  # the product in most open carts


@dataclass
class Scenario:
    label: str
    urls: dict[str, str]
    # Asks for a page other than the first: showing the first rows means it was ignored.
    paged: bool = False
    rows: int = 25  # rows it should show; 0: any number
    notes: list[str] = field(default_factory=list)
    # Whose page it is: the owner (a superuser), or "rep", the sales rep linked to the bench's
    # rep (`Targets.rep_number`), who sees that rep's customers' carts only.
    signed_in: str = "owner"


def url(base: str, query: str | None) -> str:
    if query is None:
        return CANNOT
    return f"{base}?{query}" if query else base


def scenario(
    t: Targets,
    label: str,
    query: str,
    admin: str | None,
    *,
    big: bool = False,
    paged: bool = False,
    rows: int | None = None,
) -> Scenario:
    """The page and the floor take the same query; the admin its own (None: it cannot)."""
    return Scenario(
        label=label,
        urls={
            "page": url(t.page, query),
            "floor": url(t.floor, query),
            "admin": url(t.admin_100 if big else t.admin, admin),
        },
        paged=paged,
        rows=rows if rows is not None else 100 if big else 25,
    )


def admin_sort(column: str, descending: bool) -> str | None:
    if column not in ADMIN_SORTS:
        return None
    name, flip = ADMIN_SORTS[column]
    index = ADMIN_COLUMNS.index(name)
    return f"o={'-' if descending != flip else ''}{index}"


def sort_scenarios(t: Targets) -> list[Scenario]:
    # Every sortable data column: the table's sequence after the check box and the Actions.
    return [
        scenario(
            t, f"`sort={sign}{column}`", f"sort={sign}{column}", admin_sort(column, sign == "-")
        )
        for column in OpenCartsTable.Meta.sequence[2:]
        if OpenCartsTable.base_columns[column].orderable is not False
        for sign in ("", "-")
    ]


def filter_scenarios(t: Targets) -> list[Scenario]:
    return [
        scenario(t, f"`rep={t.rep_number}`", f"rep={t.rep_number}",
                 f"rep_number__exact={t.rep_number}"),
        scenario(t, f"`price_level={t.level_number}`", f"price_level={t.level_number}",
                 f"price_level__number__exact={t.level_number}"),
        scenario(t, "`days_open_min=90`", "days_open_min=90", None),
        # The insight's 31–90 days bar, as its link filters the list (the tallies answer).
        scenario(t, "an age bar (`days_open_min=31&days_open_max=90`)",
                 "days_open_min=31&days_open_max=90", None),
        scenario(t, "`last_touch_max=1`", "last_touch_max=1", None),
        scenario(t, "`total_min=500&total_max=600`", "total_min=500&total_max=600", None),
        scenario(t, "`q=hardware`", "q=hardware", "q=hardware"),
        scenario(t, "`follow_up_due=on`", "follow_up_due=on", None),
        *date_scenarios(t),
        scenario(t, "`prices_out_of_date=on` (after the price changes below)",
                 "prices_out_of_date=on", None),
    ]  # fmt: skip


def date_scenarios(t: Targets) -> list[Scenario]:
    """Calendar ranges (issue 20): a month of starts some months back (the tallies answer its
    summary), last week's touches (the summary's second request), and a range sorted by size."""
    day = [(store_today() - datetime.timedelta(days=days)).isoformat() for days in range(121)]
    rows = [
        (f"started_from={day[120]}&started_to={day[90]}", "started, a month 3–4 months back"),
        (f"touched_from={day[7]}&touched_to={day[1]}", "last touch, the 7 days before today"),
        (f"started_from={day[30]}&sort=-items", "started in the last 30 days, `sort=-items`"),
    ]
    return [scenario(t, f"{label} (`{query}`)", query, None) for query, label in rows]


def rep_scenarios(t: Targets) -> list[Scenario]:
    """A linked sales rep's pages, beside the floor for that rep's carts (`rep=N`)."""
    rep = f"rep={t.rep_number}"
    rows = [
        ("a linked rep's first page (their follow-ups first)", "", "sort=follow_up"),
        ("a linked rep, `follow_up_due=on`", "follow_up_due=on", "follow_up_due=on&sort=follow_up"),
        ("a linked rep, `sort=-total`", "sort=-total", "sort=-total"),
    ]
    return [
        Scenario(
            label,
            {"page": url(t.page, page), "floor": url(t.floor, f"{rep}&{floor}"), "admin": CANNOT},
            signed_in="rep",
        )
        for label, page, floor in rows
    ]


def product_scenarios(t: Targets) -> list[Scenario]:
    """Products in open carts (issue 20), and the list filtered by a product: no floor or
    admin has either. A products page's rows are products, not carts (any number)."""
    products = f"{t.page}products/"
    pages = [
        ("products in carts, no filter", "", "owner"),
        (f"products in carts, `rep={t.rep_number}`", f"rep={t.rep_number}", "owner"),
        ("products in carts, `q=hardware`", "q=hardware", "owner"),
        ("products in carts, `days_open_min=90`", "days_open_min=90", "owner"),
        ("products in carts, a linked rep", "", "rep"),
    ]
    return [
        Scenario(label, {"page": url(products, query), "floor": CANNOT, "admin": CANNOT},
                 rows=0, signed_in=who)
        for label, query, who in pages
    ] + [
        Scenario(f"`product={t.item_id}`",
                 {"page": url(t.page, f"product={t.item_id}"), "floor": CANNOT, "admin": CANNOT}),
    ]  # fmt: skip


def fixed_scenarios(t: Targets) -> list[Scenario]:
    """Every row whose URLs are known up front; the followed links come in pages.py."""
    last = t.last_page
    return [
        scenario(t, "first page, 25 rows, default sort", "", ""),
        scenario(t, "first page, 100 rows (`per_page=100`)", "per_page=100", "", big=True),
        *sort_scenarios(t),
        *filter_scenarios(t),
        *rep_scenarios(t),
        *product_scenarios(t),
        scenario(t, "`page=1000`", "page=1000", "p=1000", paged=True),
        scenario(t, f"last page by number (`page={last:,}`)", f"page={last}", f"p={last}",
                 paged=True, rows=0),
    ]  # fmt: skip
