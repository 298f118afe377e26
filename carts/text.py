"""Counted words for messages, one way: `ngettext`, with thousands separators."""

from django.utils.translation import ngettext


def carts_count(count: int) -> str:
    """'1 cart', '1,234 carts'."""
    return ngettext("%(count)s cart", "%(count)s carts", count) % {"count": f"{count:,}"}
