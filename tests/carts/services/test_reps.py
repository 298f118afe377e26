"""Carts carry their customer's rep number, kept in step by PostgreSQL (`carts.services.reps`):
whatever moves customers to another rep, or renumbers a rep, their carts that are not
submitted follow in the same statement, one audit entry per cart moved."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carts.models import Cart, CartEvent, OpenCartTally
from carts.services import reps
from carts.services.customer import add_to_cart, submit_cart
from carts.services.staff import delete_carts
from carts.tallies import triggers
from customers.audit import acting_as
from customers.models import Customer, SalesRep
from tests.carts.racing import race
from tests.factories import (
    CustomerFactory,
    PriceLevelFactory,
    ProductFactory,
    SalesRepFactory,
    make_cart,
    make_staff,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_behaviour]

OPEN, SUBMITTED, DELETED = Cart.Status.OPEN, Cart.Status.SUBMITTED, Cart.Status.DELETED


def rep_numbers(customer: Customer) -> dict[str, int]:
    return dict(Cart.objects.filter(customer=customer).values_list("status", "rep_number"))


def moves() -> list[tuple]:
    fields = ("cart_number", "actor_id", "actor_name", "detail")
    return list(CartEvent.objects.filter(action="rep_changed").order_by("id").values_list(*fields))


@pytest.fixture
def shop() -> Customer:
    """A customer of rep 500 with an open cart, a deleted one and a submitted order."""
    customer = CustomerFactory(sales_rep=SalesRepFactory(rep_number=500))
    for status in (SUBMITTED, DELETED, OPEN):
        make_cart(customer, lines=[(ProductFactory(), 2, "1.50")], status=status)
    return customer


def test_a_customer_saved_with_another_rep_takes_their_open_and_deleted_carts(shop):
    shop.sales_rep = SalesRepFactory(rep_number=777)
    shop.save()
    assert rep_numbers(shop) == {OPEN: 777, DELETED: 777, SUBMITTED: 500}
    deleted, opened = Cart.objects.filter(customer=shop).exclude(status=SUBMITTED).order_by("pk")
    assert moves() == [
        (deleted.pk, None, "store set-up", "Rep # 500 → 777."),
        (opened.pk, None, "store set-up", "Rep # 500 → 777."),
    ]
    entry = CartEvent.objects.get(cart=opened)
    assert (entry.customer_number, entry.level_before, entry.level_after) == (
        shop.customer_number,
        opened.price_level_id,
        opened.price_level_id,
    )
    assert entry.total_before == entry.total_after == opened.total


def test_a_renumbered_rep_takes_their_customers_carts_but_never_a_submitted_order(shop):
    rep = shop.sales_rep
    rep.rep_number = 808
    rep.save()
    assert rep_numbers(shop) == {OPEN: 808, DELETED: 808, SUBMITTED: 500}
    assert [detail for *_, detail in moves()] == ["Rep # 500 → 808."] * 2


def test_an_update_of_many_customers_moves_all_their_carts(shop):
    other = make_cart(CustomerFactory(sales_rep=shop.sales_rep))
    elsewhere = make_cart(CustomerFactory(sales_rep=SalesRepFactory(rep_number=600)))
    Customer.objects.filter(sales_rep=shop.sales_rep).update(
        sales_rep=SalesRepFactory(rep_number=9)
    )
    assert rep_numbers(shop) == {OPEN: 9, DELETED: 9, SUBMITTED: 500}
    assert Cart.objects.get(pk=other.pk).rep_number == 9
    assert Cart.objects.get(pk=elsewhere.pk).rep_number == 600
    assert {name for _, _, name, _ in moves()} == {"store set-up"} and len(moves()) == 3


def test_saving_without_a_move_moves_and_records_nothing(shop):
    shop.name = "Renamed Supply"
    shop.save()
    shop.sales_rep.name = "Renamed Rep"
    shop.sales_rep.save()
    assert rep_numbers(shop) == {OPEN: 500, DELETED: 500, SUBMITTED: 500}
    assert moves() == []


def test_the_entries_name_whoever_acts_and_nobody_after(shop):
    clerk = make_staff("clerk")
    clerk.first_name, clerk.last_name = "Ada", "Lovelace"
    clerk.save()
    with acting_as(clerk):
        SalesRep.objects.filter(pk=shop.sales_rep_id).update(rep_number=501)
    SalesRep.objects.filter(pk=shop.sales_rep_id).update(rep_number=502)
    assert [(actor, name) for _, actor, name, _ in moves()] == [
        (clerk.pk, "Ada Lovelace"),
        (clerk.pk, "Ada Lovelace"),
        (None, "store set-up"),
        (None, "store set-up"),
    ]


def test_a_move_that_rolls_back_leaves_carts_and_history_as_they_were(shop):
    with pytest.raises(RuntimeError), transaction.atomic():
        Customer.objects.filter(pk=shop.pk).update(sales_rep=SalesRepFactory(rep_number=4))
        raise RuntimeError
    assert rep_numbers(shop) == {OPEN: 500, DELETED: 500, SUBMITTED: 500}
    assert moves() == []


def test_the_tallies_follow_the_carts_to_their_new_rep(shop):
    rep = shop.sales_rep
    rep.rep_number = 808
    rep.save()
    shop.sales_rep = SalesRepFactory(rep_number=909)
    shop.save()
    assert triggers.differences() == []
    tallied = Cart.objects.filter(customer=shop, status=OPEN).get().total
    assert list(OpenCartTally.objects.filter(carts__gt=0).values_list("rep_number", "value")) == [
        (909, tallied)
    ]


def test_installing_brings_carts_out_of_step_into_step(shop):
    reps.uninstall()
    shop.sales_rep = SalesRepFactory(rep_number=321)
    shop.save()
    assert rep_numbers(shop)[OPEN] == 500 and moves() == []
    reps.install()
    assert rep_numbers(shop) == {OPEN: 321, DELETED: 321, SUBMITTED: 500}
    assert [detail for *_, detail in moves()] == ["Rep # 500 → 321."] * 2
    assert triggers.differences() == []


COUNT_STATEMENTS = """
    CREATE TEMPORARY TABLE counted_statements (target text, operation text);
    CREATE FUNCTION pg_temp.count_statement() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO counted_statements VALUES (TG_TABLE_NAME, TG_OP); RETURN NULL; END $$;
    CREATE TRIGGER count_cart_statements AFTER INSERT OR UPDATE OR DELETE ON carts_cart
        FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.count_statement();
    CREATE TRIGGER count_event_statements AFTER INSERT OR UPDATE OR DELETE ON carts_cartevent
        FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.count_statement();
