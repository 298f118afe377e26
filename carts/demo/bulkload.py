"""Loading many rows fast: COPY (an upsert through a staging table), indexes built afterwards.

Nothing here knows what is loaded. indexes_built_after_load and delete_all change the schema or
empty whole tables, so run them inside the caller's transaction.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.backends.utils import CursorWrapper
from django.db.models import Max, signals

# One row to load: its column values, in the order of the columns given with it.
Row = tuple[Any, ...]


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]) -> None:
    """Insert new rows, each a tuple of column values in `columns` order."""
    with connection.cursor() as cursor:
        copy_rows(cursor, model._meta.db_table, columns, rows)


def upsert_rows(
    model: type[models.Model],
    keys: Sequence[str],
    columns: Sequence[str],
    rows: Iterable[Row],
) -> None:
    """Insert rows, or update the existing row with the same natural key (`keys`)."""
    updates = [column for column in columns if column not in keys]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    staging_name = f"bulkload_{model._meta.db_table}"
    staging = quote(staging_name)
    names = ", ".join(quote(column) for column in columns)
    assignments = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in updates)
    current = ", ".join(f"{table}.{quote(c)}" for c in updates)
    incoming = ", ".join(f"EXCLUDED.{quote(c)}" for c in updates)
    with connection.cursor() as cursor:
        # COPY cannot upsert, so stage the rows and merge them in one statement.
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {names} FROM {table} LIMIT 0")
        copy_rows(cursor, staging_name, columns, rows)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} "
            f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET {assignments} "
            # Skip rows that already match: a re-run then rewrites nothing.
            f"WHERE ({current}) IS DISTINCT FROM ({incoming})"
        )
        cursor.execute(f"DROP TABLE {staging}")


def copy_rows(
    cursor: CursorWrapper, table: str, columns: Sequence[str], rows: Iterable[Row]
) -> None:
    """Stream rows into a table with COPY, through the psycopg 3 cursor."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def next_id(model: type[models.Model]) -> int:
    """The first id to assign by hand: past every id ever handed out, not only those in use,
    so a new row never takes the number that a deleted row's audit entries remember."""
    table = model._meta.db_table
    highest = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, 'id'))", [table])
        issued = cursor.fetchone()[0] or 0
    return max(highest, issued) + 1


def reset_sequences(*seeded: type[models.Model]) -> None:
    """Move id sequences past the ids assigned by hand."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(seeded)):
            cursor.execute(sql)


def delete_all(*emptied: type[models.Model]) -> None:
    """Delete every row of the models' tables, given children first; rows of other tables
    that point at them get their on_delete rule.

    Inside indexes_built_after_load of the same models, with no foreign key in the way, this
    can TRUNCATE: the ORM's delete loads every row first, a minute and 1.5 GB for a million
    carts. Whatever TRUNCATE would skip (a rule other than SET_NULL, a delete signal) takes the
    ORM's way.
    """
    referrers = [
        relation
        for model in emptied
        for relation in relations_pointing_at(model)
        if relation.related_model not in emptied
    ]
    # Rows that go with their cart (notes, contacts) are emptied with it, and so are rows kept
    # about it that its delete leaves to the database (DO_NOTHING: carts.stale's counts).
    goes = (models.CASCADE, models.DO_NOTHING)
    cascaded = [r.field.model for r in referrers if r.on_delete in goes]
    emptied = (*dict.fromkeys(cascaded), *emptied)
    referrers = [r for r in referrers if r.on_delete not in goes]
    listened = any(
        signal.has_listeners(model)
        for signal in (signals.pre_delete, signals.post_delete)
        for model in emptied
    )
    if listened or any(relation.on_delete is not models.SET_NULL for relation in referrers):
        for model in emptied:
            model._default_manager.all().delete()
        return
    for relation in referrers:
        name = relation.field.name
        related = relation.field.model._base_manager
        related.filter(**{f"{name}__isnull": False}).update(**{name: None})
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in emptied)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables}")


def relations_pointing_at(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Other models' foreign keys to `model`, hidden ones too, as Django's delete finds them."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if isinstance(field, models.ForeignObjectRel)
        and field.auto_created
        and not field.concrete
        and (field.one_to_many or field.one_to_one)
    ]


# Foreign keys and unique constraints on the tables, and foreign keys pointing at them (which
# would stop a TRUNCATE); foreign keys first, as a unique constraint may be what they need.
CONSTRAINTS_SQL = """
    SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
    FROM pg_constraint
    WHERE (conrelid = ANY(%(tables)s::regclass[]) AND contype IN ('f', 'u'))
       OR (confrelid = ANY(%(tables)s::regclass[]) AND contype = 'f')
    ORDER BY contype
"""
# The tables' other indexes; those a constraint relies on (primary keys) stay.
INDEXES_SQL = """
    SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)
    FROM pg_index
    WHERE indrelid = ANY(%(tables)s::regclass[])
      AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)
"""


@contextmanager
def indexes_built_after_load(*loaded: type[models.Model]) -> Iterator[None]:
    """Drop the tables' secondary indexes, unique and foreign-key constraints for a bulk load,
    and put the same definitions back afterwards.

    Building an index once and checking a foreign key with one join is several times faster
    than both row by row (the PostgreSQL manual's "Populating a Database"). It all happens in
    the caller's transaction: a failure leaves the schema as it was. Other sessions wait for
    the tables meanwhile, which suits a load nobody else is using yet.
    """
    tables = {"tables": [model._meta.db_table for model in loaded]}
    # Run the checks still deferred: PostgreSQL refuses to alter a table with pending
    # trigger events.
    connection.check_constraints()
    with connection.cursor() as cursor:
        cursor.execute(CONSTRAINTS_SQL, tables)
        constraints = cursor.fetchall()
        cursor.execute(INDEXES_SQL, tables)
        indexes = cursor.fetchall()
        for table, name, _ in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in reversed(constraints):
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def analyse(*models: type[models.Model]) -> None:
    """Fresh planner statistics for loaded tables, so queries on them plan well straight away
    (autovacuum would get there, minutes later; a query planned meanwhile can take minutes)."""
    quoted = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {quoted}")
