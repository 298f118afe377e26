"""Open-cart tallies: how many open carts and their value per (price level, rep, start date),
kept by PostgreSQL statement triggers in the same transaction as every change to carts, so the
Open Carts summary adds up a few thousand tally rows instead of reading every cart.

Each trigger folds the statement's old and new rows into one delta per tally row and applies
it with one INSERT … ON CONFLICT in key order, after the carts themselves are written and
locked, so two transactions always take tally locks in the same order and cannot deadlock. A
statement that changes no open cart's level, rep, start date, total or status (a touch)
changes no tally and takes no lock.

The start date is the calendar day in the store's time zone, which the trigger function has
built in: after changing TIME_ZONE, run `manage.py rebuild_cart_tallies`.
"""

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from carts.tallies import products

TABLE = "carts_opencarttally"


def _store_date_function() -> str:
    zone = settings.TIME_ZONE
    zoneinfo.ZoneInfo(zone)  # refuses anything that is not a time zone name
    if "'" in zone:
        raise ValueError(f"Odd time zone name {zone!r}")
    return f"""
        CREATE OR REPLACE FUNCTION carts_store_date(moment timestamptz) RETURNS date
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT (moment AT TIME ZONE '{zone}')::date $$
    """


def _open_rows(table: str, sign: str) -> str:
    return f"""
        SELECT price_level_id, rep_number, carts_store_date(created_at), {sign}1, {sign}total
        FROM {table} WHERE status = 'open'
    """


def _apply(*parts: str) -> str:
    """The statement that adds the deltas of old and new rows to the tallies, in key order."""
    deltas = " UNION ALL ".join(parts)
    return f"""
        INSERT INTO {TABLE} AS tally (price_level_id, rep_number, start_date, carts, value)
        SELECT level, rep, day, sum(carts), sum(value)
        FROM ({deltas}) AS delta (level, rep, day, carts, value)
        GROUP BY level, rep, day
        HAVING sum(carts) <> 0 OR sum(value) <> 0
        ORDER BY level, rep, day
        ON CONFLICT (price_level_id, rep_number, start_date) DO UPDATE
        SET carts = tally.carts + excluded.carts, value = tally.value + excluded.value
    """


TRIGGERS = {
    # name: (event, transition tables, what the function runs)
    "insert": ("INSERT", "NEW TABLE AS new_carts", _apply(_open_rows("new_carts", ""))),
    "update": (
        "UPDATE",
        "OLD TABLE AS old_carts NEW TABLE AS new_carts",
        _apply(_open_rows("new_carts", ""), _open_rows("old_carts", "-")),
    ),
    "delete": ("DELETE", "OLD TABLE AS old_carts", _apply(_open_rows("old_carts", "-"))),
}


def install(db: BaseDatabaseWrapper = connection) -> None:
    """Create (or re-create) the functions and triggers, then rebuild the tallies."""
    with db.cursor() as cursor:
        cursor.execute(_store_date_function())
        for name, (event, tables, body) in TRIGGERS.items():
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION carts_tally_{name}() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$"
            )
            cursor.execute(f"DROP TRIGGER IF EXISTS carts_tally_{name} ON carts_cart")
            cursor.execute(
                f"CREATE TRIGGER carts_tally_{name} AFTER {event} ON carts_cart "
                f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION carts_tally_{name}()"
            )
        cursor.execute(
            "CREATE OR REPLACE FUNCTION carts_tally_truncate() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN DELETE FROM {TABLE}; RETURN NULL; END $$"
        )
        cursor.execute("DROP TRIGGER IF EXISTS carts_tally_truncate ON carts_cart")
        cursor.execute(
            "CREATE TRIGGER carts_tally_truncate AFTER TRUNCATE ON carts_cart "
            "FOR EACH STATEMENT EXECUTE FUNCTION carts_tally_truncate()"
        )
    rebuild(db)


def uninstall(db: BaseDatabaseWrapper = connection) -> None:
    with db.cursor() as cursor:
        for name in (*TRIGGERS, "truncate"):
            cursor.execute(f"DROP TRIGGER IF EXISTS carts_tally_{name} ON carts_cart")
            cursor.execute(f"DROP FUNCTION IF EXISTS carts_tally_{name}()")
        cursor.execute("DROP FUNCTION IF EXISTS carts_store_date(timestamptz)")


@contextmanager
def counted_after_load(db: BaseDatabaseWrapper = connection) -> Iterator[None]:
    """For a bulk load of carts and lines: the triggers rest during the load and the cart and
    product tallies are recounted once after it, in the caller's transaction."""
    # Deferred foreign-key checks still pending on carts (carts made, then moved to another
    # rep, earlier in this transaction) would make ALTER TABLE refuse: run them now.
    db.check_constraints()
    with db.cursor() as cursor:
        for table in LOADED:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    yield
    with db.cursor() as cursor:
        for table in LOADED:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    rebuild(db)
    products.rebuild(db)


# The tables a bulk load writes; their triggers keep the cart and the product tallies.
LOADED = ("carts_cart", "carts_cartline")


RECOUNT = """
    SELECT price_level_id, rep_number, carts_store_date(created_at), count(*), sum(total)
    FROM carts_cart WHERE status = 'open'
    GROUP BY 1, 2, 3
"""


def rebuild(db: BaseDatabaseWrapper = connection) -> None:
    """Recount every tally from the carts. The lock lets writers already running finish first
    and makes the ones that follow wait, so the recount is exact."""
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(
            f"INSERT INTO {TABLE} (price_level_id, rep_number, start_date, carts, value) "
            f"{RECOUNT} ORDER BY 1, 2, 3"
        )


def differences(db: BaseDatabaseWrapper = connection) -> list[tuple[Any, ...]]:
    """Tally rows that disagree with a full recount of the carts (empty when all is well)."""
    with db.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT coalesce(t.level, r.level), coalesce(t.rep, r.rep), coalesce(t.day, r.day),
                coalesce(t.carts, 0), coalesce(r.carts, 0), coalesce(t.value, 0),
                coalesce(r.value, 0)
            FROM (SELECT price_level_id, rep_number, start_date, carts, value FROM {TABLE}
                  WHERE carts <> 0 OR value <> 0) AS t (level, rep, day, carts, value)
            FULL JOIN ({RECOUNT}) AS r (level, rep, day, carts, value)
                ON (t.level, t.rep, t.day) = (r.level, r.rep, r.day)
            WHERE t.carts IS DISTINCT FROM r.carts OR t.value IS DISTINCT FROM r.value
            ORDER BY 1, 2, 3
            """
        )
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows
