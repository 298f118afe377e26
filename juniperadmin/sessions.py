"""How long a sign-in lasts, by who signed in. Staff are signed out after
STAFF_SESSION_IDLE_MINUTES without a request and STAFF_SESSION_MAX_HOURS after signing in,
however busy; customers' buyers, on their own devices, after CUSTOMER_SESSION_IDLE_DAYS idle."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import ngettext

from juniperadmin.middleware import unavailable

SIGNED_IN_AT = "juniperadmin.signed_in_at"
REFRESHED_AT = "juniperadmin.session_refreshed_at"
# Moving the idle deadline on writes the session row. It moves on the first request of each
# second, so a burst (a page, its summary, its dialogs) costs one write and the deadline is
# never more than a second short of the last request plus the idle limit, whatever the limit.
REFRESH_EVERY_SECONDS = 1


@dataclass(frozen=True)
class SessionLimits:
    idle_seconds: int
    max_seconds: int | None  # None: no limit but the idle one
    login_url_name: str


def limits_for(user: AbstractBaseUser | AnonymousUser) -> SessionLimits:
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return SessionLimits(
            idle_seconds=settings.STAFF_SESSION_IDLE_MINUTES * 60,
            max_seconds=settings.STAFF_SESSION_MAX_HOURS * 60 * 60,
            login_url_name="login",
        )
    return SessionLimits(
        idle_seconds=settings.CUSTOMER_SESSION_IDLE_DAYS * 24 * 60 * 60,
        max_seconds=None,
        login_url_name="shop:login",
    )


@receiver(user_logged_in, dispatch_uid="juniperadmin.sessions.start_session")
def start_session(sender: Any, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> None:
    """The clock starts at each sign-in, and the session is saved with its idle limit then."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[REFRESHED_AT] = now
    request.session.set_expiry(limits_for(user).idle_seconds)


def sign_in_ended(request: HttpRequest, limits: SessionLimits) -> HttpResponse:
    hours = (limits.max_seconds or 0) // (60 * 60)
    after = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    path = request.get_full_path()
    logout(request)
    messages.info(request, f"You were signed out {after} after signing in. Please sign in again.")
    return redirect_to_login(path, reverse(limits.login_url_name))


class SessionLimitsMiddleware:
    """After authentication and messages: sets this user's idle timeout on the session, and
    signs out a session older than its maximum, back to the log-in with a message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            ended = self.apply_limits(request)
        except (OperationalError, InterfaceError) as error:
            # The session is read here, before any view: an outage shows here first, where
            # DatabaseUnavailableMiddleware's handling of view errors does not reach.
            return unavailable(request, error)
        return ended or self.get_response(request)

    def apply_limits(self, request: HttpRequest) -> HttpResponse | None:
        """None to go on, or the way back to the log-in when the session is too old."""
        if not request.user.is_authenticated:
            return None
        limits = limits_for(request.user)
        session = request.session
        now = int(time.time())
        # A session from before these limits counts from now.
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        if limits.max_seconds is not None and now - signed_in_at >= limits.max_seconds:
            return sign_in_ended(request, limits)
        stale = now - session.get(REFRESHED_AT, 0) >= REFRESH_EVERY_SECONDS
        if stale or session.get_expiry_age() != limits.idle_seconds:
            session.set_expiry(limits.idle_seconds)
            session[REFRESHED_AT] = now
        return None
