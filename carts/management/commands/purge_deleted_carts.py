import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from carts import services
from pricing.money import format_money


class Command(BaseCommand):
    help = "Destroy carts deleted longer ago than the retention period, in batches."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many and their value."
        )
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--days",
            type=int,
            default=settings.CART_RETENTION_DAYS,
            help="Retention period in days (default: CART_RETENTION_DAYS).",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(
        self, *args, dry_run: bool, batch_size: int, days: int, no_progress: bool, **options
    ):
        before = timezone.now() - datetime.timedelta(days=days)
        count, value = services.purge_deleted_carts(before=before, dry_run=True)
        if dry_run or not count:
            verb = "Would purge" if dry_run else "Nothing to purge:"
            self.stdout.write(
                f"{verb} {count:,} carts deleted before {before:%Y-%m-%d} ({format_money(value)})."
            )
            return
        disable = no_progress or options["verbosity"] == 0
        with tqdm(total=count, unit="cart", disable=disable) as bar:
            purged, value = services.purge_deleted_carts(
                before=before, batch_size=batch_size, progress=bar.update
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Purged {purged:,} carts ({format_money(value)}); "
                f"{services.restorable().count():,} deleted carts can still be restored."
            )
        )
