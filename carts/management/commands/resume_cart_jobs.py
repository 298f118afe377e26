from typing import Any

from django.core.management.base import BaseCommand

from carts.models import CartRun
from carts.runs import jobs


class Command(BaseCommand):
    help = (
        "Hand every unfinished cart job to the task workers again: run it before starting a "
        "worker (make run, the Procfile), so jobs a stopped worker left behind go on after "
        "their last finished chunk. A job still running elsewhere is not run twice: each chunk "
        "locks the job, and a chunk commits only once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        unfinished = CartRun.objects.filter(
            mode=CartRun.Mode.JOB, status__in=[CartRun.Status.QUEUED, CartRun.Status.RUNNING]
        )
        ids = list(unfinished.order_by("pk").values_list("pk", flat=True))
        for job_id in ids:
            jobs.enqueue(job_id)
        if options["verbosity"]:
            self.stdout.write(f"{len(ids)} unfinished cart job(s) handed to the workers.")
