"""`{% unlinked_notice rows %}`: why a sales rep whose log-in is linked to no rep sees no carts,
and who can link them. Asked only when the list has no rows, so a rep's page costs no query
more."""

from collections.abc import Sequence
from typing import Any

from django import template
from django.contrib.auth.models import User
from django.db.models import Q

from carts.querysets import is_linked, scope_of

register = template.Library()

LINKS_REPS = ("customers", "change_salesrep")


def who_links_reps() -> list[str]:
    """The active people who may link a rep to a log-in: superusers and whoever may change
    sales reps, directly or through a group."""
    app_label, codename = LINKS_REPS
    allowed = Q(is_superuser=True)
    for through in ("user_permissions", "groups__permissions"):
        allowed |= Q(
            **{f"{through}__codename": codename, f"{through}__content_type__app_label": app_label}
        )
    people = User.objects.filter(allowed, is_active=True, is_staff=True).distinct()
    return [person.get_full_name() or person.username for person in people.order_by("username")]


@register.inclusion_tag("carts/_unlinked_notice.html", takes_context=True)
def unlinked_notice(context: dict[str, Any], rows: Sequence[object]) -> dict[str, object]:
    user = context["request"].user
    if rows or not scope_of(user).own_customers_only or is_linked(user):
        return {"unlinked": False}
    return {"unlinked": True, "who": who_links_reps()}
