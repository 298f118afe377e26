"""Open-product tallies: per product, price level and rep, how many open carts hold it, their
quantity and its value at the carts' prices, kept by PostgreSQL statement triggers on lines and
on carts in the same transaction as every change, so "Products in open carts" adds up a few
thousand tally rows instead of five million lines.

A tally depends on both tables: a line's delta is keyed by its cart's level and rep, a cart's
by its lines. A statement that changes lines only is counted against the carts as they are; one
that changes carts only, against their lines as they are. The re-price (and its undo) changes
both in one statement (a line UPDATE and a cart UPDATE in CTEs): its line trigger fires first
and counts none of the lines written in the same command as their cart, only keeping their old
rows (in a temporary table, for this transaction); the cart trigger then takes each such cart's
lines out as they were before the statement, at its old key, and puts them in as they are now,
at its new key: one ordered INSERT for the whole statement, so two re-prices (or a re-price and
a delete) sharing a product and rep take the tally rows in one order and cannot deadlock, and
the lines are counted once, not twice. Which rows one command wrote is told by the rows' own
`xmin` and `cmin`.
`differences()` compares the tallies with a recount (`manage.py rebuild_cart_tallies --check`).
"""

from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from carts.tallies import recount

TABLE = "carts_openproducttally"
BEFORE = "carts_lines_before"  # per session, emptied at each commit
TALLY = recount.Tally(
    TABLE,
    keys=("product_id", "price_level_id", "rep_number"),
    figures=("carts", "quantity", "value"),
    recount="""
        SELECT line.product_id, cart.price_level_id, cart.rep_number, count(*),
            sum(line.quantity), sum(line.quantity * line.unit_price)
        FROM carts_cartline AS line JOIN carts_cart AS cart ON cart.id = line.cart_id
        WHERE cart.status = 'open'
        GROUP BY 1, 2, 3
    """,
)

# Made by the same command as the cart's current version (both by this transaction).
SAME_COMMAND = "line.xmin = cart.xmin AND line.cmin = cart.cmin"


def _apply(*parts: str) -> str:
    """The statement that adds the deltas to the tallies, in key order (no deadlock)."""
    return recount.apply(TALLY, *parts)


# This statement's own (xmin, cmin), as one row `me`: every line in its transition tables was
# written by it, so any one line's current version tells. A cart with the same pair was written
# by the same command (a re-price's CTEs): one join to the carts, no look-up per line.
ME = "(SELECT xmin, cmin FROM carts_cartline WHERE id = (SELECT id FROM new_lines LIMIT 1)) AS me"
SAME_AS_ME = "cart.xmin = me.xmin AND cart.cmin = me.cmin"
# The cart trigger's statement's own cmin (the line trigger kept its rows under it).
CART_COMMAND = "SELECT cmin FROM carts_cart WHERE id = (SELECT id FROM new_carts LIMIT 1)"


def _lines_in_open_carts(*changes: tuple[str, str], apart: bool = False) -> str:
    """A line statement's rows (`changes`: each transition table and its sign), counted at
    their carts' current key: one join to the carts for old and new rows alike. `apart`: only
    the lines of carts not written in the same command (the cart trigger counts those)."""
    rows = " UNION ALL ".join(
        f"SELECT cart_id, product_id, {sign}1, {sign}quantity, {sign}(quantity * unit_price) "
        f"FROM {table}"
        for table, sign in changes
    )
    return f"""
        SELECT line.product_id, cart.price_level_id, cart.rep_number, line.carts,
            line.quantity, line.value
        FROM ({rows}) AS line (cart_id, product_id, carts, quantity, value)
        JOIN carts_cart AS cart ON cart.id = line.cart_id
        {f"CROSS JOIN {ME} WHERE NOT ({SAME_AS_ME}) AND" if apart else "WHERE"}
            cart.status = 'open'
    """


