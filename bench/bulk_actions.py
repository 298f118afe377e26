"""Time the bulk actions on a big selection: select every cart open 90+ days, delete, undo,
then re-price them, against a seeded database (see bench/README.md).

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/seedbench \\
        .venv/bin/python bench/bulk_actions.py [--days 90]

It changes the database: the carts end up restored, at another price level.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "juniperadmin.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from carts.filters import OpenCartFilter  # noqa: E402
from carts.models import Cart  # noqa: E402
from carts.services.repricing import PriceLevelRefused, preview_price_level_change  # noqa: E402
from carts.services.staff import change_price_level, delete_carts, restore_carts  # noqa: E402
from pricing.models import PriceLevel  # noqa: E402


def timed(label: str, action):
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - started
    print(f"{label:40} {elapsed:8.2f} s {len(captured):4d} statements")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", default="90")
    args = parser.parse_args()
    user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench", password="bench-only-password"
    )

    def selection():
        query = QueryDict(f"days_open_min={args.days}")
        return OpenCartFilter(query, queryset=Cart.objects.open()).qs

    count = selection().count()
    print(f"{count:,} open carts started {args.days}+ days ago")
    deleted = timed(
        "delete_carts (select all matching)",
        lambda: delete_carts(carts=selection(), user=user),
    )
    timed(
        "restore_carts (undo)",
        lambda: restore_carts(carts=Cart.objects.filter(deletion_batch=deleted.batch), user=user),
    )
    level = PriceLevel.objects.get(number=0)
    preview = timed(
        "preview_price_level_change",
        lambda: preview_price_level_change(carts=selection(), level=level),
    )
    print(f"  {preview.cart_count:,} carts, {preview.blocked_count:,} blocked")
    try:
        timed(
            "change_price_level",
            lambda: change_price_level(carts=selection(), level=level, user=user),
        )
    except PriceLevelRefused as refused:
        print(f"  refused: {refused}")


if __name__ == "__main__":
    main()
