"""Follow-up on a cart (issue 19): notes, contacts and the follow-up date, from the details
dialog; audited, append-only, kept through delete, restore and submit; never a customer touch;
bad input refused with a clear message and nothing changed."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import IntegrityError, connection, transaction
from django.test import Client

from carts.days import store_today
from carts.followup.records import CartContact, CartNote
from carts.models import Cart, CartEvent
from carts.services.customer import submit_cart
from carts.services.followup import FollowUpRefused, add_note, set_follow_up
from carts.services.staff import delete_carts, restore_carts
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

FOLLOW_UP = ("carts.add_cartnote", "carts.add_cartcontact", "carts.set_follow_up")


@pytest.fixture
def rep_client(client, staff) -> Client:
    """The manager, who may also write follow-up."""
    for name in FOLLOW_UP:
        app_label, codename = name.split(".")
        found = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        staff.user_permissions.add(found)
    client.force_login(User.objects.get(pk=staff.pk))
    return client


def post(client: Client, cart: Cart, dialog: bool = False, **data: str):
    headers = {"X-Dialog": "1"} if dialog else {}
    return client.post(f"/carts/{cart.pk}/follow-up/", data, headers=headers)


def stamps(cart: Cart) -> tuple:
    cart.refresh_from_db()
    return cart.last_touched_at, cart.total, cart.price_level_id


def test_a_note_is_kept_audited_and_shown_newest_first(rep_client, carts):
    cart, before = carts[0], stamps(carts[0])
    assert post(rep_client, cart, record="note", text="Called, no answer").status_code == 302
    response = post(rep_client, cart, dialog=True, record="note", text="Wants 10% off\nby Friday")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Note added." in page
    assert page.index("Wants 10% off") < page.index("Called, no answer")
    assert [n.text for n in CartNote.objects.filter(cart=cart)] == [
        "Wants 10% off\nby Friday",
        "Called, no answer",
    ]
    events = CartEvent.objects.filter(cart=cart, action=CartEvent.Action.NOTE_ADDED)
    assert {event.detail for event in events} == {"Called, no answer", "Wants 10% off\nby Friday"}
    assert {event.actor_name for event in events} == {"manager"}
    assert stamps(cart) == before  # staff activity: Last Touch stays the customer's


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"record": "note", "text": "   "}, "it is empty"),
        ({"record": "note", "text": "x" * 2001}, "at most 2,000 characters"),
        ({"record": "contact", "kind": "pigeon", "outcome": "?"}, "Choose how you got in touch"),
        ({"record": "contact", "kind": "phone", "contacted_at": "soon"}, "date and time"),
        ({"record": "contact", "kind": "phone", "contacted_at": "2999-01-01T10:00"}, "ahead"),
        ({"record": "follow_up", "follow_up_on": "2001-01-01"}, "has passed"),
        ({"record": "follow_up", "follow_up_on": "31/31/2031"}, "as a date"),
        ({"record": "follow_up"}, "Choose a follow-up date"),
        ({"record": "gossip"}, "Choose what to record"),
    ],
)
def test_bad_input_is_a_400_that_says_why_and_changes_nothing(rep_client, carts, data, message):
    cart, events = carts[0], CartEvent.objects.count()
    response = post(rep_client, cart, dialog=True, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CartEvent.objects.count() == events
    assert not CartNote.objects.exists() and not CartContact.objects.exists()
    cart.refresh_from_db()
    assert cart.follow_up_on is None


def test_what_was_typed_stays_after_a_refusal(rep_client, carts):
    page = post(rep_client, carts[0], dialog=True, record="note", text="x" * 2001).content
    assert ("x" * 2001).encode() in page


def test_a_contact_is_recorded_with_how_when_and_outcome(rep_client, carts):
    cart, before = carts[0], stamps(carts[0])
    response = post(rep_client, cart, record="contact", kind="visit", outcome="Order next week")
    assert response.status_code == 302
    contact = CartContact.objects.get(cart=cart)
    assert (contact.kind, contact.outcome, contact.author_name) == (
        "visit",
        "Order next week",
        "manager",
    )
    event = CartEvent.objects.get(cart=cart, action=CartEvent.Action.CONTACTED)
    assert event.detail == "Visit: Order next week"
    assert stamps(cart) == before
    details = rep_client.get(f"/carts/{cart.pk}/").content.decode()
    assert "Visit by manager: Order next week" in details


def test_a_follow_up_date_is_set_and_cleared_audited_and_not_a_touch(rep_client, carts):
    cart, before = carts[0], stamps(carts[0])
    day = store_today() + datetime.timedelta(days=3)
    assert (
        post(rep_client, cart, record="follow_up", follow_up_on=day.isoformat()).status_code == 302
    )
    cart.refresh_from_db()
    assert cart.follow_up_on == day
    assert post(rep_client, cart, record="follow_up", clear="1").status_code == 302
    cart.refresh_from_db()
    assert cart.follow_up_on is None
    details = [
        e.detail for e in CartEvent.objects.filter(cart=cart, action=CartEvent.Action.FOLLOW_UP_SET)
    ]
    assert sorted(details) == sorted(
        [f"Follow up on {day:%b} {day.day}, {day.year}", "Follow-up date cleared"]
    )
    assert stamps(cart) == before


def test_today_is_a_good_follow_up_date(staff, carts):
    result = set_follow_up(carts=Cart.objects.filter(pk=carts[0].pk), day=store_today(), user=staff)
    assert result.cart_ids == [carts[0].pk]


def test_a_viewer_cannot_write(client, carts):
    viewer = make_staff("looker")
    viewer.groups.add(Group.objects.get(name="Viewer"))
    client.force_login(viewer)
    for data in ({"record": "note", "text": "hi"}, {"record": "contact", "kind": "phone"}):
        assert post(client, carts[0], **data).status_code == 403
    assert not CartNote.objects.exists() and not CartContact.objects.exists()
    page = client.get(f"/carts/{carts[0].pk}/").content.decode()
    assert "Add a note" not in page and "Record a contact" not in page


def test_notes_and_contacts_outlive_delete_restore_and_submit(staff, carts, rep_client):
    cart = carts[0]
    post(rep_client, cart, record="note", text="Keep me")
    post(rep_client, cart, record="contact", kind="phone", outcome="Will order")
    delete_carts(carts=Cart.objects.filter(pk=cart.pk), user=staff)
    restore_carts(carts=Cart.objects.filter(pk=cart.pk), user=staff)
    submit_cart(customer=cart.customer)
    cart.refresh_from_db()
    assert cart.status == Cart.Status.SUBMITTED
    assert [n.text for n in cart.notes.all()] == ["Keep me"]
    assert [c.outcome for c in cart.contacts.all()] == ["Will order"]


def test_nobody_can_change_a_note_or_a_contact_in_the_database(staff, carts):
    note = add_note(carts=Cart.objects.all(), pk=carts[0].pk, user=staff, text="As said")
    with pytest.raises(IntegrityError), transaction.atomic():
        CartNote.objects.filter(pk=note.pk).update(text="As not said")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE carts_cartnote SET author_name = 'someone else'")
    assert CartNote.objects.get(pk=note.pk).text == "As said"


def test_a_note_on_a_cart_out_of_sight_is_refused(staff, carts):
    with pytest.raises(Exception, match="There is no cart"):
        add_note(carts=Cart.objects.none(), pk=carts[0].pk, user=staff, text="Sneaky")
    with pytest.raises(FollowUpRefused):
        add_note(carts=Cart.objects.all(), pk=carts[0].pk, user=staff, text="")


def test_the_admin_shows_a_carts_notes_and_contacts_read_only(rep_client, carts, admin_client):
    post(rep_client, carts[0], record="note", text="Prefers e-mail")
    post(rep_client, carts[0], record="contact", kind="email", outcome="Sent the quote")
    page = admin_client.get(f"/admin/carts/cart/{carts[0].pk}/change/").content.decode()
    assert "Prefers e-mail" in page and "Sent the quote" in page
    assert 'name="notes-0-text"' not in page  # shown, not editable
