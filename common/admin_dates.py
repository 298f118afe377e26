"""How the store set-up (Django admin) lists a date and time: the one format the whole site
uses ("Dec 6, 2026 10:05 PM", settings.DATETIME_FORMAT), in two unbreakable halves, so a
narrow column breaks it between the date and the time and nowhere else."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib import admin
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

Column = Callable[[Any, Any], SafeString | None]


def date_and_time(moment: datetime | None) -> SafeString | None:
    """`moment` as the site writes it, marked up as a date half and a time half; None (the
    admin's "-") where there is none."""
    if moment is None:
        return None
    local = timezone.localtime(moment)
    written = formats.date_format(local, "DATETIME_FORMAT")
    day = formats.date_format(local, "DATE_FORMAT")
    time = written.removeprefix(day).strip() if written.startswith(day) else ""
    if not time:  # a format that does not start with the date: one piece, as written
        day = written
    return format_html(
        '<time class="when" datetime="{}"><span>{}</span> <span>{}</span></time>',
        local.isoformat(),
        day,
        time,
    )


def date_and_time_column(field: str, description: str) -> Column:
    """A changelist column showing the date-time field `field`, sortable by it: in a ModelAdmin,
    `start_date = date_and_time_column("created_at", "Start date")`."""

    @admin.display(description=description, ordering=field)
    def column(model_admin: Any, row: Any) -> SafeString | None:
        return date_and_time(getattr(row, field))

    return column
