"""The two properties every fuzzed request must keep: never a 5xx, and a request that is not
carried out (refused, or only a preview) changes no row of the cart tables."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from hypothesis import event
from hypothesis.control import currently_in_test_context

from carts.models import (
    Cart,
    CartContact,
    CartEvent,
    CartLine,
    CartNote,
    CartRun,
    OpenCartTally,
    OpenProductTally,
)
from customers.models import Customer

# Every row of these is in the checksum: carts, lines, the audit, tallies, runs, and the
# customers (whose price level a re-price may move too), and the staff's notes and contacts.
WATCHED = (Cart, CartLine, CartEvent, CartNote, CartContact, OpenCartTally, OpenProductTally)
WATCHED += (CartRun, Customer)
FORM = "application/x-www-form-urlencoded"


def cart_tables_checksum() -> dict[str, str]:
    """A digest of every row of each watched table, by table: which one changed shows."""
    digests = {}
    for model in WATCHED:
        columns = [field.attname for field in model._meta.concrete_fields]
        digest = hashlib.sha256()
        for row in model.objects.order_by("pk").values_list(*columns):
            digest.update(repr(row).encode())
        digests[model._meta.db_table] = digest.hexdigest()
    return digests


@dataclass(frozen=True)
class World:
    """The `world` fixture: tokens for its rows and a signed-in client per person."""

    tokens: dict[str, str]
    clients: dict[str, Client]

    def resolve(self, value: str) -> str:
        return self.tokens.get(value, value)

    def encode(self, pairs: list[tuple[str, str]]) -> str:
        return urlencode([(name, self.resolve(value)) for name, value in pairs])

    def path(self, template: str, ref: str) -> str:
        """`template` with the row `ref` names (or the garbage it is) as its one segment."""
        return template.format(quote(self.resolve(ref), safe=""))


def attempt(
    world: World,
    role: str,
    method: str,
    url: str,
    body: str = "",
    *,
    dialog: bool = False,
    watch: Callable[[], dict[str, str]] = cart_tables_checksum,
) -> tuple[HttpResponse, list[str]]:
    """Send one request as `role` in a savepoint rolled back afterwards, so every example
    starts from the same store: the response, and what it changed of what `watch` digests
    (by default every row of the cart tables, by table)."""
    client = world.clients[role]
    client.cookies.pop("messages", None)
    headers = {"X-Dialog": "1"} if dialog else {}
    with transaction.atomic():
        before = watch()
        if method == "GET":
            response = client.get(f"{url}?{body}", headers=headers)
        else:
            response = client.post(url, body, content_type=FORM, headers=headers)
        after = watch()
        changed = [table for table, digest in after.items() if digest != before[table]]
        transaction.set_rollback(True)
    if currently_in_test_context():
        # How deep the examples went, in --hypothesis-show-statistics.
        event(f"{response.status_code}{', changed rows' if changed else ''}")
    return response, changed


def assert_safe(response: HttpResponse, changed: list[str], *, carried_out: bool) -> None:
    """No 5xx; and unless the request was carried out (the caller says when), no change."""
    status = response.status_code
    assert status < 500, f"{status}: {response.content[:500]!r}"
    if not carried_out:
        assert not changed, f"{status} but it changed {changed}: {response.content[:500]!r}"
