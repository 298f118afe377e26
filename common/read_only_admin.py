"""Admin pages that only show: records written by services (carts, audit entries, exports,
e-mails), never added, changed or deleted by hand."""

from typing import Any

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """Carts change only through the service functions; the admin only shows them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
