import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from carts.models import CartRun
from carts.runs import jobs
from carts.runs.policies import StaleCarts
from carts.runs.starting import start_purge
from carts.text import carts_count


class Command(BaseCommand):
    help = (
        "Run the store's clean-up policies once; schedule it daily (cron). Deletes open carts "
        "with no touch for STALE_CART_DAYS (if set), then purges carts deleted longer ago than "
        "CART_RETENTION_DAYS. Each runs as a job, listed with the others on the Jobs page."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = settings.STALE_CART_DAYS
        if days:
            policy = f"Stale-cart policy (STALE_CART_DAYS={days})"
            self.run_job(StaleCarts(days).delete_run(None, reason=policy), "deleted")
        else:
            self.stdout.write("Stale-cart policy off (STALE_CART_DAYS is not set).")
        retention = datetime.timedelta(days=settings.CART_RETENTION_DAYS)
        self.run_job(start_purge(timezone.now() - retention), "purged")

    def run_job(self, job: CartRun | None, verb: str) -> None:
        if job is None:
            self.stdout.write(f"Nothing {verb}.")
            return
        jobs.run(job.pk)
        job.refresh_from_db()
        if job.status == CartRun.Status.DONE:
            self.stdout.write(f"{job.name}: {carts_count(job.changed)} {verb}.")
        else:
            self.stderr.write(f"{job.name} stopped: {job.message}")
