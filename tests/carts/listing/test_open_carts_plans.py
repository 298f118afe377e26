"""Every sort, filter and page of Open Carts is served by walking an index, and its summary by
the tallies, never by reading every open cart: measured with EXPLAIN ANALYZE on a seeded table."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carts.days import store_today
from carts.listing.tables import OpenCartsTable
from customers.models import SalesRep
from tests.factories import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_behaviour]

COLUMNS = OpenCartsTable.Meta.sequence[2:]
# Store days some weeks back, for the date ranges.
DAY = [(store_today() - datetime.timedelta(days=days)).isoformat() for days in range(61)]
SCENARIOS = [
    {},
    *({"sort": column} for column in COLUMNS),
    *({"sort": f"-{column}"} for column in COLUMNS),
    {"rep": "REP"},
    {"price_level": "1"},
    {"days_open_min": "30"},
    {"days_open_max": "10"},
    {"last_touch_min": "5"},
    {"last_touch_max": "1", "sort": "-total"},
    {"total_min": "500", "total_max": "600"},
    {"q": "hardware"},
    {"last": "1"},
    {"last": "1", "sort": "customer"},
    {"follow_up_due": "on"},
    {"never_contacted": "on", "sort": "follow_up"},
    {"last": "1", "sort": "-follow_up"},
    {"started_from": DAY[60], "started_to": DAY[30]},
    {"started_from": DAY[10], "sort": "items"},
    {"touched_from": DAY[7], "touched_to": DAY[1]},
    {"touched_to": DAY[30], "sort": "-last_touch"},
    {"last": "1", "sort": "-items"},
]


@pytest.fixture
def seeded_client(client):
    call_command("seed_demo", "--carts", "400", "--seed", "7", stdout=None, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client.force_login(make_staff("planner", "carts.view_cart"))
    return client


def touches_carts(plan: dict) -> bool:
    return plan.get("Relation Name") == "carts_cart" or any(
        touches_carts(child) for child in plan.get("Plans", [])
    )


def full_reads(plan: dict) -> list[str]:
    """Nodes that read every cart: a sequential scan of carts_cart, or a sort of carts (no
    index gives the order, so all matching carts are read before the first row is shown)."""
    found = []
    if plan["Node Type"] == "Seq Scan" and plan.get("Relation Name") == "carts_cart":
        found.append("Seq Scan on carts_cart")
    if plan["Node Type"] == "Sort" and touches_carts(plan):
        found.append(f"Sort on {plan['Sort Key']}")
    return found + [node for child in plan.get("Plans", []) for node in full_reads(child)]


def full_reads_of(queries: list[dict]) -> list[str]:
    """Run with sorts and sequential scans priced out: a plan that still has either has no
    index to walk instead."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        for query in queries:
            if "carts_cart" in query["sql"] and query["sql"].lstrip().startswith("SELECT"):
                cursor.execute(f"EXPLAIN (FORMAT JSON) {query['sql']}")
                found += full_reads(cursor.fetchone()[0][0]["Plan"])
    return found


def rep_number() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(rep_number) FROM carts_cart")
        return str(cursor.fetchone()[0])


def test_no_page_reads_every_open_cart(seeded_client):
    rep = rep_number()
    found = {}
    for params in SCENARIOS:
        params = {key: rep if value == "REP" else value for key, value in params.items()}
        with CaptureQueriesContext(connection) as page:
            assert seeded_client.get("/carts/", params).status_code == 200
        assert any("carts_cart" in q["sql"] for q in page.captured_queries)
        if reads := full_reads_of(page.captured_queries):
            found[str(params)] = reads
    assert found == {}


def test_no_summary_scans_the_carts(seeded_client):
    rep = rep_number()
    for params in SCENARIOS:
        params = {key: rep if value == "REP" else value for key, value in params.items()}
        with CaptureQueriesContext(connection) as summary:
            assert seeded_client.get("/carts/summary/", params).status_code == 200
        reads = [r for r in full_reads_of(summary.captured_queries) if r.startswith("Seq")]
        assert reads == [], params


def test_a_linked_reps_pages_walk_an_index_too(seeded_client):
    rep = SalesRep.objects.get(rep_number=int(rep_number()))
    rep.user = make_staff("rep", "carts.view_cart", sees_every_cart=False)
    rep.user.groups.add(Group.objects.get(name="Sales rep"))
    rep.save()
    seeded_client.force_login(rep.user)
    found = {}
    for params in [{}, {"follow_up_due": "on"}, {"sort": "follow_up"}, {"sort": "-total"}]:
        with CaptureQueriesContext(connection) as page:
            assert seeded_client.get("/carts/", params).status_code == 200
        if reads := full_reads_of(page.captured_queries):
            found[str(params)] = reads
    assert found == {}


def test_the_unfiltered_summary_comes_from_the_tallies(seeded_client):
    with CaptureQueriesContext(connection) as page:
        seeded_client.get("/carts/")
    summaries = [
        q["sql"]
        for q in page.captured_queries
        if "count(" in q["sql"].lower() or "SUM(" in q["sql"]
    ]
    assert summaries and all("carts_opencarttally" in sql for sql in summaries)
