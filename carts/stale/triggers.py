"""Prices out of date: `Cart.stale_lines`, how many of an open cart's lines are not priced at
the product's current price at the cart's level, kept by PostgreSQL statement triggers in the
same transaction as every writer of prices, lines and carts (the Django admin, an import, a
customer, a staff re-price), so the Open Carts badge and filter read one indexed column.

Every trigger works out which open carts a statement may have changed and recounts just those
(`carts_recount_stale`): a cart's count always comes from its lines as they are, never from a
running delta. The recount locks the carts whose count changes, in id order, as every cart
action does, and leaves the others untouched (no write, no lock). What is recounted:
- a price inserted, changed or deleted: the open carts at that level with a line of that
  product (one product: its carts; a whole level: most of that level's carts, one statement);
- lines inserted, deleted, or re-priced (a quantity change alone changes nothing);
- carts moved to another level, or opened again (restored).
Submitted and deleted carts keep the count they had; a restore recounts.

A gap: a customer adding a product in the very moment its price changes, both uncommitted,
can add the line at the old price without either transaction seeing the other; the line is
then not counted until the cart is next recounted (`recount_all`).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

# How many of cart `cart`'s lines differ from their product's price at the cart's level.
COUNT = """
    (SELECT count(*) FROM carts_cartline AS line
     JOIN pricing_productprice AS price
        ON price.product_id = line.product_id AND price.price_level_id = cart.price_level_id
     WHERE line.cart_id = cart.id AND line.unit_price <> price.unit_price)
"""

RECOUNT_FUNCTION = f"""
    CREATE OR REPLACE FUNCTION carts_recount_stale(candidates bigint[]) RETURNS void
    LANGUAGE plpgsql AS $$
    DECLARE changing bigint[];
    BEGIN
        SELECT array_agg(cart.id ORDER BY cart.id) INTO changing
        FROM carts_cart AS cart
        WHERE cart.id = ANY(candidates) AND cart.status = 'open'
            AND cart.stale_lines <> {COUNT};
        IF changing IS NULL THEN RETURN; END IF;
        PERFORM 1 FROM carts_cart WHERE id = ANY(changing) ORDER BY id FOR NO KEY UPDATE;
        UPDATE carts_cart AS cart SET stale_lines = {COUNT}
        WHERE cart.id = ANY(changing) AND cart.status = 'open';
    END $$
"""


def _recount(carts: str) -> str:
    """The function body that recounts the open carts whose ids `carts` (a query) selects."""
    return f"PERFORM carts_recount_stale(ARRAY(SELECT DISTINCT id FROM ({carts}) AS ids (id)))"


def _price_pairs(*tables: str) -> str:
    return " UNION ".join(f"SELECT product_id, price_level_id FROM {table}" for table in tables)


def _carts_priced_by(pairs: str) -> str:
    """Open carts at a level with a line of a product whose price there changed."""
    return f"""
        SELECT line.cart_id FROM ({pairs}) AS pair
        JOIN carts_cartline AS line ON line.product_id = pair.product_id
        JOIN carts_cart AS cart ON cart.id = line.cart_id
            AND cart.price_level_id = pair.price_level_id AND cart.status = 'open'
    """


# A price's old and new rows, when its amount (or what it prices) changed.
PRICE_CHANGES = """
    SELECT was.product_id, was.price_level_id FROM old_prices AS was
    JOIN new_prices AS now ON now.id = was.id
    WHERE (now.unit_price, now.product_id, now.price_level_id)
        IS DISTINCT FROM (was.unit_price, was.product_id, was.price_level_id)
    UNION
    SELECT now.product_id, now.price_level_id FROM old_prices AS was
    JOIN new_prices AS now ON now.id = was.id
    WHERE (now.unit_price, now.product_id, now.price_level_id)
        IS DISTINCT FROM (was.unit_price, was.product_id, was.price_level_id)
"""

LINE_CHANGES = """
    SELECT now.cart_id FROM new_lines AS now JOIN old_lines AS was ON was.id = now.id
    WHERE (now.unit_price, now.product_id, now.cart_id)
        IS DISTINCT FROM (was.unit_price, was.product_id, was.cart_id)
    UNION ALL
    SELECT was.cart_id FROM new_lines AS now JOIN old_lines AS was ON was.id = now.id
    WHERE now.cart_id <> was.cart_id
