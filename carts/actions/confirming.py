"""What the one endpoint asks of an action's confirmation (declared with the action): given the
selection, either the dialog to show next (choose, preview, confirm) or, once confirmed, the run
to start."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.urls import reverse

from carts.actions.selection import pin_selection
from carts.mail.records import RecoveryTemplate
from carts.querysets import CartQuerySet
from carts.services.repricing import PriceLevelRefused
from pricing.models import PriceLevel


def list_url(query: str) -> str:
    url = reverse("carts:open_carts")
    return f"{url}?{query}" if query else url


@dataclass(frozen=True)
class Selection:
    """What an action is for, once validated: ticked carts, or every cart matching the list's
    filters (`select_across`)."""

    action: str
    label: str
    ids: list[int]
    select_across: bool
    query: str
    data: QueryDict
    confirmed: bool
    # Ticked carts that are no longer open: the action leaves them alone.
    left_alone: list[int] = field(default_factory=list)
    # A confirmed "select all matching": its preview's pin (checked), and how many carts
    # matching now were started or changed after that preview, so are left out.
    pin: str = ""
    changed_since_preview: int = 0

    @property
    def single(self) -> bool:
        return len(self.ids) == 1 and not self.select_across

    @property
    def back(self) -> str:
        return list_url(self.query)

    def pin_of(self, cutoff: datetime.datetime, count: int) -> str:
        """For a preview of "select all matching": what its confirmation may act on."""
        if not self.select_across:
            return ""
        return pin_selection(self.action, self.query, cutoff=cutoff, count=count)


@dataclass(frozen=True)
class RunOrder:
    """A confirmed action: the carts to run it on, the ids the person ticked (so the result can
    name those left alone), and the action's own arguments."""

    carts: CartQuerySet
    requested: list[int]
    level: PriceLevel | None = None
    also_customer: bool = False
    left_out: int = 0
    follow_up_on: datetime.date | None = None
    email_template: RecoveryTemplate | None = None
    send_again: bool = False


@dataclass
class Asked:
    """The confirmation's answer: a dialog (its context and status), or the run to start."""

    context: dict[str, Any]
    status: int = 200
    start: RunOrder | None = None


@dataclass(frozen=True)
class Confirmation:
    """An action's dialog on Open Carts: its template; `ask` for the next step; `refused` for
    the dialog again when the run is refused for its own reasons (a re-price's unpriced
    products), None to show the refusal on its own."""

    template: str
    ask: Callable[[Selection, CartQuerySet], Asked]
    refused: Callable[[Selection, CartQuerySet, PriceLevelRefused], Asked] | None = None
