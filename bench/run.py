"""Every Open Carts figure in one command, printed as one Markdown table (see bench/README.md).

    .venv/bin/python bench/run.py [--runs 15] [--quick] [--seed-timing] [--explain LABEL]

Against a PostgreSQL database of its own (never the demo or test database): migrates it,
seeds a million carts if it has none, then times the Open Carts page beside the plain
floor view and the Django admin, their throughput under gunicorn and wrk, and the bulk
actions. Progress goes to stderr, the report to stdout.
"""

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import (  # noqa: E402
    DEFAULT_DATABASE_URL,
    drop_database,
    ensure_database,
    refuse_shared,
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--runs", type=int, default=15, help="repetitions per page (15)")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per view (10)")
    parser.add_argument("--quick", action="store_true", help="3 runs, 3 s of wrk, no bulk")
    parser.add_argument(
        "--fresh", action="store_true", help="drop the bench database first (re-seeds, ~2 min)"
    )
    parser.add_argument("--skip-load", action="store_true", help="no gunicorn/wrk")
    parser.add_argument("--skip-bulk", action="store_true", help="no bulk actions")
    parser.add_argument("--skip-export", action="store_true", help="no exports")
    parser.add_argument(
        "--export-only", action="store_true", help="only the exports (CSV, lines, .xlsx)"
    )
    parser.add_argument(
        "--recovery-only", action="store_true", help="only the Recovery page (bench/recovery.py)"
    )
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="only the set-up import: 10,000 products x 10 levels, wide (seeds no carts)",
    )
    parser.add_argument(
        "--bulk-only",
        action="store_true",
        help="only the price changes and the bulk actions (no pages, load or exports)",
    )
    parser.add_argument(
        "--seed-timing", action="store_true", help="also time seed_demo in a scratch database"
    )
    parser.add_argument(
        "--explain", metavar="LABEL", help="EXPLAIN ANALYZE the scenarios matching LABEL, then stop"
    )
    args = parser.parse_args()
    if args.quick:
        args.runs, args.seconds, args.skip_bulk = 3, 3, True
    return args


def setup(database_url: str, *, fresh: bool) -> None:
    refuse_shared(database_url)
    if fresh:
        drop_database(database_url)
    ensure_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def main() -> None:
    args = parse_args()
    setup(args.database_url, fresh=args.fresh)

    if args.import_only:
        return import_report(args.database_url)
    from bench import bulk, database, explain, pages, report, scenarios, stale

    seeded = database.prepare(args.database_url)
    user = pages.bench_user()
    if one_part_only(args, user):
        return
    bulk.restore_leftovers(user)
    client = pages.signed_in_client(user)
    targets = pages.build_targets()
    rows = [*scenarios.fixed_scenarios(targets), *pages.link_scenarios(client, targets)]
    clients = {"owner": client, "rep": pages.signed_in_client(pages.bench_rep(targets.rep_number))}
    rows = pages.with_summaries(clients, rows)
    if args.explain:
        explain.explain(client, rows, args.explain)
        return
    extra = [report.seed_row(seeded)] if seeded else []
    if args.seed_timing:
        extra.append(report.seed_row(database.seed_into_scratch(args.database_url)))
    load_at_start = report.load_average()
    price_changes, changed = stale.change_prices()
    try:
        cells = pages.measure(clients, rows, args.runs)
    finally:
        price_changes += stale.put_prices_back(changed)
    extra.extend(report.bulk_rows(price_changes))
    throughput = {} if args.skip_load else measure_throughput(args, targets, client)
    if not args.skip_bulk:
        extra.extend(report.bulk_rows(bulk.run_bulk(user)))
    lines = report.header(args.runs, args.seconds, load_at_start)
    lines += report.table(rows, cells, throughput, extra)
    if not args.skip_export:
        lines += ["", *export_table(args.database_url, client)]
    print("\n".join([*lines, "", *report.notes(rows)]).rstrip())


def one_part_only(args: argparse.Namespace, user: Any) -> bool:
    """Print the one part asked for (the Recovery page, the exports, the bulk actions) and say
    so."""
    from bench import bulk, pages

    if args.bulk_only:
        bulk.restore_leftovers(user)
        print("\n".join(bulk_table(user)))
        return True
    if not (args.recovery_only or args.export_only):
        return False
    client = pages.signed_in_client(user)
    only = recovery_table(user, args.runs) if args.recovery_only else None
    print("\n".join(only or export_table(args.database_url, client)))
    return True


def bulk_table(user: Any) -> list[str]:
    """Only the bulk part: the price changes (and back), then the bulk actions."""
    from bench import bulk, report, stale

    load_at_start = report.load_average()
    price_changes, changed = stale.change_prices()
    price_changes += stale.put_prices_back(changed)
    rows = report.bulk_rows([*price_changes, *bulk.run_bulk(user)])
    lines = report.header(0, 0, load_at_start)[:5]
    table = [f"| {label} | {value} |" for label, value in rows]
    return [*lines, "", "| bulk action | time |", "| --- | ---: |", *table]


def measure_throughput(args: argparse.Namespace, targets: Any, client: "Client") -> Any:
    """Requests a second under gunicorn and wrk, for the page, the floor and the admin."""
    from django.conf import settings

    from bench import load

    paths = {"page": targets.page, "floor": targets.floor, "admin": targets.admin}
    name = settings.SESSION_COOKIE_NAME
    cookie = f"{name}={client.cookies[name].value}"
    return load.throughput(args.database_url, paths, cookie, args.seconds)


def recovery_table(user: Any, runs: int) -> list[str]:
    """The Recovery page and its orders, seeding contacts and recoveries the first time."""
    from bench import pages, recovery

    if recovery.seed_follow_up():
        print("seeded contacts and recoveries", file=sys.stderr)
    rep_number = recovery.busiest_rep()
    clients = {
        "owner": pages.signed_in_client(user),
        "rep": pages.signed_in_client(pages.bench_rep(rep_number)),
    }
    return recovery.table(clients, recovery.scenarios(rep_number), runs)


def export_table(database_url: str, client: "Client") -> list[str]:
    """The export part: each format of every open cart, under gunicorn (bench/export.py)."""
    from django.conf import settings

    from bench import export

    name = settings.SESSION_COOKIE_NAME
    figures = export.measure(database_url, f"{name}={client.cookies[name].value}")
    return export.table(figures, export.floor_seconds())


def import_report(database_url: str) -> None:
    """The set-up import on a migrated database, carts or none (bench/imports.py)."""
    from bench import database, imports

    database.migrate(database_url)
    print("\n".join(imports.table(imports.measure())))


if __name__ == "__main__":
    main()
