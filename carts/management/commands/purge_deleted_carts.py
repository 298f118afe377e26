import datetime
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from carts.models import Cart, CartRun
from carts.progress import progress
from carts.runs import jobs
from carts.runs.starting import start_purge
from carts.services.purge import expired
from carts.text import carts_count
from common.arguments import whole_number
from pricing.money import format_totals

MAX_BATCH = 100_000
MAX_DAYS = 36_500  # a century: any longer and the cut-off date is before the year 1


def retention_promised(days: int) -> str:
    return (
        f"--days {days} would purge carts deleted within the last "
        f"{settings.CART_RETENTION_DAYS} days, which the screens promise can still be restored "
        "(CART_RETENTION_DAYS). Nothing was purged. To purge them anyway add --before-retention "
        "(--dry-run first shows what would go)."
    )


class Command(BaseCommand):
    help = (
        "Destroy carts deleted longer ago than the retention period: a purge run (listed on "
        "the Jobs page) that this command works through itself, a batch per transaction."
    )

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
        parser.add_argument(
            "--before-retention",
            action="store_true",
            help="Allow --days below CART_RETENTION_DAYS: purge carts the screens still promise "
            "can be restored. Asks for confirmation unless --no-input is given.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Ask nothing (with --before-retention: it is confirmed).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar or lines.")

    def handle(
        self,
        *args: Any,
        dry_run: bool,
        batch_size: int,
        days: int,
        no_progress: bool,
        before_retention: bool,
        interactive: bool,
        **options: Any,
    ) -> None:
        early = days < settings.CART_RETENTION_DAYS
        if early and not before_retention and not dry_run:
            raise CommandError(retention_promised(days))
        before = timezone.now() - datetime.timedelta(days=days)
        found = expired(Cart.objects.visible_to(None), before).summary_by_currency()
        count = sum(total.carts for total in found)
        if dry_run or not count:
            verb = "Would purge" if dry_run else "Nothing to purge:"
            self.stdout.write(
                f"{verb} {carts_count(count)} deleted before {before:%Y-%m-%d} "
                f"({format_totals(found)})."
            )
            return
        if early and interactive:
            self.confirm(count, days)
        shown = not no_progress and options["verbosity"] > 0
        self.purge(before, batch_size, shown=shown)

    def purge(self, before: datetime.datetime, batch_size: int, *, shown: bool) -> None:
        run = start_purge(before)
        assert run is not None
        # A bar on a terminal; a line per tenth in a log (cron mails, CI), not frames run together.
        with progress(
            self.stderr, run.total, desc="Purging carts", unit="carts", enabled=shown
        ) as bar:
            status = jobs.run(run.pk, progress=bar.update, chunk=batch_size)
        run.refresh_from_db()
        if status != CartRun.Status.DONE:
            raise CommandError(f"{run.name} stopped: {run.message}")
        still = Cart.objects.visible_to(None).restorable().count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Purged {carts_count(run.changed)} ({format_totals(run.totals())}); "
                f"{carts_count(still)} deleted can still be restored."
            )
        )

    def confirm(self, count: int, days: int) -> None:
        """Purging inside the promised retention: the person types "purge", or nothing goes."""
        if not sys.stdin.isatty():
            raise CommandError(
                "Purging inside the retention period needs a confirmation: run it on a terminal, "
                "or add --no-input to confirm. Nothing was purged."
            )
        self.stdout.write(
            f"This destroys {carts_count(count)} deleted more than {days} days ago, some of "
            f"them inside the {settings.CART_RETENTION_DAYS} days they can still be restored. "
            "Their history stays; the carts cannot come back."
        )
        if input('Type "purge" to go ahead: ').strip() != "purge":
            raise CommandError("Not confirmed; nothing was purged.")
