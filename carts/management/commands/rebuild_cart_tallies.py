from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carts.tallies import products, triggers


class Command(BaseCommand):
    help = (
        "Re-create the open-cart and open-product tally triggers (with the current TIME_ZONE) "
        "and recount the tallies from the carts; --check only compares them with a recount."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Change nothing; fail if a tally is wrong."
        )

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        if check:
            wrong = triggers.differences() + products.differences()
            if wrong:
                raise CommandError(f"{len(wrong)} tallies differ from a recount: {wrong[:5]}")
            self.stdout.write("Every tally equals a recount of the carts.")
            return
        triggers.install()
        products.install()
        self.stdout.write(self.style.SUCCESS("Tallies rebuilt from the carts."))
