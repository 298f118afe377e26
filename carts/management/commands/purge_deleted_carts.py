import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from carts.models import Cart
from carts.progress import progress
from carts.services.purge import purge_deleted_carts
from carts.text import carts_count
from juniperadmin.arguments import whole_number
from pricing.money import format_totals

MAX_BATCH = 100_000
MAX_DAYS = 36_500  # a century: any longer and the cut-off date is before the year 1


class Command(BaseCommand):
    help = "Destroy carts deleted longer ago than the retention period, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many and their value."
        )
        parser.add_argument(
            "--batch-size",
            type=whole_number(1, MAX_BATCH),
            default=1000,
            help=f"Carts per transaction, 1 to {MAX_BATCH:,} (default: 1,000).",
        )
        parser.add_argument(
            "--days",
            type=whole_number(1, MAX_DAYS),
            default=settings.CART_RETENTION_DAYS,
            help="Purge carts deleted more than this many days ago, 1 to 36,500 "
            "(default: CART_RETENTION_DAYS). Never 0: carts deleted minutes ago can be undone.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar or lines.")

    def handle(
        self,
        *args: Any,
        dry_run: bool,
        batch_size: int,
        days: int,
        no_progress: bool,
        **options: Any,
    ) -> None:
        before = timezone.now() - datetime.timedelta(days=days)
        expired = purge_deleted_carts(before=before, dry_run=True)
        count = sum(total.carts for total in expired)
        if dry_run or not count:
            verb = "Would purge" if dry_run else "Nothing to purge:"
            self.stdout.write(
                f"{verb} {carts_count(count)} deleted before {before:%Y-%m-%d} "
                f"({format_totals(expired)})."
            )
            return
        # A bar on a terminal; a line per tenth in a log (cron mails, CI), not frames run together.
        shown = not no_progress and options["verbosity"] > 0
        with progress(self.stderr, count, desc="Purging carts", unit="carts", enabled=shown) as bar:
            purged = purge_deleted_carts(before=before, batch_size=batch_size, progress=bar.update)
        still = Cart.objects.restorable().count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Purged {carts_count(sum(total.carts for total in purged))} "
                f"({format_totals(purged)}); {carts_count(still)} deleted can still be restored."
            )
        )
