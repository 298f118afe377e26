"""Time the scenarios through django.test.Client (full middleware stack, signed in as staff).

Repetitions are the outer loop, so the three views alternate and share whatever the machine
is doing; each cell is the median. Queries are counted once, on an untimed warm-up request.
"""

import html
import math
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.scenarios import CANNOT, NOT_OFFERED, VIEWS, Scenario, Targets, url
from carts.models import Cart, OpenProductTally
from customers.models import SalesRep
from pricing.models import PriceLevel

BENCH_USERNAME, BENCH_REP_USERNAME = "bench", "bench-rep"

ROW_ID = re.compile(r'(?:data-cart-id="|name="_selected_action" value=")(\d+)"')
TAG = re.compile(r"<(?:a|link)\b[^>]*>", re.IGNORECASE)
SUMMARY_URL = re.compile(r'data-summary-url="([^"]*)"')


@dataclass
class Cell:
    """One view's answer to one scenario."""

    marker: str = ""  # CANNOT, NOT_OFFERED or a failure; empty when timed
    queries: int | None = None
    timings: list[float] = field(default_factory=list)
    row_ids: list[str] = field(default_factory=list)  # the carts shown, in order

    @property
    def ms(self) -> float:
        return statistics.median(self.timings)


def link(page: str, rel: str) -> str | None:
    """The href of the first <a>/<link> whose rel names `rel`, unescaped."""
    for tag in TAG.findall(page):
        href = re.search(r'href="([^"]*)"', tag)
        if href and re.search(rf'\brel="[^"]*\b{rel}\b', tag):
            return html.unescape(href.group(1))
    return None


def fetch(client: Client, path: str) -> str:
    response = client.get(path)
    return response.content.decode() if response.status_code == 200 else ""


def followed(client: Client, base: str, rel: str) -> str:
    """The URL of the `rel` link that the page at `base` renders, or NOT_OFFERED."""
    href = link(fetch(client, base), rel) if base.startswith("/") else None
    return urljoin(base, href) if href else NOT_OFFERED


def link_scenarios(client: Client, t: Targets) -> list[Scenario]:
    """Navigation by the links each page renders; the admin's pager is plain page numbers."""
    page_last, floor_last = followed(client, t.page, "last"), followed(client, t.floor, "last")
    last = t.last_page
    return [
        Scenario(
            "next page (its `rel=next` link)",
            {
                "page": followed(client, t.page, "next"),
                "floor": followed(client, t.floor, "next"),
                "admin": url(t.admin, "p=2"),
            },
            paged=True,
        ),
        Scenario(
            "last page (its `rel=last` link)",
            {"page": page_last, "floor": floor_last, "admin": url(t.admin, f"p={last}")},
            paged=True,
            rows=0,
        ),
        Scenario(
            "the page before it (its `rel=prev` link)",
            {
                "page": followed(client, page_last, "prev"),
                "floor": followed(client, floor_last, "prev"),
                "admin": url(t.admin, f"p={last - 1}"),
            },
            paged=True,
        ),
    ]


def with_summaries(clients: dict[str, Client], scenarios: list[Scenario]) -> list[Scenario]:
    """After each scenario whose page asks for its summary in a second request (a URL in
    `data-summary-url`), that request as a row of its own; one "n/a" row if no page does."""
    rows: list[Scenario] = []
    for scenario in scenarios:
        rows.append(scenario)
        path, client = scenario.urls["page"], clients[scenario.signed_in]
        found = SUMMARY_URL.search(fetch(client, path)) if path.startswith("/") else None
        if found:
            summary = urljoin(path, html.unescape(found[1]))
            urls = {"page": summary, "floor": CANNOT, "admin": CANNOT}
            label = f"{scenario.label}: its summary request"
            rows.append(Scenario(label, urls, rows=0, signed_in=scenario.signed_in))
    if len(rows) == len(scenarios):
        urls = {"page": NOT_OFFERED, "floor": CANNOT, "admin": CANNOT}
        rows.append(Scenario("summary request (`data-summary-url`)", urls, rows=0))
    return rows