"""


def statements_run() -> list[tuple[str, str]]:
    """The statements run on carts and their audit entries since COUNT_STATEMENTS (the test's
    transaction drops the counting triggers with the rest)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT target, operation FROM counted_statements")
        return sorted(cursor.fetchall())


def customers_with_carts(count: int, rep: SalesRep) -> list[int]:
    """`count` customers of `rep`, each with an open cart, a deleted one and a submitted one."""
    level = PriceLevelFactory(number=1)
    made = Customer.objects.bulk_create(
        Customer(customer_number=f"B{n:05d}", name=f"Bulk {n}", price_level=level, sales_rep=rep)
        for n in range(count)
    )
    now = timezone.now()
    Cart.objects.bulk_create(
        Cart(
            customer=customer,
            price_level=level,
            rep_number=rep.rep_number,
            status=status,
            submitted_at=now if status == SUBMITTED else None,
            deleted_at=now if status == DELETED else None,
            total=Decimal("3.00"),
        )
        for customer in made
        for status in (OPEN, DELETED, SUBMITTED)
    )
    return [customer.pk for customer in made]


@pytest.mark.parametrize("count", [10, 1000])
def test_moving_customers_is_one_statement_however_many(count):
    here, there = SalesRepFactory(rep_number=1), SalesRepFactory(rep_number=2)
    ids = customers_with_carts(count, here)
    with connection.cursor() as cursor:
        cursor.execute(COUNT_STATEMENTS)
    with CaptureQueriesContext(connection) as queries:
        Customer.objects.filter(pk__in=ids).update(sales_rep=there)
    assert len(queries) == 1
    # The carts' move, and its audit entries, each one statement for every customer moved.
    assert statements_run() == [("carts_cart", "UPDATE"), ("carts_cartevent", "INSERT")]
    assert Cart.objects.filter(rep_number=2).count() == 2 * count
    assert CartEvent.objects.filter(action="rep_changed").count() == 2 * count
    assert Cart.objects.filter(status=SUBMITTED, rep_number=1).count() == count
    assert triggers.differences() == []


