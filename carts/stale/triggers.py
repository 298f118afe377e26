"""Prices out of date: which open carts have lines not priced at the product's current price
at the cart's level, and how many (`StalePrices`, a row per such cart), kept by PostgreSQL
statement triggers in the same transaction as every writer of prices, lines and carts (the
Django admin, an import, a customer, a staff re-price), so the Open Carts badge and filter read
one small table by its primary key.

Every trigger works out which open carts its statement may have changed and recounts just those
from their lines as they are (never a running delta), in `carts_recount_stale`:
- a price inserted, changed or deleted: the open carts at that level with a line of that
  product (one product: its carts; a whole level: most of that level's carts, one statement);
- lines inserted, changed or deleted, and carts moved to another level or opened again
  (restored): only where a line is out of date after the statement, or the cart has a count
  already, so a line written at today's price (a customer's, a re-price) recounts nothing;
- a cart that leaves the open carts (submitted, deleted) loses its row.
The recount first takes a key-share lock on those carts, in id order (as every cart action
locks carts; a statement on the carts themselves holds them already): a customer changing one
of them, who holds it locked, finishes first, and the recount, a statement of its own, then
sees their change. It writes only rows that change. A
customer adding a product takes a share lock on its prices before locking the cart (prices
before carts, as this statement writes prices and then locks carts: services.customer), so a
line added while that price changes is either priced after the change or counted by it, and
the two never wait on each other in a circle.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "carts_staleprices"


def _counted(carts: str) -> str:
    """Each open cart of `carts` (a query of distinct ids) with how many of its lines differ
    from their product's price now at its level: one pass, joins, no count per cart. The ids
    are not made distinct again: the planner, which cannot foresee how many a DISTINCT keeps,
    took 850,000 for 200 and walked the lines by index, cart by cart (14 s, not 4)."""
    return f"""
        SELECT cart.id, count(*) FILTER (WHERE line.unit_price <> price.unit_price) AS stale
        FROM ({carts}) AS chosen (id)
        JOIN carts_cart AS cart ON cart.id = chosen.id AND cart.status = 'open'
        LEFT JOIN carts_cartline AS line ON line.cart_id = cart.id
        LEFT JOIN pricing_productprice AS price
            ON price.product_id = line.product_id AND price.price_level_id = cart.price_level_id
        GROUP BY cart.id
    """


RECOUNT_FUNCTION = f"""
    CREATE OR REPLACE FUNCTION carts_recount_stale(chosen bigint[], locking boolean)
    RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
    BEGIN
        -- A statement that changed the carts themselves holds them locked already.
        IF locking THEN
            PERFORM 1 FROM carts_cart AS cart JOIN unnest(chosen) AS chosen (id)
                ON cart.id = chosen.id ORDER BY cart.id FOR KEY SHARE OF cart;
        END IF;
        WITH counted AS ({_counted("SELECT unnest(chosen)")}),
        gone AS (
            DELETE FROM {TABLE} AS kept USING counted
            WHERE kept.cart_id = counted.id AND counted.stale = 0
        )
        INSERT INTO {TABLE} AS kept (cart_id, lines)
        SELECT id, stale FROM counted WHERE stale > 0 ORDER BY id
        ON CONFLICT (cart_id) DO UPDATE SET lines = excluded.lines
        WHERE kept.lines <> excluded.lines;
    END $$
"""


def _recount(carts: str, *, locking: bool = True) -> str:
    """The function body that recounts the open carts whose ids `carts` (a query) selects."""
    return f"""
        SELECT array_agg(DISTINCT id) INTO chosen FROM ({carts}) AS chosen (id);
        IF chosen IS NOT NULL THEN PERFORM carts_recount_stale(chosen, {locking}); END IF
    """


def _stale(lines: str) -> str:
    """The open carts of `lines` (a table of cart lines) where one of those lines is out of
    date now: a line written at its current price (a customer's, a re-price) adds none. The
    carts are reached by their ids as one array, by the primary key, never by a walk of them
    all (a re-price's 50,000 lines would otherwise hash-join every cart)."""
    return f"""
        SELECT line.cart_id FROM {lines} AS line
        JOIN carts_cart AS cart ON cart.id = line.cart_id AND cart.status = 'open'
            AND cart.id = ANY((SELECT array_agg(DISTINCT cart_id) FROM {lines} AS its)::bigint[])
        JOIN pricing_productprice AS price
            ON price.product_id = line.product_id AND price.price_level_id = cart.price_level_id
        WHERE line.unit_price <> price.unit_price
    """


def _counted_already(carts: str) -> str:
    """The carts of `carts` (a query of ids) that have a count now."""
    return f"SELECT cart_id FROM {TABLE} WHERE cart_id IN ({carts})"


def _price_pairs(*tables: str) -> str:
    return " UNION ".join(f"SELECT product_id, price_level_id FROM {table}" for table in tables)


# Past this many changed prices in one statement (an import, a whole level), every open cart at
# their levels is recounted: a walk of the level's carts beats one walk per product's lines.
MANY_PRICES = 20


def _carts_priced_by(changed: str) -> str:
    """The function body recounting the open carts a statement's changed prices (`changed`, a
    query of product and level) may have put out of date: those at that level with a line of
    that product; for many prices, every open cart at their levels. Only prices of products in
    some cart's lines count, found first (an index probe each) and kept as two arrays, which the
    planner sizes right: a price list's new products recount no cart, and a batch of thousands
    holding a few is planned as a few, not as thousands (a hash of every line)."""
    few = """
        SELECT line.cart_id FROM unnest(products, levels) AS pair (product_id, price_level_id)
        JOIN carts_cartline AS line ON line.product_id = pair.product_id
        JOIN carts_cart AS cart ON cart.id = line.cart_id
            AND cart.price_level_id = pair.price_level_id AND cart.status = 'open'
    """
    many = """
        SELECT cart.id FROM carts_cart AS cart
        WHERE cart.status = 'open' AND cart.price_level_id = ANY(levels)
    """
    return f"""
        SELECT array_agg(pair.product_id), array_agg(pair.price_level_id) INTO products, levels
        FROM (SELECT DISTINCT product_id, price_level_id FROM ({changed}) AS pair) AS pair
        WHERE EXISTS (SELECT FROM carts_cartline AS held WHERE held.product_id = pair.product_id);
        IF cardinality(products) > {MANY_PRICES} THEN
            {_recount(many)};
        ELSIF products IS NOT NULL THEN
            {_recount(few)};
        END IF
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

# Lines change a cart's count only where a line is out of date after the statement, or the cart
# has a count already (a line out of date before): every other cart keeps none.
LINES_ADDED = f"{_stale('new_lines')} UNION ALL {_counted_already('SELECT cart_id FROM new_lines')}"
LINES_CHANGED = (
    f"{_stale('new_lines')} UNION ALL {_counted_already('SELECT cart_id FROM old_lines')}"
)
LINES_REMOVED = _counted_already("SELECT cart_id FROM old_lines")

# The moved carts' lines, by the index on cart, for their ids as one array.
MOVED_LINES = """(
    SELECT * FROM carts_cartline
    WHERE cart_id = ANY((SELECT array_agg(id) FROM moved)::bigint[])
)"""

# A cart moved to another level, or opened again (restored), with a line out of date now or a
# count already. The statement that changed them holds them locked.
CART_CHANGES = f"""
    WITH moved AS (
        SELECT now.id FROM new_carts AS now JOIN old_carts AS was ON was.id = now.id
        WHERE now.status = 'open'
            AND (now.price_level_id <> was.price_level_id OR was.status <> 'open')
    )
    {_stale(MOVED_LINES)}
    UNION ALL {_counted_already("SELECT id FROM moved")}
"""

TRIGGERS = {
    # name: (table, event, transition tables, the function's body)
    "stale_price_insert": (
        "pricing_productprice",
        "INSERT",
        "NEW TABLE AS new_prices",
        _carts_priced_by(_price_pairs("new_prices")),
    ),
    "stale_price_update": (
        "pricing_productprice",
        "UPDATE",
        "OLD TABLE AS old_prices NEW TABLE AS new_prices",
        _carts_priced_by(PRICE_CHANGES),
    ),
    "stale_price_delete": (
        "pricing_productprice",
        "DELETE",
        "OLD TABLE AS old_prices",
        _carts_priced_by(_price_pairs("old_prices")),
    ),
    "stale_line_insert": (
        "carts_cartline",
        "INSERT",
        "NEW TABLE AS new_lines",
        _recount(LINES_ADDED),
    ),
    "stale_line_update": (
        "carts_cartline",
        "UPDATE",
        "OLD TABLE AS old_lines NEW TABLE AS new_lines",
        _recount(LINES_CHANGED),
    ),
    "stale_line_delete": (
        "carts_cartline",
        "DELETE",
        "OLD TABLE AS old_lines",
        _recount(LINES_REMOVED),
    ),
    "stale_cart_update": (
        "carts_cart",
        "UPDATE",
        "OLD TABLE AS old_carts NEW TABLE AS new_carts",
        f"DELETE FROM {TABLE} AS kept USING new_carts AS now "
        f"WHERE kept.cart_id = now.id AND now.status <> 'open'; "
        + _recount(CART_CHANGES, locking=False),
    ),
}


# Each trigger function's variables: the carts to recount; a price trigger's products and levels.
VARIABLES = "chosen bigint[]; products bigint[]; levels smallint[];"


def replace_functions(db: BaseDatabaseWrapper = connection) -> None:
    """Create or replace the functions (a migration that changes them runs this)."""
    with db.cursor() as cursor:
        cursor.execute(RECOUNT_FUNCTION)
        for name, (_, _, _, body) in TRIGGERS.items():
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION carts_{name}() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ DECLARE {VARIABLES} BEGIN {body}; RETURN NULL; END $$"
            )


def install(db: BaseDatabaseWrapper = connection) -> None:
    """Create (or re-create) the function and triggers, then recount every open cart."""
    replace_functions(db)
    with db.cursor() as cursor:
        for name, (table, event, tables, _) in TRIGGERS.items():
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
        cursor.execute("DROP FUNCTION IF EXISTS carts_recount_stale(bigint[], boolean)")


# Every open cart's count in one pass over the lines; the table emptied and filled again.
RECOUNT_ALL = f"""
    DELETE FROM {TABLE};
    INSERT INTO {TABLE} (cart_id, lines)
    SELECT line.cart_id, count(*)
    FROM carts_cartline AS line
    JOIN carts_cart AS cart ON cart.id = line.cart_id AND cart.status = 'open'
    JOIN pricing_productprice AS price
        ON price.product_id = line.product_id AND price.price_level_id = cart.price_level_id
    WHERE line.unit_price <> price.unit_price
    GROUP BY line.cart_id
    ORDER BY line.cart_id
"""


def recount_all(db: BaseDatabaseWrapper = connection) -> None:
    """Recount every open cart (the migration's backfill, and after a bulk load). The lock
    lets writers already running finish first and makes the ones that follow wait."""
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
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