# The line UPDATE trigger: where lines were written in the same command as their carts (a
# re-price), keep their old rows for the cart trigger and count only the others.
LINE_UPDATE = f"""
    IF EXISTS (
        SELECT FROM new_lines AS line JOIN carts_cart AS cart ON cart.id = line.cart_id
        CROSS JOIN {ME} WHERE {SAME_AS_ME}
    ) THEN
        CREATE TEMPORARY TABLE IF NOT EXISTS {BEFORE} (
            cart_id bigint, product_id bigint, quantity bigint, unit_price numeric, made_in cid
        ) ON COMMIT DELETE ROWS;
        INSERT INTO {BEFORE}
        SELECT was.cart_id, was.product_id, was.quantity, was.unit_price, me.cmin
        FROM old_lines AS was JOIN carts_cart AS cart ON cart.id = was.cart_id
        CROSS JOIN {ME} WHERE {SAME_AS_ME};
        GET DIAGNOSTICS kept = ROW_COUNT;
        -- Lines of other carts as well: count those (a re-price writes only its carts' lines).
        IF kept < (SELECT count(*) FROM old_lines) THEN
            {_apply(_lines_in_open_carts(("new_lines", ""), ("old_lines", "-"), apart=True))};
        END IF;
    ELSE
        {_apply(_lines_in_open_carts(("new_lines", ""), ("old_lines", "-")))};
    END IF
"""


# New carts' lines made before them (a load with deferred foreign keys): not those this command
# wrote (the line trigger counted them).
LINES_OF_NEW_CARTS = f"""
    SELECT line.cart_id, line.product_id, line.quantity, line.unit_price
    FROM carts_cartline AS line JOIN carts_cart AS cart ON cart.id = line.cart_id
    WHERE line.cart_id IN (SELECT id FROM new_carts) AND NOT ({SAME_COMMAND})
"""


def _at_cart_key(lines: str, carts: str, sign: str, *, key: str = "") -> str:
    """`lines` counted at the key of their carts in `carts` (columns `{key}status`,
    `{key}price_level_id`, `{key}rep_number`), for the open ones."""
    return f"""
        SELECT line.product_id, cart.{key}price_level_id, cart.{key}rep_number, {sign}1,
            {sign}line.quantity, {sign}(line.quantity * line.unit_price)
        FROM ({lines}) AS line JOIN {carts} AS cart ON cart.id = line.cart_id
        WHERE cart.{key}status = 'open'
    """


def _moved_lines(*, kept: bool) -> str:
    """The lines of the moved carts (`lines_now`, read once) taken out as they were before the
    statement, at each cart's old key, and put in as they are now, at its new one. Before: the
    lines this command did not write, and the old rows the line trigger kept (`kept`: if it
    made their table this session)."""
    before = "SELECT cart_id, product_id, quantity, unit_price FROM lines_now WHERE NOT rewritten"
    if kept:
        before += f"""
            UNION ALL
            SELECT was.cart_id, was.product_id, was.quantity, was.unit_price
            FROM {BEFORE} AS was WHERE was.made_in = ({CART_COMMAND})
        """
    return f"""
        SELECT line.product_id, cart.old_price_level_id, cart.old_rep_number, -1,
            -line.quantity, -(line.quantity * line.unit_price)
        FROM ({before}) AS line JOIN moved AS cart ON cart.id = line.cart_id
        WHERE cart.old_status = 'open'
        UNION ALL
        SELECT line.product_id, cart.new_price_level_id, cart.new_rep_number, 1,
            line.quantity, line.quantity * line.unit_price
        FROM lines_now AS line JOIN moved AS cart ON cart.id = line.cart_id
        WHERE cart.new_status = 'open'
    """


def _moved(*, kept: bool) -> str:
    """The carts whose level, rep or status a statement changed, and (`kept`) those whose
    lines the same command re-priced: only they move lines between tallies (a touch or a new
    total moves none, and costs a join of the transition tables)."""
    repriced = f"""
        OR id IN (SELECT kept.cart_id FROM {BEFORE} AS kept WHERE kept.made_in = ({CART_COMMAND}))
    """
    return f"""
    WITH moved AS MATERIALIZED (
        SELECT id, was.status AS old_status, was.price_level_id AS old_price_level_id,
            was.rep_number AS old_rep_number, became.status AS new_status,
            became.price_level_id AS new_price_level_id, became.rep_number AS new_rep_number
        FROM old_carts AS was JOIN new_carts AS became USING (id)
        WHERE (was.status, was.price_level_id, was.rep_number)
            IS DISTINCT FROM (became.status, became.price_level_id, became.rep_number)
            {repriced if kept else ""}
    )
    """


# The moved carts' lines as they are, read once, each with whether this command wrote it; by
# the index on cart, for the carts' ids as one array (never a walk of every line).
LINES_NOW = f"""
    , lines_now AS MATERIALIZED (
        SELECT line.cart_id, line.product_id, line.quantity, line.unit_price,
            ({SAME_COMMAND}) AS rewritten
        FROM carts_cartline AS line JOIN carts_cart AS cart ON cart.id = line.cart_id
        WHERE line.cart_id = ANY((SELECT array_agg(id) FROM moved)::bigint[])
    )
"""


