from typing import Any

from django.core.management.base import BaseCommand

from carts.runs import recovery


class Command(BaseCommand):
    help = (
        "Hand out again the cart jobs that can go on: unfinished ones a stopped worker left "
        "(they go on after their last finished chunk) and those a passing database error "
        "stopped, and the e-mails an inline run's request stopped before sending; name those "
        "stopped by a refusal or another error, left for a person to "
        "Resume or Roll back on the Jobs page; mark failed the task rows a killed worker left "
        "running. run_cart_worker does the same as it starts. A job still running elsewhere "
        "is not run twice: each chunk locks the job, and a chunk commits only once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = recovery.hand_out()
        if not options["verbosity"]:
            return
        self.stdout.write(f"{len(done.queued)} unfinished cart job(s) handed to the workers.")
        if done.undelivered:
            self.stdout.write(
                f"{len(done.undelivered)} inline run(s) whose request stopped with e-mails "
                "unsent handed to the workers to send them."
            )
        if done.orphans:
            self.stdout.write(
                f"{done.orphans} task(s) a stopped worker left running marked failed."
            )
        for run in done.resumed:
            self.stdout.write(f"{run.name} had stopped on a passing database error: it goes on.")
        for run, why in done.left:
            self.stdout.write(f"{run.name} stopped and is left for a person (Jobs page): {why}")