def warm_up(client: Client, scenario: Scenario, view: str) -> Cell:
    """One untimed request: checks the answer, counts its queries, notes the rows shown."""
    path = scenario.urls[view]
    if not path.startswith("/"):
        return Cell(marker=path)
    try:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
    except Exception as error:  # noqa: BLE001 (a broken view is a finding, not a crash)
        return Cell(marker=f"error: {type(error).__name__}")
    if response.status_code != 200:
        return Cell(marker=f"HTTP {response.status_code}")
    rows = ROW_ID.findall(response.content.decode())
    if scenario.rows and len(rows) != scenario.rows:
        scenario.notes.append(f"{VIEWS[view]} showed {len(rows)} rows")
    return Cell(queries=len(captured), row_ids=rows)


def check(scenarios: list[Scenario], cells: dict[tuple[str, str], Cell]) -> None:
    """A paged scenario showing the first page's rows was not paged; the floor must show
    the page's rows, or it is not the page's floor."""
    first = scenarios[0].label
    for s in scenarios:
        for view in VIEWS:
            cell = cells[s.label, view]
            if s.paged and not cell.marker and cell.row_ids == cells[first, view].row_ids:
                cell.marker = f"{NOT_OFFERED} (shows the first page)"
        page, floor = cells[s.label, "page"], cells[s.label, "floor"]
        if not page.marker and not floor.marker and page.row_ids != floor.row_ids:
            s.notes.append("the floor shows other carts than the page")


def timed_get(client: Client, cell: Cell, path: str) -> None:
    started = time.perf_counter()
    try:
        response = client.get(path)
    except Exception as error:  # noqa: BLE001 (the app is being changed; keep measuring)
        cell.marker = f"error: {type(error).__name__}"
        return
    cell.timings.append((time.perf_counter() - started) * 1000)
    if response.status_code != 200:
        cell.marker = f"HTTP {response.status_code}"


def measure(
    clients: dict[str, Client], scenarios: list[Scenario], runs: int
) -> dict[tuple[str, str], Cell]:
    """Each scenario through the client of whoever it is signed in as (`Scenario.signed_in`)."""
    cells = {
        (s.label, view): warm_up(clients[s.signed_in], s, view) for s in scenarios for view in VIEWS
    }
    check(scenarios, cells)
    for run in range(runs):
        print(f"bench: pages, run {run + 1} of {runs}", file=sys.stderr)
        for s in scenarios:
            for view in VIEWS:
                if not cells[s.label, view].marker:
                    timed_get(clients[s.signed_in], cells[s.label, view], s.urls[view])
    return cells


def signed_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bench_rep(rep_number: int) -> User:
    """The sales rep's log-in: linked to rep `rep_number`, in the Sales rep group only."""
    user, _ = User.objects.get_or_create(username=BENCH_REP_USERNAME, defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Sales rep"))
    SalesRep.objects.filter(user=user).exclude(rep_number=rep_number).update(user=None)
    SalesRep.objects.filter(rep_number=rep_number).update(user=user)
    return user


def bench_user() -> User:
    """A superuser of the bench's own: staff with every permission, as the owner would be."""
    user = User.objects.filter(username=BENCH_USERNAME).first()
    return user or User.objects.create_superuser(BENCH_USERNAME, password=None)


def build_targets() -> Targets:
    rep = SalesRep.objects.order_by("rep_number").first()
    level = PriceLevel.objects.filter(number=2).first() or PriceLevel.objects.first()
    open_carts = Cart.objects.open().count()
    popular = (
        OpenProductTally.objects.values("product__item_id")
        .annotate(carts=Sum("carts"))
        .order_by("-carts")
        .first()
    )
    return Targets(
        page=reverse("carts:open_carts"),
        floor=reverse("bench_floor"),
        admin=reverse("bench_admin:carts_cart_changelist"),
        admin_100=reverse("bench_admin_100:carts_cart_changelist"),
        rep_number=rep.rep_number if rep else 0,
        level_number=level.number if level else 0,
        last_page=max(math.ceil(open_carts / 25), 2),
        item_id=popular["product__item_id"] if popular else "",
    )
