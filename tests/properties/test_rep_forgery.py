"""A sales rep forging another rep's ids (issue 19): carts in actions and restores, notes,
contacts and follow-up dates on a cart's follow-up form, and job ids. Whatever is posted, no
row of the other rep's carts, nor of their notes, contacts, audit or runs, changes, and the
answer is never a 5xx. The rep is linked to rep 701 and may delete, re-price and follow up;
every other cart ("@open_b", "@submitted", "@clash"…) is rep 702's."""

import hashlib

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from carts.models import Cart, CartContact, CartEvent, CartNote, CartRun
from tests.properties.checks import World, assert_safe, attempt
from tests.properties.profiles import property_test
from tests.properties.strategies import (
    CART_IDS,
    DAY,
    GARBAGE,
    JUNK_PAIR,
    REPS,
    form,
    maybe,
    mostly,
    numbers,
    refs,
)

pytestmark = pytest.mark.django_db

OTHER_REP = REPS[1]
THEIRS = refs("open_b", "submitted", "clash", "clash_new", "queued_job_cart")
FORGED_CARTS = st.lists(THEIRS, min_size=1, max_size=3) | CART_IDS
FOLLOW_UP_BODY = form(
    {
        "record": mostly(st.sampled_from(["note", "contact", "follow_up"])),
        "text": maybe(mostly(st.sampled_from(["Called", "x" * 2001, " "]))),
        "kind": maybe(mostly(st.sampled_from(["phone", "email", "visit", "other", "fax"]))),
        "outcome": maybe(GARBAGE),
        "contacted_at": maybe(mostly(st.just("2026-01-02T10:00"))),
        "follow_up_on": maybe(mostly(DAY)),
        "clear": maybe(st.just("1")),
    }
)


def theirs() -> dict[str, str]:
    """Every row that belongs to the other rep's carts: the carts, their notes, contacts and
    audit entries, and the runs of their manager."""
    carts = Cart.objects.filter(rep_number=OTHER_REP)
    digest = hashlib.sha256()
    for rows in (
        carts.order_by("pk").values_list(),
        CartNote.objects.filter(cart__in=carts).order_by("pk").values_list(),
        CartContact.objects.filter(cart__in=carts).order_by("pk").values_list(),
        CartEvent.objects.filter(cart__in=carts).order_by("pk").values_list(),
        CartRun.objects.exclude(created_by__username="rep").order_by("pk").values_list(),
    ):
        for row in rows:
            digest.update(repr(row).encode())
    return {f"rep {OTHER_REP}'s carts": digest.hexdigest()}


def forged(world: World, method: str, url: str, body: str, dialog: bool = False) -> None:
    """As the rep: never a 5xx, and nothing of the other rep's changed, whatever the answer."""
    response, changed = attempt(world, "rep", method, url, body, dialog=dialog, watch=theirs)
    assert_safe(response, changed, carried_out=False)


@property_test
@given(
    action=st.sampled_from(["delete", "change_price_level", "follow_up"]),
    carts=FORGED_CARTS,
    extra=st.lists(JUNK_PAIR, max_size=2),
    confirm=st.booleans(),
    dialog=st.booleans(),
)
@example(action="delete", carts=["@open_b"], extra=[], confirm=True, dialog=False)
@example(action="follow_up", carts=["@open_a", "@open_b"], extra=[], confirm=True, dialog=True)
def test_forged_cart_ids_in_an_action_change_nothing_of_theirs(
    world, action, carts, extra, confirm, dialog
):
    pairs = [("action", action), *(("cart", cart) for cart in carts), *extra]
    pairs += [("price_level", "@dealer"), ("follow_up_on", "2999-01-01")]
    pairs += [("confirm", "1")] if confirm else []
    forged(world, "POST", "/carts/actions/", world.encode(pairs), dialog)
    forged(world, "POST", "/carts/restore/", world.encode([("cart", c) for c in carts]))


@property_test
@given(cart=THEIRS | numbers(0, 2**70), body=FOLLOW_UP_BODY, dialog=st.booleans())
@example(cart="@open_b", body=[("record", "note"), ("text", "Mine now")], dialog=False)
@example(cart="@open_b", body=[("record", "follow_up"), ("clear", "1")], dialog=True)
def test_forged_notes_contacts_and_dates_change_nothing_of_theirs(world, cart, body, dialog):
    forged(world, "POST", world.path("/carts/{}/follow-up/", cart), world.encode(body), dialog)


@pytest.mark.parametrize("url", ["/carts/runs/{}/resume/", "/carts/runs/{}/undo/"])
@property_test
@given(job=mostly(refs("done_job", "queued_job")) | numbers(0, 2**70))
@example(job="@done_job")
def test_forged_job_ids_change_nothing_of_theirs(world, url, job):
    forged(world, "POST", world.path(url, job), "")