def _cart_update(*, kept: bool) -> str:
    return _moved(kept=kept) + LINES_NOW + _apply(_moved_lines(kept=kept))


# A cart deleted before its lines (deferred foreign keys) takes its lines' counts with it; the
# lines' own DELETE then finds no cart. Lines go first as a rule, and then it finds none.
LINES_OF_OLD_CARTS = """
    SELECT cart_id, product_id, quantity, unit_price FROM carts_cartline
    WHERE cart_id IN (SELECT id FROM old_carts)
"""


def _body(name: str) -> str:
    """The trigger function's body."""
    if name == "line_insert":
        return _apply(_lines_in_open_carts(("new_lines", "")))
    if name == "line_update":
        return f"DECLARE kept bigint; BEGIN {LINE_UPDATE}; END"
    if name == "line_delete":
        return _apply(_lines_in_open_carts(("old_lines", "-")))
    if name == "cart_insert":
        return _apply(_at_cart_key(LINES_OF_NEW_CARTS, "new_carts", ""))
    if name == "cart_delete":
        return _apply(_at_cart_key(LINES_OF_OLD_CARTS, "old_carts", "-"))
    # cart_update: with the kept old lines when the line trigger made their table.
    return f"""
        IF to_regclass('pg_temp.{BEFORE}') IS NULL THEN {_cart_update(kept=False)};
        ELSE {_cart_update(kept=True)};
        END IF
    """


TRIGGERS = {
    # name: (table, event, transition tables)
    "line_insert": ("carts_cartline", "INSERT", "NEW TABLE AS new_lines"),
    "line_update": ("carts_cartline", "UPDATE", "OLD TABLE AS old_lines NEW TABLE AS new_lines"),
    "line_delete": ("carts_cartline", "DELETE", "OLD TABLE AS old_lines"),
    "cart_insert": ("carts_cart", "INSERT", "NEW TABLE AS new_carts"),
    "cart_update": ("carts_cart", "UPDATE", "OLD TABLE AS old_carts NEW TABLE AS new_carts"),
    "cart_delete": ("carts_cart", "DELETE", "OLD TABLE AS old_carts"),
}
TRUNCATED = ("carts_cartline", "carts_cart")


def replace_functions(db: BaseDatabaseWrapper = connection) -> None:
    """Create or replace the trigger functions (a migration that changes them runs this)."""
    with db.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION carts_product_tally_{name}() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN {_body(name)}; RETURN NULL; END $$"
            )


def install(db: BaseDatabaseWrapper = connection) -> None:
    """Create (or re-create) the functions and triggers, then recount the tallies."""
    replace_functions(db)
    with db.cursor() as cursor:
        for name, (table, event, tables) in TRIGGERS.items():
            function = f"carts_product_tally_{name}"
            cursor.execute(f"DROP TRIGGER IF EXISTS {function} ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {function} AFTER {event} ON {table} "
                f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
        cursor.execute(
            "CREATE OR REPLACE FUNCTION carts_product_tally_truncate() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN DELETE FROM {TABLE}; RETURN NULL; END $$"
        )
        for table in TRUNCATED:
            cursor.execute(f"DROP TRIGGER IF EXISTS carts_product_tally_truncate ON {table}")
            cursor.execute(
                f"CREATE TRIGGER carts_product_tally_truncate AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION carts_product_tally_truncate()"
            )
    rebuild(db)


def uninstall(db: BaseDatabaseWrapper = connection) -> None:
    with db.cursor() as cursor:
        for name, (table, _, _) in TRIGGERS.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS carts_product_tally_{name} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS carts_product_tally_{name}()")
        for table in TRUNCATED:
            cursor.execute(f"DROP TRIGGER IF EXISTS carts_product_tally_truncate ON {table}")
        cursor.execute("DROP FUNCTION IF EXISTS carts_product_tally_truncate()")


def rebuild(db: BaseDatabaseWrapper = connection) -> None:
    """Recount every tally from the lines (exact: see recount.rebuild)."""
    recount.rebuild(TALLY, db)


def differences(db: BaseDatabaseWrapper = connection) -> list[tuple[Any, ...]]:
    """Tally rows that disagree with a full recount (empty when all is well)."""
    return recount.differences(TALLY, db)
