"""Who may do something: the people a page names when it says whom to ask."""

from django.contrib.auth.models import Permission, User
from django.db.models import Q, QuerySet


def who_may(permission: str) -> QuerySet[User]:
    """The active staff who have `permission` ("app_label.codename"), directly or through a
    group, and the superusers, who have every permission."""
    app_label, codename = permission.split(".")
    granted = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    has_it = Q(user_permissions__in=granted) | Q(groups__permissions__in=granted)
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | has_it)
        .distinct()
    )
