"""Settings read from the environment, each checked once at start-up: a bad value stops the app
with one line that names the variable and says what it takes, never a traceback from deep
inside Django or a command that quietly runs with a value nobody meant (manage.py and wsgi.py
print the line)."""

import os
import re
import zoneinfo

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"true", "1", "yes", "on"})
FALSE = frozenset({"false", "0", "no", "off"})
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,18}")


def env_text(name: str, default: str = "") -> str:
    """The variable's value, stripped; the default when it is unset or blank."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool = False) -> bool:
    value = env_text(name)
    if not value:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (or 1/0, yes/no), not {value!r}")


def _range_words(minimum: int, maximum: int | None) -> str:
    if maximum is None:
        return f"of at least {minimum}"
    return f"from {minimum} to {maximum}"


def env_int(name: str, default: int, *, minimum: int, maximum: int | None = None) -> int:
    """A whole number within [minimum, maximum] (no upper bound when maximum is None)."""
    value = env_text(name)
    if not value:
        return default
    number = int(value) if WHOLE_NUMBER.fullmatch(value) else None
    if number is None or number < minimum or (maximum is not None and number > maximum):
        raise ImproperlyConfigured(
            f"{name} must be a whole number {_range_words(minimum, maximum)}, not {value!r}"
        )
    return number


def env_list(name: str, default: str = "") -> list[str]:
    """Comma-separated values, blanks left out."""
    return [item.strip() for item in env_text(name, default).split(",") if item.strip()]


def env_time_zone(name: str, default: str) -> str:
    value = env_text(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise ImproperlyConfigured(
            f"{name} must be a time zone name such as America/New_York, not {value!r}"
        ) from None
    return value
