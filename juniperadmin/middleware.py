"""A database outage answered as such: a 503 "try again shortly" page on both sides, one log
line, no traceback to the user, and nothing that needs the database to render it."""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
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


class DatabaseUnavailableMiddleware:
    """Outermost but for security and static files: catches the outage wherever it shows,
    in a view (process_exception) or in a middleware below this one (__call__)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as error:
            return unavailable(request, error)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, (OperationalError, InterfaceError)):
            return unavailable(request, exception)
        return None
