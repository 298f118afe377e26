"""What follow-up recovered (issue 21): a customer's submit within RECOVERY_WINDOW_DAYS of a
staff call, e-mail or visit is credited, in the submit's transaction, to the last such contact;
the record never changes after."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from carts.models import Cart, CartContact, CartRecovery, RecoveryEmail
from carts.services.customer import add_to_cart, submit_cart
from carts.services.staff import delete_carts, restore_carts
from tests.carts.recovery.making import contact, linked_rep
from tests.factories import CustomerFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(catalog):
    """A customer of rep Anna's with an open cart of 4 bolts ($5.00)."""
    anna, rep = linked_rep("anna", "Anna Able")
    customer = CustomerFactory(price_level=catalog["wholesale"], sales_rep=rep)
    cart = add_to_cart(customer=customer, product=catalog["bolt"], quantity=4)
    return customer, cart, anna, rep


def test_it_credits_a_submit_after_a_call_to_the_caller_and_their_rep(shop):
    customer, cart, anna, rep = shop
    call = contact(cart, anna, days_ago=3)
    order = submit_cart(customer=customer)
    recovery = CartRecovery.objects.get(cart=order)
    assert (recovery.contact_id, recovery.contact_kind) == (call.pk, "phone")
    assert (recovery.credited_user_id, recovery.credited_user_name) == (anna.pk, "Anna Able")
    assert (recovery.rep_number, recovery.rep_name) == (rep.rep_number, "Anna Able")
    assert recovery.order_number == order.order_number
    assert recovery.submitted_at == order.submitted_at
    assert (recovery.total, recovery.currency) == (Decimal("5.00"), "USD")


@pytest.mark.parametrize(
    ("status", "credited"),
    [("sent", True), ("unknown", True), ("failed", False), ("queued", False), ("sending", False)],
)
def test_a_recovery_e_mail_counts_once_the_mail_server_took_it(shop, status, credited):
    """An e-mail the server refused, or that never went, reached nobody; one it may have taken
    (not confirmed) may have been read. An earlier call still counts when the e-mail does not."""
    customer, cart, anna, _ = shop
    call = contact(cart, anna, days_ago=5)
    mail = contact(cart, anna, days_ago=1, kind="email")
    RecoveryEmail.objects.create(
        contact=mail,
        cart=cart,
        customer=customer,
        template_name="t",
        to="a@example.com",
        sender=anna,
        status=status,
    )
    order = submit_cart(customer=customer)
    assert CartRecovery.objects.get(cart=order).contact_id == (mail.pk if credited else call.pk)


def test_a_contact_outside_the_window_recovers_nothing(shop, settings):
    customer, cart, anna, _ = shop
    settings.RECOVERY_WINDOW_DAYS = 14
    contact(cart, anna, days_ago=14.01)
    contact(cart, anna, days_ago=1, kind="other")  # "other" is not follow-up
    submit_cart(customer=customer)
    assert not CartRecovery.objects.exists()


def test_the_window_follows_the_setting(shop, settings):
    customer, cart, anna, _ = shop
    settings.RECOVERY_WINDOW_DAYS = 30
    contact(cart, anna, days_ago=20, kind="visit")
    order = submit_cart(customer=customer)
    assert CartRecovery.objects.get().cart_id == order.pk


def test_two_contacts_by_different_reps_credit_the_last(shop):
    customer, cart, anna, _ = shop
    bert, bert_rep = linked_rep("bert", "Bert Bee")
    contact(cart, anna, days_ago=5)
    last = contact(cart, bert, days_ago=2, kind="email")
    contact(cart, anna, days_ago=1, kind="other")  # later, but not a recovering kind
    submit_cart(customer=customer)
    recovery = CartRecovery.objects.get()
    assert (recovery.contact_id, recovery.credited_user_name) == (last.pk, "Bert Bee")
    assert recovery.rep_number == bert_rep.rep_number


def test_a_manager_without_a_rep_credits_the_carts_rep(shop):
    customer, cart, _, rep = shop
    manager = make_staff("manager", "carts.view_cart", "carts.add_cartcontact")
    contact(cart, manager, days_ago=1)
    submit_cart(customer=customer)
    recovery = CartRecovery.objects.get()
    assert (recovery.credited_user_id, recovery.rep_number) == (manager.pk, rep.rep_number)


def test_a_cart_deleted_and_restored_in_between_keeps_its_contact(shop):
    customer, cart, anna, _ = shop
    call = contact(cart, anna, days_ago=4)
    manager = make_staff("manager", "carts.view_cart", "carts.delete_cart")
    delete_carts(carts=Cart.objects.filter(pk=cart.pk), user=manager)
    restore_carts(carts=Cart.objects.filter(pk=cart.pk), user=manager)
    order = submit_cart(customer=customer)
    assert order.pk == cart.pk
    assert CartRecovery.objects.get().contact_id == call.pk


def test_a_new_cart_after_a_delete_is_not_credited_with_the_old_carts_contact(shop, catalog):
    customer, cart, anna, _ = shop
    contact(cart, anna, days_ago=2)
    manager = make_staff("manager", "carts.view_cart", "carts.delete_cart")
    delete_carts(carts=Cart.objects.filter(pk=cart.pk), user=manager)
    fresh = add_to_cart(customer=customer, product=catalog["nut"], quantity=1)
    assert submit_cart(customer=customer).pk == fresh.pk
    assert not CartRecovery.objects.exists()


def test_it_is_written_in_the_submits_transaction(shop):
    customer, cart, anna, _ = shop
    contact(cart, anna, days_ago=1)
    with pytest.raises(RuntimeError), transaction.atomic():
        submit_cart(customer=customer)
        assert CartRecovery.objects.filter(cart=cart).exists()
        raise RuntimeError("the submit fails after the credit")
    assert not CartRecovery.objects.exists()
    assert Cart.objects.get(pk=cart.pk).status == "open"


def test_a_contact_after_the_submit_never_makes_it_recovered(shop):
    customer, cart, anna, _ = shop
    submit_cart(customer=customer)
    contact(cart, anna, days_ago=0)
    assert not CartRecovery.objects.exists()


def test_the_database_refuses_to_change_a_recovery(shop):
    customer, cart, anna, _ = shop
    bert, bert_rep = linked_rep("bert", "Bert Bee")
    contact(cart, anna, days_ago=1)
    submit_cart(customer=customer)
    with pytest.raises(DatabaseError, match="never changed"), transaction.atomic():
        CartRecovery.objects.filter(cart=cart).update(rep_number=bert_rep.rep_number)
    assert CartRecovery.objects.get().credited_user_name == "Anna Able"


def test_every_contact_gets_the_rep_it_counts_for_whoever_inserts_it(shop):
    _, cart, _, rep = shop
    bert, bert_rep = linked_rep("bert", "Bert Bee")
    made = [
        CartContact.objects.create(
            cart=cart, author=author, author_name="x", kind="email", contacted_at=timezone.now()
        )
        for author in (bert, None, make_staff("manager", "carts.view_cart"))
    ]
    numbers = CartContact.objects.filter(pk__in=[c.pk for c in made]).order_by("pk")
    expected = [bert_rep.rep_number, rep.rep_number, rep.rep_number]
    assert list(numbers.values_list("rep_number", flat=True)) == expected