# Races on two real connections (tests/carts/racing.py): the first holds its locks until
# the second is seen waiting on one of them.
racing = pytest.mark.django_db(transaction=True)


def move(customer: Customer, rep: SalesRep) -> Callable[[], int]:
    return lambda: Customer.objects.filter(pk=customer.pk).update(sales_rep=rep)


def renumber(rep: SalesRep, number: int) -> Callable[[], int]:
    return lambda: SalesRep.objects.filter(pk=rep.pk).update(rep_number=number)


@racing
def test_a_customer_joining_a_rep_being_renumbered_takes_the_new_number(shop):
    joined = SalesRepFactory(rep_number=600)
    race(renumber(joined, 601), move(shop, joined))
    assert rep_numbers(shop) == {OPEN: 601, DELETED: 601, SUBMITTED: 500}
    assert [detail for *_, detail in moves()] == ["Rep # 500 → 601."] * 2


@racing
def test_a_rep_renumbered_as_a_customer_leaves_does_not_take_their_carts(shop):
    left, joined = shop.sales_rep, SalesRepFactory(rep_number=600)
    race(move(shop, joined), renumber(left, 501))
    assert rep_numbers(shop) == {OPEN: 600, DELETED: 600, SUBMITTED: 500}
    assert [detail for *_, detail in moves()] == ["Rep # 500 → 600."] * 2


@racing
def test_an_order_submitted_as_its_customer_moves_keeps_its_rep(shop):
    open_cart = Cart.objects.get(customer=shop, status=OPEN)
    race(lambda: submit_cart(customer=shop), move(shop, SalesRepFactory(rep_number=600)))
    assert Cart.objects.get(pk=open_cart.pk).rep_number == 500
    assert rep_numbers(shop) == {DELETED: 600, SUBMITTED: 500}
    assert not CartEvent.objects.filter(cart=open_cart, action="rep_changed").exists()


@racing
def test_a_cart_deleted_as_its_customer_moves_moves_too(shop):
    open_cart = Cart.objects.get(customer=shop, status=OPEN)
    staff = make_staff("manager", "carts.delete_cart")
    race(
        lambda: delete_carts(carts=Cart.objects.filter(pk=open_cart.pk), user=staff),
        move(shop, SalesRepFactory(rep_number=600)),
    )
    assert Cart.objects.get(pk=open_cart.pk).rep_number == 600
    history = CartEvent.objects.filter(cart=open_cart).order_by("id")
    assert list(history.values_list("action", flat=True)) == ["deleted", "rep_changed"]
    assert triggers.differences() == []


def test_a_new_cart_takes_its_customers_rep_whatever_it_was_given(shop):
    newcomer = CustomerFactory(sales_rep=SalesRepFactory(rep_number=600))
    cart = Cart.objects.create(customer=newcomer, price_level=newcomer.price_level, rep_number=1)
    assert Cart.objects.get(pk=cart.pk).rep_number == 600


@racing
def test_a_cart_started_as_its_rep_is_renumbered_takes_the_new_number(catalog, shop):
    newcomer = CustomerFactory(sales_rep=shop.sales_rep)
    _, cart = race(
        renumber(shop.sales_rep, 501),
        lambda: add_to_cart(customer=newcomer, product=catalog["bolt"], quantity=1),
    )
    assert Cart.objects.get(pk=cart.pk).rep_number == 501


@racing
def test_a_cart_made_as_its_customer_moves_takes_the_new_rep(shop):
    newcomer = CustomerFactory(sales_rep=shop.sales_rep)
    _, cart = race(
        move(newcomer, SalesRepFactory(rep_number=600)),
        lambda: Cart.objects.create(
            customer=newcomer, price_level=newcomer.price_level, rep_number=500
        ),
    )
    assert Cart.objects.get(pk=cart.pk).rep_number == 600
