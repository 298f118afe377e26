"""What both kinds of tallies (carts.tallies.triggers, carts.tallies.products) share: applying a
statement's deltas in key order, rebuilding a tally table from a recount, and comparing it with
one. Each table is described once, as a `Tally`: its name, key and figure columns, and the
recount query (a GROUP BY giving the key, then the figures, in that order)."""

from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper


@dataclass(frozen=True)
class Tally:
    table: str
    keys: tuple[str, ...]
    figures: tuple[str, ...]
    recount: str

    @property
    def columns(self) -> str:
        return ", ".join((*self.keys, *self.figures))


def apply(tally: Tally, *deltas: str) -> str:
    """The statement that folds a statement's old and new rows (`deltas`: queries giving the
    key, then the signed figures) into one delta per tally row and adds it, in key order, so
    two transactions take the rows' locks in one order; a row that nets to nothing is left
    alone (and not locked)."""
    keys, figures = tally.keys, tally.figures
    numbered = ", ".join(f"sum({f})" for f in figures)
    return f"""
        INSERT INTO {tally.table} AS tally ({tally.columns})
        SELECT {", ".join(keys)}, {numbered}
        FROM ({" UNION ALL ".join(deltas)}) AS delta ({tally.columns})
        GROUP BY {", ".join(keys)}
        HAVING {" OR ".join(f"sum({f}) <> 0" for f in figures)}
        ORDER BY {", ".join(keys)}
        ON CONFLICT ({", ".join(keys)}) DO UPDATE
        SET {", ".join(f"{f} = tally.{f} + excluded.{f}" for f in figures)}
    """


def rebuild(tally: Tally, db: BaseDatabaseWrapper = connection) -> None:
    """Recount every tally row. The lock lets writers already running finish first and makes
    the ones that follow wait, so the recount is exact."""
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tally.table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {tally.table}")
        order = ", ".join(str(n) for n in range(1, len(tally.keys) + 1))
        cursor.execute(
            f"INSERT INTO {tally.table} ({tally.columns}) {tally.recount} ORDER BY {order}"
        )


def differences(tally: Tally, db: BaseDatabaseWrapper = connection) -> list[tuple[Any, ...]]:
    """Tally rows that disagree with a recount (empty when all is well): each key, then each
    figure as kept and as recounted (0 where there is no row)."""
    keys, figures = tally.keys, tally.figures
    either = ", ".join(f"coalesce(t.{k}, r.{k})" for k in keys)
    pairs = ", ".join(f"coalesce(t.{f}, 0), coalesce(r.{f}, 0)" for f in figures)
    nonzero = " OR ".join(f"{f} <> 0" for f in figures)
    differ = " OR ".join(f"t.{f} IS DISTINCT FROM r.{f}" for f in figures)
    same_key = " AND ".join(f"t.{k} = r.{k}" for k in keys)
    with db.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT {either}, {pairs}
            FROM (SELECT {tally.columns} FROM {tally.table} WHERE {nonzero}) AS t
            FULL JOIN ({tally.recount}) AS r ({tally.columns}) ON {same_key}
            WHERE {differ}
            ORDER BY {", ".join(str(n) for n in range(1, len(keys) + 1))}
            """
        )
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows
