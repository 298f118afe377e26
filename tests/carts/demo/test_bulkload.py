"""The bulk-load helpers on a real database: what they write, and what they do to the schema
while they write it."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.db.models import ProtectedError, signals

from carts.demo.bulkload import (
    analyse,
    copy_rows,
    delete_all,
    indexes_built_after_load,
    insert_rows,
    next_id,
    relations_pointing_at,
    reset_sequences,
    upsert_rows,
)
from carts.models import Cart, CartEvent, CartLine
from customers.models import Customer
from pricing.models import Product, ProductPrice
from tests.factories import ProductFactory, cart_of

pytestmark = pytest.mark.django_db

PRODUCT_COLUMNS = ("item_id", "name", "is_active")
CART_TABLES = ("carts_cart", "carts_cartline")


def stored_products() -> dict[str, tuple[str, bool]]:
    rows = Product.objects.values_list(*PRODUCT_COLUMNS)
    return {item_id: (name, is_active) for item_id, name, is_active in rows}


def row_versions(table: str, key: str) -> dict[str, str]:
    """Each row's ctid: an UPDATE writes a new row version, so a rewritten row moves."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key}, ctid::text FROM {table}")
        return dict(cursor.fetchall())


def schema_of(*tables: str) -> tuple[set[str], set[str]]:
    """The tables' index definitions, and their constraints and foreign keys pointing at them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [list(tables)])
        indexes = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) "
            "FROM pg_constraint "
            "WHERE conrelid = ANY(%(t)s::regclass[]) OR confrelid = ANY(%(t)s::regclass[])",
            {"t": list(tables)},
        )
        return indexes, {row[0] for row in cursor.fetchall()}


def file_of(table: str) -> int:
    """The table's file on disk: TRUNCATE gives it a new one, DELETE keeps the old."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_filenode(%s)", [table])
        return cursor.fetchone()[0]


