"""Open-product tallies: per product, price level and rep, how many open carts hold it, their
quantity and its value at the carts' prices, kept by PostgreSQL statement triggers on lines and
on carts in the same transaction as every change, so "Products in open carts" adds up a few
thousand tally rows instead of five million lines.

A tally depends on both tables: a line's delta is keyed by its cart's level and rep, a cart's
by its lines. A statement that changes lines only is counted against the carts as they are; one
that changes carts only, against their lines as they are. The re-price changes both in one
statement (a line UPDATE and a cart UPDATE in CTEs): its line trigger fires first (the cart
UPDATE reads the lines' sums) and counts the lines' change at the carts' new key; it keeps the
lines' old rows (in a temporary table, for this transaction) wherever the cart changed in the
same command, and the cart trigger then moves the cart's lines as they were before the
statement. Which rows one command wrote is told by the rows' own `xmin` and `cmin`.
`differences()` compares the tallies with a recount (`manage.py rebuild_cart_tallies --check`).
"""

from typing import Any

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "carts_openproducttally"
BEFORE = "carts_lines_before"  # per session, emptied at each commit

# Made by the same command as the cart's current version (both by this transaction).
SAME_COMMAND = "line.xmin = cart.xmin AND line.cmin = cart.cmin"


def _apply(*parts: str) -> str:
    """The statement that adds the deltas to the tallies, in key order (no deadlock)."""
    deltas = " UNION ALL ".join(parts)
    return f"""
        INSERT INTO {TABLE} AS tally
            (product_id, price_level_id, rep_number, carts, quantity, value)
        SELECT product, level, rep, sum(carts), sum(quantity), sum(value)
        FROM ({deltas}) AS delta (product, level, rep, carts, quantity, value)
        GROUP BY product, level, rep
        HAVING sum(carts) <> 0 OR sum(quantity) <> 0 OR sum(value) <> 0
        ORDER BY product, level, rep
        ON CONFLICT (product_id, price_level_id, rep_number) DO UPDATE
        SET carts = tally.carts + excluded.carts, quantity = tally.quantity + excluded.quantity,
            value = tally.value + excluded.value
    """


def _lines_in_open_carts(*changes: tuple[str, str]) -> str:
    """A line statement's rows (`changes`: each transition table and its sign), counted at
    their carts' current key: one join to the carts for old and new rows alike."""
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
        WHERE cart.status = 'open'
    """


KEEP_LINES_BEFORE = f"""
    IF EXISTS (
        SELECT FROM old_lines AS was JOIN carts_cartline AS line ON line.id = was.id
        JOIN carts_cart AS cart ON cart.id = line.cart_id WHERE {SAME_COMMAND}
    ) THEN
        CREATE TEMPORARY TABLE IF NOT EXISTS {BEFORE} (
            cart_id bigint, product_id bigint, quantity bigint, unit_price numeric, made_in cid
        ) ON COMMIT DELETE ROWS;
        INSERT INTO {BEFORE}
        SELECT was.cart_id, was.product_id, was.quantity, was.unit_price, line.cmin
        FROM old_lines AS was JOIN carts_cartline AS line ON line.id = was.id
        JOIN carts_cart AS cart ON cart.id = line.cart_id WHERE {SAME_COMMAND};
    END IF
"""


def _lines_before(carts: str, *, kept: bool) -> str:
    """The lines of `carts` (a table with an `id`) as they were before the statement: their
    lines now but any this command wrote, and the old rows the line trigger kept (`kept`: if
    it made their table this session)."""
    lines = f"""
        SELECT line.cart_id, line.product_id, line.quantity, line.unit_price
        FROM carts_cartline AS line JOIN carts_cart AS cart ON cart.id = line.cart_id
        WHERE line.cart_id IN (SELECT id FROM {carts}) AND NOT ({SAME_COMMAND})
    """
    if kept:
        lines += f"""
            UNION ALL
            SELECT was.cart_id, was.product_id, was.quantity, was.unit_price
            FROM {BEFORE} AS was JOIN carts_cart AS cart ON cart.id = was.cart_id
            WHERE was.cart_id IN (SELECT id FROM {carts}) AND was.made_in = cart.cmin
        """
    return lines


def _at_cart_key(lines: str, carts: str, sign: str, *, key: str = "") -> str:
    """`lines` counted at the key of their carts in `carts` (columns `{key}status`,
    `{key}price_level_id`, `{key}rep_number`), for the open ones."""
    return f"""
        SELECT line.product_id, cart.{key}price_level_id, cart.{key}rep_number, {sign}1,
            {sign}line.quantity, {sign}(line.quantity * line.unit_price)
        FROM ({lines}) AS line JOIN {carts} AS cart ON cart.id = line.cart_id
        WHERE cart.{key}status = 'open'
    """


def _moved_lines(lines: str) -> str:
    """`lines` of the moved carts taken out at each cart's old key and put in at its new one,
    read once: each line twice, through a two-row VALUES."""
    return f"""
        SELECT line.product_id,
            CASE WHEN side.sign = 1 THEN cart.new_price_level_id ELSE cart.old_price_level_id END,
            CASE WHEN side.sign = 1 THEN cart.new_rep_number ELSE cart.old_rep_number END,
            side.sign, side.sign * line.quantity, side.sign * (line.quantity * line.unit_price)
        FROM ({lines}) AS line JOIN moved AS cart ON cart.id = line.cart_id
        CROSS JOIN (VALUES (1), (-1)) AS side (sign)
        WHERE CASE WHEN side.sign = 1 THEN cart.new_status ELSE cart.old_status END = 'open'
    """


# The carts whose level, rep or status a statement changed: only they move lines between
# tallies (a touch or a new total moves none, and costs a join of the transition tables).
MOVED = """
    WITH moved AS MATERIALIZED (
        SELECT id, was.status AS old_status, was.price_level_id AS old_price_level_id,
            was.rep_number AS old_rep_number, became.status AS new_status,
            became.price_level_id AS new_price_level_id, became.rep_number AS new_rep_number
        FROM old_carts AS was JOIN new_carts AS became USING (id)
        WHERE (was.status, was.price_level_id, was.rep_number)
            IS DISTINCT FROM (became.status, became.price_level_id, became.rep_number)
    )
"""


def _cart_update(*, kept: bool) -> str:
    return MOVED + _apply(_moved_lines(_lines_before("moved", kept=kept)))


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
        changes = _lines_in_open_carts(("new_lines", ""), ("old_lines", "-"))
        return _apply(changes) + ";" + KEEP_LINES_BEFORE
    if name == "line_delete":
        return _apply(_lines_in_open_carts(("old_lines", "-")))
    if name == "cart_insert":
        # Lines made before their cart (a load with deferred foreign keys).
        return _apply(_at_cart_key(_lines_before("new_carts", kept=False), "new_carts", ""))
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


def install(db: BaseDatabaseWrapper = connection) -> None:
    """Create (or re-create) the functions and triggers, then recount the tallies."""
    with db.cursor() as cursor:
        for name, (table, event, tables) in TRIGGERS.items():
            function = f"carts_product_tally_{name}"
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN {_body(name)}; RETURN NULL; END $$"
            )
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


RECOUNT = """
    SELECT line.product_id, cart.price_level_id, cart.rep_number, count(*), sum(line.quantity),
        sum(line.quantity * line.unit_price)
    FROM carts_cartline AS line JOIN carts_cart AS cart ON cart.id = line.cart_id
    WHERE cart.status = 'open'
    GROUP BY 1, 2, 3
"""


def rebuild(db: BaseDatabaseWrapper = connection) -> None:
    """Recount every tally from the lines; the lock makes writers wait, so it is exact."""
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"INSERT INTO {TABLE} (product_id, price_level_id, rep_number, carts, quantity, "
            f"value) {RECOUNT} ORDER BY 1, 2, 3"
        )


def differences(db: BaseDatabaseWrapper = connection) -> list[tuple[Any, ...]]:
    """Tally rows that disagree with a full recount (empty when all is well)."""
    with db.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT coalesce(t.product, r.product), coalesce(t.level, r.level),
                coalesce(t.rep, r.rep), t.carts, r.carts, t.quantity, r.quantity, t.value, r.value
            FROM (SELECT product_id, price_level_id, rep_number, carts, quantity, value
                  FROM {TABLE} WHERE carts <> 0 OR quantity <> 0 OR value <> 0)
                AS t (product, level, rep, carts, quantity, value)
            FULL JOIN ({RECOUNT}) AS r (product, level, rep, carts, quantity, value)
                ON (t.product, t.level, t.rep) = (r.product, r.level, r.rep)
            WHERE (t.carts, t.quantity, t.value) IS DISTINCT FROM (r.carts, r.quantity, r.value)
            ORDER BY 1, 2, 3
            """
        )
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows
