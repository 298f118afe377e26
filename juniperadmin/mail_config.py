"""The settings of the store's name and its e-mail, read by juniperadmin.settings (which takes
every name here): the mail server from EMAIL_URL (dj-email-url) or the usual EMAIL_* variables,
the console in development when neither is set; the sender; the recovery e-mails' limits."""

import dj_email_url  # type: ignore[import-untyped]  # it ships no type hints
from django.core.exceptions import ImproperlyConfigured

from juniperadmin.env import env_bool, env_int, env_text

__all__ = [
    "STORE_NAME",
    "EMAIL_URL",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
    "SERVER_EMAIL",
    "RECOVERY_EMAIL_MIN_DAYS",
    "RECOVERY_EMAIL_PER_MINUTE",
    "RECOVERY_LINK_DAYS",
    "SITE_URL",
]

DEBUG = env_bool("DEBUG")

# The store's name as its customers know it: the store side shows it, never "JuniperAdmin".
STORE_NAME = env_text("STORE_NAME", "Juniper Wholesale")

# E-mail (recovery e-mails, carts.mail): EMAIL_URL, e.g. submission://user:password@host:587
# (dj-email-url), or the usual EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
# EMAIL_USE_TLS / EMAIL_USE_SSL. With neither, development prints each e-mail on the console.
EMAIL_URL = env_text("EMAIL_URL")
EMAIL_HOST = env_text("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65_535)
EMAIL_HOST_USER = env_text("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_text("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1, maximum=600)
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not env_text("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend"
)
if EMAIL_URL:  # one URL says it all, over the EMAIL_* variables
    try:
        _email = dj_email_url.parse(EMAIL_URL)
    except Exception as error:  # its own errors, a bad port's ValueError among them
        raise ImproperlyConfigured(f"EMAIL_URL is not an e-mail URL ({error})") from None
    if "EMAIL_BACKEND" not in _email:
        raise ImproperlyConfigured(
            "EMAIL_URL must start with smtp://, submission:// (STARTTLS) or console://"
        )
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST, EMAIL_PORT = _email["EMAIL_HOST"], _email["EMAIL_PORT"]
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_USER"], _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS, EMAIL_USE_SSL = _email["EMAIL_USE_TLS"], _email["EMAIL_USE_SSL"]
    EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or EMAIL_TIMEOUT
DEFAULT_FROM_EMAIL = env_text("DEFAULT_FROM_EMAIL", f"{STORE_NAME} <webmaster@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A customer e-mailed within this many days is skipped unless the sender says "send again".
RECOVERY_EMAIL_MIN_DAYS = env_int("RECOVERY_EMAIL_MIN_DAYS", 3, minimum=0, maximum=365)
# At most this many recovery e-mails a minute, all senders together (a job waits between them).
RECOVERY_EMAIL_PER_MINUTE = env_int("RECOVERY_EMAIL_PER_MINUTE", 60, minimum=1, maximum=10_000)
# How long the link in a recovery e-mail opens the customer's cart.
RECOVERY_LINK_DAYS = env_int("RECOVERY_LINK_DAYS", 14, minimum=1, maximum=365)
# Where customers reach this app: the links in e-mails start with it (no request to ask).
SITE_URL = env_text("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
