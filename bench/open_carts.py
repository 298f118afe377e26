"""Time the Open Carts page at scale and show how PostgreSQL plans each sort.

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/seedbench \
        .venv/bin/python bench/open_carts.py [--runs 5] [--explain]

Seed the database first (`manage.py seed_demo --carts 1000000`). Prints the median time of
the whole page (view + template) per scenario; --explain adds the plans of its queries.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "juniperadmin.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from carts.models import Cart  # noqa: E402
from carts.tables import OpenCartsTable  # noqa: E402
from carts.views import open_carts  # noqa: E402

SCENARIOS = [
    {},
    # Every data column: the table's sequence after the check box and the Actions.
    *({"sort": column} for column in OpenCartsTable.Meta.sequence[2:]),
    *({"sort": f"-{column}"} for column in ("customer", "rep_number", "total", "last_touch")),
    {"days_open_min": "90"},
    {"last_touch_max": "1", "sort": "-total"},
    {"total_min": "500", "total_max": "600"},
    {"q": "hardware"},
    {"rep": "REP"},
    {"page": "2000"},
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    from customers.models import SalesRep

    user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench", password="bench-only-password"
    )
    rep = SalesRep.objects.order_by("rep_number").first()
    factory = RequestFactory()
    print(f"{Cart.objects.open().count():,} open carts on {connection.vendor}")
    print(f"{'scenario':45} {'median ms':>10} {'queries':>8}")
    for scenario in SCENARIOS:
        query = {k: (str(rep.rep_number) if v == "REP" else v) for k, v in scenario.items()}
        timings = []
        for _ in range(args.runs):
            request = factory.get("/carts/", query)
            request.user = user
            request.session = {}
            request._messages = _NoMessages()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = open_carts(request)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        label = "&".join(f"{k}={v}" for k, v in query.items()) or "(default)"
        print(f"{label:45} {statistics.median(timings):10.1f} {len(captured):8d}")
        if args.explain:
            for sql in (q["sql"] for q in captured.captured_queries if "carts_cart" in q["sql"]):
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN ANALYZE {sql}")
                    for (line,) in cursor.fetchall():
                        print("    " + line)


class _NoMessages(list):
    def add(self, *args, **kwargs) -> None:
        self.append(args)


if __name__ == "__main__":
    main()
