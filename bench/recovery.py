"""The Recovery page at a million carts (issue 21): `bench/run.py --recovery-only`.

`seed_demo` writes demo contacts and the orders they recovered (carts.demo.followup); a bench
database seeded before it did gets them on the first run. Then it times the page and its
orders list through `django.test.Client`, as the owner and as a rep.
"""

import statistics
import time

from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext

from carts.demo import followup
from carts.models import Cart, CartContact, CartRecovery


def seed_follow_up() -> bool:
    """Contacts and recoveries for a bench database seeded before the demo had them; True if
    it wrote them now."""
    if CartRecovery.objects.exists():
        return False
    followup.seed_follow_up()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE carts_cartcontact")
        cursor.execute("VACUUM ANALYZE carts_cartrecovery")
    return True


def counts() -> str:
    orders = Cart.objects.filter(status="submitted").count()
    return (
        f"{Cart.objects.count():,} carts, {orders:,} orders, "
        f"{CartContact.objects.count():,} contacts, "
        f"{CartRecovery.objects.count():,} recovered orders"
    )


def time_path(client: Client, path: str, runs: int) -> tuple[float, int, int]:
    """Median milliseconds, queries of one request, and the status."""
    timings, queries, status = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
    return statistics.median(timings), queries, status


def table(clients: dict[str, Client], paths: list[tuple[str, str, str]], runs: int) -> list[str]:
    lines = [
        f"Recovery, median of {runs} ({counts()})",
        "",
        "| scenario | who | ms | q |",
        "| --- | --- | ---: | ---: |",
    ]
    for label, who, path in paths:
        ms, queries, status = time_path(clients[who], path, runs)
        cell = f"{ms:.0f}" if status == 200 else f"HTTP {status}"
        lines.append(f"| {label} | {who} | {cell} | {queries} |")
    return lines


def scenarios(rep_number: int) -> list[tuple[str, str, str]]:
    orders = "/carts/recovery/orders/"
    return [
        ("Recovery, last 12 months (default)", "owner", "/carts/recovery/"),
        ("Recovery, last 12 months (default)", "rep", "/carts/recovery/"),
        ("Recovery, ten years", "owner", "/carts/recovery/?date_from=2017-01-01"),
        (
            "Recovery, one month",
            "owner",
            "/carts/recovery/?date_from=2026-06-01&date_to=2026-06-30",
        ),
        ("Recovered orders, last 12 months, page 1", "owner", orders),
        ("Recovered orders, last 12 months, page 1", "rep", orders),
        (f"Recovered orders, rep {rep_number}", "owner", f"{orders}?rep={rep_number}"),
        ("Recovered orders, page 100", "owner", f"{orders}?page=100"),
    ]


def busiest_rep() -> int:
    row = (
        CartRecovery.objects.values("rep_number")
        .annotate(n=models.Count("pk"))
        .order_by("-n")
        .values_list("rep_number", flat=True)
        .first()
    )
    return int(row or 0)
