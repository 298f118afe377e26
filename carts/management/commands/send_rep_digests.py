from typing import Any

from django.core.management.base import BaseCommand, CommandError

from carts.digest.sending import send_rep_digests


class Command(BaseCommand):
    help = (
        "E-mails each sales rep linked to a staff log-in their daily digest: follow-ups due, "
        "new carts, untouched carts and the value at stake. Once a store day per rep: run it "
        "again after a failure and only the reps not yet sent get theirs."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_rep_digests()
        for label, names in [
            ("Sent", run.sent),
            ("Nothing to act on (no mail)", run.idle),
            ("Already sent today", run.already),
            ("Left by a run stopped mid-send (not sent again)", run.unsent_claims),
            ("No e-mail address on the rep or their log-in", run.no_address),
            ("Their log-in may not see carts (give it the Sales rep role)", run.no_access),
        ]:
            self.stdout.write(f"{label}: {len(names)}" + "".join(f"\n  {n}" for n in names))
        if run.failed:
            raise CommandError(
                f"{len(run.failed)} digest(s) not delivered (run again to retry):\n  "
                + "\n  ".join(run.failed)
            )
