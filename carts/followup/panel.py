"""What the details dialog shows of a cart's follow-up, and which of its forms the user gets."""

from django.contrib.auth.models import User

from carts.access import may_add_contacts, may_add_notes, may_set_follow_up
from carts.days import store_today
from carts.followup.records import NOTE_MAX_LENGTH, OUTCOME_MAX_LENGTH, CartContact
from carts.models import Cart

SHOWN = 50


def follow_up_context(user: User, cart: Cart) -> dict[str, object]:
    is_open = cart.status == Cart.Status.OPEN
    return {
        "notes": cart.notes.order_by("-created_at", "-id")[:SHOWN],
        "contacts": cart.contacts.select_related("recovery_email").order_by("-contacted_at", "-id")[
            :SHOWN
        ],
        "contact_kinds": CartContact.Kind.choices,
        "note_max_length": NOTE_MAX_LENGTH,
        "outcome_max_length": OUTCOME_MAX_LENGTH,
        "today": store_today(),
        "can_note": may_add_notes(user),
        "can_contact": may_add_contacts(user),
        "can_follow_up": is_open and may_set_follow_up(user),
    }
