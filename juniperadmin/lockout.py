"""Log-in lock-out (django-axes) as this app wants it: the address a try comes from, and what a
locked-out log-in gets, the log-in page it came from, staff, store or Django admin alike, its
error replaced by the reason and the wait, answered 429 Too Many Requests."""

import ipaddress
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import ngettext


def client_address(request: HttpRequest) -> str | None:
    """The address that sent the log-in (AXES_CLIENT_IP_CALLABLE). Behind TRUSTED_PROXY_COUNT
    proxies it is the one the outermost of them saw, which each proxy appends to the right of
    X-Forwarded-For; whatever a client writes there itself stays further left."""
    proxies: int = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if proxies and len(forwarded) >= proxies:
        address = forwarded[-proxies].strip()
        try:
            return str(ipaddress.ip_address(address))
        except ValueError:
            pass  # not a proxy of ours that wrote it: the address that connected counts
    remote: str | None = request.META.get("REMOTE_ADDR")
    return remote


# What axes records a username in (its access attempt and log columns).
USERNAME_KEPT = 255


def client_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The username a try is counted under (AXES_USERNAME_CALLABLE): axes's own choice, the
    credentials' or else the form's, cut to what its columns hold. A longer one is no account
    (usernames have at most 150 characters): it gets the ordinary wrong-password answer, never a
    database error."""
    source = credentials or getattr(request, "POST", {})
    username = source.get(getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"))
    return str(username)[:USERNAME_KEPT] if username is not None else None


def lockout_message() -> str:
    minutes: int = settings.LOGIN_LOCKOUT_MINUTES
    wait = ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return (
        f"Too many failed sign-ins for this account; try again in {wait} "
        "or ask an administrator to unlock it."
    )


def locked_out_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page the log-in view rendered, again, with the lock-out as the form's only error."""
    message = lockout_message()
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if isinstance(original_response, TemplateResponse) and isinstance(form, BaseForm):
        form.errors.clear()
        form.add_error(None, ValidationError(message, code="locked_out"))
        response: HttpResponse = TemplateResponse(
            request, original_response.template_name, context, status=429
        ).render()
    else:  # pragma: no cover - every log-in form is a LoginView's; a last resort all the same
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(settings.LOGIN_LOCKOUT_MINUTES * 60)
    return response
