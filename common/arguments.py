"""Checked arguments for management commands: a value out of range stops the command with
one clear line (a CommandError), before it changes anything; and the guard that keeps the
demo commands off a real store."""

import argparse
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse `type` accepting whole numbers from `low` to `high`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low:,} to {high:,}, not {value:,}")
        return value

    parse.__name__ = "whole number"  # how argparse names the type in its messages
    return parse


NOT_PRODUCTION = "--i-know-this-is-not-production"


def add_not_production_flag(parser: CommandParser) -> None:
    """The flag a demo command needs to run with DEBUG off (see `refuse_on_a_real_store`)."""
    parser.add_argument(
        NOT_PRODUCTION,
        action="store_true",
        help="Run even though DEBUG is off: this database is a demo's, not a real store's.",
    )


def refuse_on_a_real_store(options: dict[str, Any], harm: str) -> None:
    """Stop a demo command, before it changes anything, where DEBUG is off (so, as far as we
    can tell, on a real store) unless its caller said otherwise with the flag."""
    if settings.DEBUG or options["i_know_this_is_not_production"]:
        return
    raise CommandError(
        f"DEBUG is off, so this may be a real store, and {harm}. Nothing was changed. "
        f"On a demo or development database, set DEBUG=true or add {NOT_PRODUCTION}."
    )