"""

CART_CHANGES = """
    SELECT now.id FROM new_carts AS now JOIN old_carts AS was ON was.id = now.id
    WHERE now.status = 'open'
        AND (now.price_level_id <> was.price_level_id OR was.status <> 'open')
"""

TRIGGERS = {
    # name: (table, event, transition tables, the function's body)
    "stale_price_insert": (
        "pricing_productprice",
        "INSERT",
        "NEW TABLE AS new_prices",
        _recount(_carts_priced_by(_price_pairs("new_prices"))),
    ),
    "stale_price_update": (
        "pricing_productprice",
        "UPDATE",
        "OLD TABLE AS old_prices NEW TABLE AS new_prices",
        _recount(_carts_priced_by(PRICE_CHANGES)),
    ),
    "stale_price_delete": (
        "pricing_productprice",
        "DELETE",
        "OLD TABLE AS old_prices",
        _recount(_carts_priced_by(_price_pairs("old_prices"))),
    ),
    "stale_line_insert": (
        "carts_cartline",
        "INSERT",
        "NEW TABLE AS new_lines",
        _recount("SELECT cart_id FROM new_lines"),
    ),
    "stale_line_update": (
        "carts_cartline",
        "UPDATE",
        "OLD TABLE AS old_lines NEW TABLE AS new_lines",
        _recount(LINE_CHANGES),
    ),
    "stale_line_delete": (
        "carts_cartline",
        "DELETE",
        "OLD TABLE AS old_lines",
        _recount("SELECT cart_id FROM old_lines"),
    ),
    "stale_cart_update": (
        "carts_cart",
        "UPDATE",
        "OLD TABLE AS old_carts NEW TABLE AS new_carts",
        _recount(CART_CHANGES),
    ),
}


def install(db: BaseDatabaseWrapper = connection) -> None:
    """Create (or re-create) the function and triggers, then recount every open cart."""
    with db.cursor() as cursor:
        cursor.execute(RECOUNT_FUNCTION)
        for name, (table, event, tables, body) in TRIGGERS.items():
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION carts_{name}() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$"
            )
            cursor.execute(f"DROP TRIGGER IF EXISTS carts_{name} ON {table}")
            cursor.execute(
                f"CREATE TRIGGER carts_{name} AFTER {event} ON {table} "
                f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION carts_{name}()"
            )
    recount_all(db)


def uninstall(db: BaseDatabaseWrapper = connection) -> None:
    with db.cursor() as cursor:
        for name, (table, *_) in TRIGGERS.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS carts_{name} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS carts_{name}()")
        cursor.execute("DROP FUNCTION IF EXISTS carts_recount_stale(bigint[])")


# Every open cart's count in one pass over the lines (a join, not one count per cart); only
# carts whose count changes are written.
RECOUNT_ALL = """
    WITH counted AS (
        SELECT line.cart_id, count(*) AS stale
        FROM carts_cartline AS line
        JOIN carts_cart AS cart ON cart.id = line.cart_id AND cart.status = 'open'
        JOIN pricing_productprice AS price
            ON price.product_id = line.product_id AND price.price_level_id = cart.price_level_id
        WHERE line.unit_price <> price.unit_price
        GROUP BY line.cart_id
    )
    UPDATE carts_cart AS cart SET stale_lines = coalesce(counted.stale, 0)
    FROM carts_cart AS open_cart LEFT JOIN counted ON counted.cart_id = open_cart.id
    WHERE open_cart.status = 'open' AND cart.id = open_cart.id
        AND cart.stale_lines <> coalesce(counted.stale, 0)
"""


def recount_all(db: BaseDatabaseWrapper = connection) -> None:
    """Recount every open cart (the migration's backfill, and after a bulk load)."""
    with db.cursor() as cursor:
        cursor.execute(RECOUNT_ALL)


@contextmanager
def recounted_after_load(db: BaseDatabaseWrapper = connection) -> Iterator[None]:
    """For a bulk load of lines: the line triggers rest during the load, and every open cart
    is recounted once after it, in the caller's transaction."""
    db.check_constraints()
    with db.cursor() as cursor:
        cursor.execute("ALTER TABLE carts_cartline DISABLE TRIGGER USER")
    yield
    with db.cursor() as cursor:
        cursor.execute("ALTER TABLE carts_cartline ENABLE TRIGGER USER")
    recount_all(db)
