"""Whole calendar days in the store's time zone, counted by the database."""

import datetime
import zoneinfo
from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DateField, Func, IntegerField, Value
from django.db.models.functions import TruncDate
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime

# SQL and its parameters, as `as_sql` answers.
Sql = tuple[str, tuple[str | int, ...]]


def store_timezone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def store_datetime(moment: datetime.datetime) -> str:
    """ "Dec 6, 2026 10:05 PM": an instant as every staff screen writes it, in the store's time
    zone and the one format (DATETIME_FORMAT in juniperadmin/formats/en/formats.py, which
    templates name as `date:"DATETIME_FORMAT"`)."""
    return date_format(localtime(moment, store_timezone()), "DATETIME_FORMAT")


def store_today() -> datetime.date:
    return timezone.localdate(timezone=store_timezone())


def start_of_store_day(day: datetime.date) -> datetime.datetime:
    """The aware instant the given calendar day begins in the store's time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=store_timezone())


class DaysBetween(Func):
    """Whole days from the date `start` to the date `end` (end − start)."""

    output_field = IntegerField()
    arity = 2

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        # Func's own options, unused: the SQL is written out below.
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Sql:
        start, end = self.source_expressions
        start_sql, start_params = compiler.compile(start)
        end_sql, end_params = compiler.compile(end)
        return f"({end_sql} - {start_sql})", (*end_params, *start_params)

    def get_db_converters(self, connection: BaseDatabaseWrapper) -> list[Any]:
        """None: a date minus a date is already an integer in PostgreSQL (Django's int() per
        value is a call per row of an export)."""
        return []


def days_since(field: str, today: datetime.date) -> DaysBetween:
    """Calendar days from the store-local date of the timestamp `field` up to `today`."""
    return DaysBetween(
        TruncDate(field, tzinfo=store_timezone()), Value(today, output_field=DateField())
    )
