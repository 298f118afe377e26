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
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from carts.tallies import products, recount

TABLE = "carts_opencarttally"
TALLY = recount.Tally(
    TABLE,
    keys=("price_level_id", "rep_number", "start_date"),
    figures=("carts", "value"),
    recount="""
        SELECT price_level_id, rep_number, carts_store_date(created_at), count(*), sum(total)
        FROM carts_cart WHERE status = 'open'
        GROUP BY 1, 2, 3
    """,
)


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
    return recount.apply(TALLY, *parts)


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


def replace_functions(db: BaseDatabaseWrapper = connection) -> None:
    """Create or replace the trigger functions (a migration that changes them runs this)."""
    with db.cursor() as cursor:
        cursor.execute(_store_date_function())
        for name, (_, _, body) in TRIGGERS.items():
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION carts_tally_{name}() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$"
            )


def install(db: BaseDatabaseWrapper = connection) -> None:
    """Create (or re-create) the functions and triggers, then rebuild the tallies."""
    replace_functions(db)
    with db.cursor() as cursor:
        for name, (event, tables, _) in TRIGGERS.items():
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


def rebuild(db: BaseDatabaseWrapper = connection) -> None:
    """Recount every tally from the carts (exact: see recount.rebuild)."""
    recount.rebuild(TALLY, db)


def differences(db: BaseDatabaseWrapper = connection) -> list[tuple[Any, ...]]:
    """Tally rows that disagree with a full recount of the carts (empty when all is well)."""
    return recount.differences(TALLY, db)
