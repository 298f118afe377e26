"""What the confirmations of the actions on open carts say about the carts they are for: whose
they are, which ticked ones are no longer open, and for "select all matching" the pin that keeps
the action to the carts its confirmation showed."""

import datetime

from django.contrib import messages
from django.contrib.auth.models import User
from django.core import signing
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext

from carts.models import Cart
from carts.querysets import CartQuerySet
from carts.services import CartActionRefused
from carts.text import NAMED_AT_MOST, carts_count, customers_named


def named(carts: QuerySet[Cart]) -> list[tuple[str, str]]:
    """The first customers of `carts` by name, as (name, customer number), for a message."""
    rows = carts.order_by("customer__name", "pk").values_list(
        "customer__name", "customer__customer_number"
    )
    return list(rows[:NAMED_AT_MOST])


class SelectionRefused(CartActionRefused):
    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


def no_such_carts(unknown: list[int]) -> SelectionRefused:
    """Ids that are not carts, or not carts the user may see: a 404 either way, so another
    rep's cart is never confirmed to exist."""
    numbers = ", ".join(map(str, unknown))
    return SelectionRefused(f"There is no cart {numbers}; nothing was changed.", status=404)


def no_longer_open(ids: list[int], user: User) -> list[int]:
    """The ticked carts that are no longer open. Refuses ids that are not carts (or not carts
    `user` may see), and a selection of which none is open."""
    if not ids:
        return []
    statuses = dict(Cart.objects.visible_to(user).filter(pk__in=ids).values_list("pk", "status"))
    if unknown := [pk for pk in ids if pk not in statuses]:
        raise no_such_carts(unknown)
    gone = [pk for pk in ids if statuses[pk] != Cart.Status.OPEN]
    if len(gone) == len(ids):
        raise SelectionRefused(
            "None of the selected carts is open any more (submitted or deleted); nothing was "
            "changed.",
            status=409,
        )
    return gone


PIN_SALT = "carts.dialogs.pin"
# How long a "select all matching" confirmation stays good; an older one is previewed again.
PIN_MAX_AGE = datetime.timedelta(hours=1)
NO_PIN = (
    "This “select all matching” action was not previewed, or its confirmation was altered; "
    "nothing was changed. Open the action again to see which carts it is for."
)
OLD_PIN = (
    "This confirmation is more than an hour old; nothing was changed. Open the action again "
    "to see which carts match now."
)


def pin_selection(action: str, query: str, *, cutoff: datetime.datetime, count: int) -> str:
    """Sign what a "select all matching" confirmation shows: `count` carts matching `query`,
    counted after `cutoff` (so every cart counted was started and last touched by then)."""
    pin = {"action": action, "query": query, "cutoff": cutoff.isoformat(), "count": count}
    return signing.dumps(pin, salt=PIN_SALT)


def _read_pin(token: str, *, action: str, query: str) -> tuple[datetime.datetime, int]:
    try:
        pin = signing.loads(token, salt=PIN_SALT, max_age=PIN_MAX_AGE)
    except signing.SignatureExpired:
        raise SelectionRefused(OLD_PIN, status=400) from None
    except signing.BadSignature:
        raise SelectionRefused(NO_PIN, status=400) from None
    if (pin["action"], pin["query"]) != (action, query):
        raise SelectionRefused(NO_PIN, status=400)
    return datetime.datetime.fromisoformat(pin["cutoff"]), pin["count"]


def changed_since_preview(count: int) -> str:
    """The note on the carts a confirmed "select all matching" left out."""
    return ngettext(
        "%(carts)s that its customer started or changed after the preview was left out.",
        "%(carts)s that their customers started or changed after the preview were left out.",
        count,
    ) % {"carts": carts_count(count)}


def pinned(carts: CartQuerySet, token: str, *, action: str, query: str) -> tuple[CartQuerySet, int]:
    """The carts a confirmed "select all matching" acts on: those matching now that were
    started and last touched before its preview counted them; and how many others match now.

    More such carts than the preview counted (one that aged into a days filter, or a customer's
    change still uncommitted when the preview counted) means the confirmation no longer says
    what would happen: refused."""
    cutoff, previewed = _read_pin(token[:5000], action=action, query=query)
    seen = Q(created_at__lte=cutoff, last_touched_at__lte=cutoff)
    counts = carts.order_by().aggregate(now=Count("pk"), seen=Count("pk", filter=seen))
    later = counts["now"] - counts["seen"]
    note = f" {changed_since_preview(later)}" if later else ""
    if counts["seen"] > previewed:
        raise SelectionRefused(_grown(counts["seen"] - previewed), status=409)
    if not counts["seen"]:
        none = ngettext(
            "The cart in the preview is no longer open and unchanged",
            "None of the %(count)s carts in the preview is still open and unchanged",
            previewed,
        ) % {"count": f"{previewed:,}"}
        none = none if previewed else "The confirmation was for no carts"
        raise SelectionRefused(f"{none}; nothing was changed.{note}", status=409)
    return carts.filter(seen), later


def _grown(count: int) -> str:
    return (
        ngettext(
            "%(carts)s now matches that the preview did not show; nothing was changed.",
            "%(carts)s now match that the preview did not show; nothing was changed.",
            count,
        )
        % {"carts": carts_count(count)}
        + " Open the action again to see which carts match now."
    )


def report_untouched(request: HttpRequest, left_alone: list[int], changed: int) -> None:
    """Carts asked for but not touched, say so: ticked ones that left the list before or while
    the action ran, and the `changed` ones "select all matching" left out after its preview."""
    if changed:
        messages.warning(request, changed_since_preview(changed))
    if not left_alone:
        return
    carts = Cart.objects.visible_to(request.user).filter(pk__in=left_alone)
    whose = customers_named(named(carts), len(left_alone))
    messages.warning(
        request,
        ngettext(
            "%(count)s selected cart was left alone",
            "%(count)s selected carts were left alone",
            len(left_alone),
        )
        % {"count": len(left_alone)}
        + f": no longer open (submitted by the customer or already deleted): {whose}.",
    )
