"""The Django admin refuses a request that carries a NUL character: a 400, not a 500.

PostgreSQL text cannot hold NUL, so a NUL in a list filter (`?status=%00`) or an autocomplete
term reached the database as a DataError. The app's own pages check their input themselves;
the admin's changelists, filters and autocomplete are Django's code and other libraries'
(django-tasks-db's, for one), so the check stands in front of all of them at once.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict

NUL = "\x00"


def carries_nul(data: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class AdminNulCharacterMiddleware:
    """Answers 400 to any request for a Django admin page whose query string or posted form
    holds a NUL, in a name or a value, before the admin's view sees it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        match = request.resolver_match
        in_admin = match is not None and "admin" in match.namespaces
        posted = request.method == "POST"
        if in_admin and (carries_nul(request.GET) or (posted and carries_nul(request.POST))):
            # Raised, not returned: Django's handler answers it with the site's 400 page.
            raise BadRequest("A NUL character in an admin request's parameters.")