def common_quantities() -> str | None:
    """The planner's statistics on cart line quantities: the most common ones."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_vals::text FROM pg_stats "
            "WHERE tablename = 'carts_cartline' AND attname = 'quantity'"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def test_it_inserts_rows_given_as_tuples_in_column_order() -> None:
    rows = (row for row in [("A-1", "Anvil", True), ("B-2", "Bellows", False)])
    insert_rows(Product, PRODUCT_COLUMNS, rows)
    assert stored_products() == {"A-1": ("Anvil", True), "B-2": ("Bellows", False)}


def test_it_updates_rows_with_the_same_natural_key_and_inserts_the_rest() -> None:
    insert_rows(Product, PRODUCT_COLUMNS, [("A-1", "Anvil", True)])
    rows = [("A-1", "Anvil, heavy", False), ("B-2", "Bellows", True)]
    upsert_rows(Product, ["item_id"], PRODUCT_COLUMNS, rows)
    assert stored_products() == {"A-1": ("Anvil, heavy", False), "B-2": ("Bellows", True)}


def test_it_upserts_on_a_natural_key_of_two_columns(catalog: dict) -> None:
    bolt, nut = catalog["bolt"], catalog["nut"]
    wholesale = catalog["wholesale"].pk
    columns = ["product_id", "price_level_id", "unit_price"]
    rows = [(bolt.pk, wholesale, Decimal("1.40")), (nut.pk, wholesale, Decimal("0.33"))]
    upsert_rows(ProductPrice, ["product_id", "price_level_id"], columns, rows)
    prices = ProductPrice.objects.filter(price_level=wholesale)
    assert dict(prices.values_list("product__item_id", "unit_price")) == {
        "BOLT": Decimal("1.40"),
        "NUT": Decimal("0.33"),
        "RARE": Decimal("99.99"),
    }
    assert ProductPrice.objects.count() == 5


@pytest.mark.postgres_behaviour
def test_it_rewrites_only_the_rows_that_changed() -> None:
    upsert_rows(Product, ["item_id"], PRODUCT_COLUMNS, [("A-1", "Anvil", True), ("B-2", "B", True)])
    before = row_versions("pricing_product", "item_id")
    upsert_rows(Product, ["item_id"], PRODUCT_COLUMNS, [("A-1", "Anvil", True), ("B-2", "C", True)])
    after = row_versions("pricing_product", "item_id")
    assert after["A-1"] == before["A-1"]
    assert after["B-2"] != before["B-2"]


@pytest.mark.postgres_behaviour
def test_it_copies_python_values_into_a_table() -> None:
    moment = datetime.datetime(2026, 3, 1, 12, 30, tzinfo=datetime.UTC)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE copied (label text, amount numeric, at timestamptz)")
        rows = [("plain", Decimal("12.50"), moment), ("text", "0.05", None), (None, None, None)]
        copy_rows(cursor, "copied", ["label", "amount", "at"], rows)
        cursor.execute("SELECT label, amount, at FROM copied ORDER BY label NULLS LAST")
        assert cursor.fetchall() == [
            ("plain", Decimal("12.50"), moment),
            ("text", Decimal("0.05"), None),
            (None, None, None),
        ]


def test_it_numbers_past_ids_that_were_handed_out_and_deleted() -> None:
    ProductFactory()
    last = ProductFactory().pk
    Product.objects.filter(pk=last).delete()
    assert next_id(Product) == last + 1


def test_it_moves_the_id_sequence_past_ids_assigned_by_hand() -> None:
    by_hand = next_id(Product) + 100
    insert_rows(Product, ("id", *PRODUCT_COLUMNS), [(by_hand, "H-1", "Numbered by hand", True)])
    reset_sequences(Product)
    assert ProductFactory().pk == by_hand + 1


def test_it_finds_the_foreign_keys_pointing_at_a_model() -> None:
    found = {(r.related_model, r.field.name, r.on_delete) for r in relations_pointing_at(Cart)}
    assert {(CartLine, "cart", models.CASCADE), (CartEvent, "cart", models.SET_NULL)} <= found
    assert relations_pointing_at(CartLine) == []


def test_it_empties_the_tables_and_keeps_the_audit_entries(catalog: dict) -> None:
    cart = cart_of(catalog, ("bolt", 2), ("nut", 1))
    event = CartEvent.objects.create(
        cart=cart, cart_number=cart.pk, customer_number="C1", action=CartEvent.Action.CREATED
    )
    with indexes_built_after_load(Cart, CartLine):
        delete_all(CartLine, Cart)
    assert not Cart.objects.exists()
    assert not CartLine.objects.exists()
    event.refresh_from_db()
    assert event.cart is None
    assert event.cart_number == cart.pk


@pytest.mark.postgres_behaviour
def test_it_truncates_when_only_set_null_foreign_keys_point_in(catalog: dict) -> None:
    cart_of(catalog, ("bolt", 1))
    files = [file_of(table) for table in CART_TABLES]
    with indexes_built_after_load(Cart, CartLine):
        delete_all(CartLine, Cart)
    assert all(file_of(table) != file for table, file in zip(CART_TABLES, files, strict=True))


def test_it_deletes_row_by_row_when_a_delete_signal_listens(catalog: dict) -> None:
    cart_of(catalog, ("bolt", 1), ("nut", 3))
    deleted: list[int] = []

    def note(sender: type[models.Model], instance: CartLine, **kwargs: object) -> None:
        deleted.append(instance.pk)

    signals.post_delete.connect(note, sender=CartLine)
    try:
        with indexes_built_after_load(Cart, CartLine):
            delete_all(CartLine, Cart)
    finally:
        signals.post_delete.disconnect(note, sender=CartLine)
    assert len(deleted) == 2
    assert not Cart.objects.exists()


def test_it_leaves_protected_rows_to_the_orm_which_refuses(catalog: dict) -> None:
    cart_of(catalog, ("bolt", 1))
    with pytest.raises(ProtectedError):
        delete_all(Customer)
    assert Customer.objects.count() == Cart.objects.count() == 1


@pytest.mark.postgres_behaviour
def test_it_drops_indexes_and_constraints_for_the_load_and_builds_them_again() -> None:
    indexes, constraints = schema_of(*CART_TABLES)
    with indexes_built_after_load(Cart, CartLine):
        during = schema_of(*CART_TABLES)
    assert schema_of(*CART_TABLES) == (indexes, constraints)
    assert during[0] == {index for index in indexes if "_pkey " in index}
    assert any("one_open_cart_per_customer" in index for index in indexes)
    # PostgreSQL 18 lists NOT NULL constraints too: they stay, like checks and primary keys.
    kept = {
        c for c in constraints if any(kind in c for kind in ("PRIMARY KEY", "CHECK", "NOT NULL"))
    }
    assert during[1] == kept != constraints
    assert any("carts_cartline" in c and "FOREIGN KEY" in c for c in constraints - kept)


@pytest.mark.postgres_behaviour
def test_it_checks_the_loaded_rows_and_leaves_the_schema_as_it_was_if_they_fail(
    catalog: dict,
) -> None:
    before = schema_of(*CART_TABLES)
    no_such_cart = next_id(Cart) + 1000
    line = (next_id(CartLine), no_such_cart, catalog["bolt"].pk, 1, "1.25")
    columns = ["id", "cart_id", "product_id", "quantity", "unit_price"]
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),  # stands for the caller's transaction, which the failure rolls back
        indexes_built_after_load(Cart, CartLine),
    ):
        insert_rows(CartLine, columns, [line])
    assert schema_of(*CART_TABLES) == before
    assert not CartLine.objects.exists()


@pytest.mark.postgres_behaviour
def test_it_alters_tables_whose_foreign_key_checks_are_still_deferred(catalog: dict) -> None:
    # Django's foreign keys are checked at commit, so these rows leave trigger events pending.
    cart_of(catalog, ("bolt", 1))
    with indexes_built_after_load(Cart, CartLine):
        cart_of(catalog, ("nut", 1))
    assert CartLine.objects.count() == 2


@pytest.mark.postgres_behaviour
def test_analyse_leaves_fresh_statistics_for_the_planner(catalog: dict) -> None:
    cart_of(catalog, ("bolt", 5))
    cart_of(catalog, ("nut", 5))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE carts_cartline")
    assert common_quantities() == "{5}"
    with indexes_built_after_load(Cart, CartLine):
        delete_all(CartLine, Cart)
        for _ in range(3):
            cart_of(catalog, ("bolt", 1), ("nut", 2))
    analyse(Cart, CartLine)
    assert common_quantities() in {"{1,2}", "{2,1}"}
