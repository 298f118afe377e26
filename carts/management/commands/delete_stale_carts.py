from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from carts.models import CartRun
from carts.runs import jobs
from carts.runs.policies import StaleCarts
from carts.services import CartActionRefused
from carts.text import carts_count
from common.arguments import whole_number
from pricing.money import CurrencyTotal, format_totals

MAX_DAYS = 36_500


class Command(BaseCommand):
    help = (
        "Delete open carts nobody has touched for N days, as a job (restorable for "
        "CART_RETENTION_DAYS, each audit entry naming this clean-up)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        days = whole_number(1, MAX_DAYS)
        parser.add_argument("--last-touch-days", type=days, required=True, metavar="N")
        parser.add_argument("--days-open", type=days, metavar="M")
        parser.add_argument("--rep", type=whole_number(0, 2**31 - 1), metavar="R")
        parser.add_argument("--price-level", type=whole_number(0, 20), metavar="L")
        parser.add_argument(
            "--as", dest="username", required=True, help="the staff user the audit names"
        )
        parser.add_argument("--dry-run", action="store_true", help="only count them")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self.staff_user(options["username"])
        stale = StaleCarts(
            options["last_touch_days"], options["days_open"], options["rep"], options["price_level"]
        )
        try:
            if options["dry_run"]:
                found = stale.carts(user).summary_by_currency()
                self.say("Would delete", found, stale)
                return
            job = stale.delete_run(user, reason="delete_stale_carts")
        except CartActionRefused as refused:
            raise CommandError(str(refused)) from None
        if job is None:
            self.say("Nothing to delete:", [], stale)
            return
        disable = options["no_progress"] or options["verbosity"] == 0
        with tqdm(total=job.total, unit="cart", disable=disable) as bar:
            status = jobs.run(job.pk, progress=bar.update)
        job.refresh_from_db()
        if status != CartRun.Status.DONE:
            raise CommandError(f"{job.name} stopped: {job.message}")
        self.say(f"{job.name} deleted", job.totals(), stale)

    def staff_user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None or not user.is_staff or not user.has_perm("carts.delete_cart"):
            raise CommandError(f"{username!r} is not an active staff user who may delete carts.")
        return user

    def say(self, verb: str, totals: list[CurrencyTotal], stale: StaleCarts) -> None:
        count = sum(total.carts for total in totals)
        value = f" ({format_totals(totals)})" if totals else ""
        self.stdout.write(f"{verb} {carts_count(count)}{value}: {stale.describe()}.")
