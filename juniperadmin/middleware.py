"""A database outage answered as such: a 503 "try again shortly" page on both sides, one log
line, no traceback to the user, and nothing that needs the database to render it. And no query
outlives its request: a process that serves requests runs every statement under
DATABASE_STATEMENT_TIMEOUT, below gunicorn's 30 s worker timeout (a cancelled one is a 503)."""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("juniperadmin.database")

RETRY_AFTER_SECONDS = 30


def unavailable(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.error("Database unavailable for %s %s: %s", request.method, request.path, error)
    # No request context: the context processors would ask the database who is signed in.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def limit_statements(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Each connection a web process opens: no statement runs longer than the request may."""
    seconds: int = settings.DATABASE_STATEMENT_TIMEOUT
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{seconds}s"])


class DatabaseUnavailableMiddleware:
    """Outermost but for security and static files: catches the outage wherever it shows,
    in a view (process_exception) or in a middleware below this one (__call__).

    Loaded only where requests are served (gunicorn, runserver), it also puts the statement
    timeout on that process's connections; workers and commands keep theirs unlimited."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        connection_created.connect(limit_statements, dispatch_uid="juniperadmin.statement_timeout")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as error:
            return unavailable(request, error)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, (OperationalError, InterfaceError)):
            return unavailable(request, exception)
        return None
