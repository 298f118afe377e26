"""Every change to cart state, split by who acts: `staff` (re-price, delete, restore, purge),
`customer` (add, change, view, submit) and `reps` (a customer's rep changes).

The contract, for every function here: keyword arguments and the acting user; one transaction
with the affected cart rows locked in id order, after any customer rows they need (also in id
order) and before the tallies (in key order), so two actions never deadlock; one audit entry
per cart, written in the same statement as the change (`audit.change_audited`, or
`audit.record` after it); every check made before the first write, so a refusal
(`CartActionRefused`) changes nothing. A bulk action runs the same handful of statements
whatever the number of carts. Views, the admin, commands and tests call these; nothing else
writes cart state.
"""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from pricing.money import CurrencyTotal


class CartActionRefused(Exception):
    """The action cannot go ahead; nothing was changed. The message says why."""


class NothingToChange(CartActionRefused):
    """None of the carts is in the state the action needs (no longer open, no longer deleted):
    refused in the request; a job's chunk counts them as left alone and goes on."""


@dataclass
class ActionResult:
    cart_ids: list[int]
    total_before: Decimal
    total_after: Decimal
    # The carts' value before the action, one total per currency.
    values: list[CurrencyTotal] = field(default_factory=list)
    batch: uuid.UUID | None = None
    # Carts the caller asked for that were not open (submitted or deleted meanwhile).
    left_alone: list[int] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cart_ids)
