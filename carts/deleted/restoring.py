"""Restoring deleted carts from Recently deleted: ticked carts, every cart matching the list's
filters, or one Delete Order's whole batch (Restore all), each one run of Restore (inline, or as
a job by its size; carts.runs). Undo after a deletion is the same Restore, as the deletion's undo
(carts.runs.undoing).

Every restore goes through `services.staff.restore_carts`, which locks the carts in id order,
refuses carts whose customer has started a new one, and writes one audit entry per cart."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from carts.access import AuthenticatedHttpRequest, may_delete_carts, staff_required
from carts.actions.declarations import RESTORE
from carts.actions.forms import CartIdsField
from carts.actions.selection import SelectionRefused, no_such_carts
from carts.deleted.views import DeletedCartFilter, restorable_list
from carts.dialogs import refused, same_site_path
from carts.models import Cart, CartRun
from carts.runs.replies import reply
from carts.runs.starting import start
from carts.services import CartActionRefused
from carts.text import NAMED_AT_MOST, customers_named

BAD_BATCH = "That deletion batch (Undo or Restore all) is not valid; nothing was changed."
CHANGED_MEANWHILE = (
    "Some of the selected carts were restored or purged by someone else meanwhile; nothing was "
    "changed. Reload the list and try again."
)


class RestoreForm(forms.Form):
    """What a restore is for: one Delete Order's batch (Restore all), every cart matching the
    list's filters (`select_across`), or ticked carts; among the carts `user` may see."""

    batch = forms.UUIDField(required=False, error_messages={"invalid": BAD_BATCH})
    cart = CartIdsField(required=False)
    select_across = forms.BooleanField(required=False)
    query = forms.CharField(required=False, max_length=2000)

    def __init__(self, data: QueryDict, *, user: User) -> None:
        super().__init__(data)
        self.user = user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        visible = Cart.objects.visible_to(self.user)
        if cleaned["batch"]:
            cleaned["carts"] = visible.filter(deletion_batch=cleaned["batch"])
        elif cleaned["select_across"]:
            # The list's filters again, over restorable carts only, whatever was posted.
            restorable = restorable_list().visible_to(self.user)
            filters = DeletedCartFilter(QueryDict(cleaned["query"]), queryset=restorable)
            if not filters.is_valid():
                raise ValidationError("The list’s filters are not valid; nothing was changed.")
            cleaned["carts"] = filters.qs
        elif not cleaned["cart"]:
            raise ValidationError("Choose a cart to restore.")
        else:
            cleaned["carts"] = visible.filter(pk__in=cleaned["cart"])
        return cleaned

    @property
    def ticked(self) -> list[int]:
        """The ticked carts, when they are the selection: all of them come back, or none."""
        data = self.cleaned_data
        return [] if data["batch"] or data["select_across"] else list(data["cart"])


def _check_ticked(ids: list[int], user: User) -> None:
    """Refuse ids that are not carts (400) and carts that cannot come back (409)."""
    visible = Cart.objects.visible_to(user)
    restorable = Exists(visible.restorable().filter(pk=OuterRef("pk")))
    rows = visible.filter(pk__in=ids).annotate(restorable=restorable)
    found = {
        pk: ((name, number), ok)
        for pk, name, number, ok in rows.order_by("pk").values_list(
            "pk", "customer__name", "customer__customer_number", "restorable"
        )
    }
    if unknown := [pk for pk in ids if pk not in found]:
        raise no_such_carts(unknown)
    if gone := [customer for customer, ok in found.values() if not ok]:
        whose = ngettext("The cart of %(names)s", "The carts of %(names)s", len(gone))
        raise CartActionRefused(
            whose
            % {"names": customers_named(gone[:NAMED_AT_MOST], len(gone))}
            + " cannot be restored (not deleted, already restored, or purged); nothing was "
            "changed."
        )


def _restore(form: RestoreForm, user: User) -> CartRun:
    """Ticked carts come back all together or not at all, in the request; a batch or every
    match, whichever of them are still restorable, inline or as a job by their number."""
    ticked = form.ticked
    with transaction.atomic():
        if ticked:
            _check_ticked(ticked, user)
        inline = CartRun.Mode.INLINE if ticked else None
        run = start(RESTORE, form.cleaned_data["carts"], user, mode=inline)
        # Each cart locked is either restored or refused by name.
        if run.changed + run.refused_count < len(ticked):
            raise CartActionRefused(CHANGED_MEANWHILE)
    return run


@require_POST
@staff_required(may_delete_carts)
def restore(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Restore ticked deleted carts, every one matching the list's filters, or a whole batch:
    one run each, audited, the carts locked in id order (`restore_carts`)."""
    # Checked before anything changes: a bad `next` must not fail a restore already made.
    back = same_site_path(request.POST.get("next", ""), reverse("carts:recently_deleted"))
    form = RestoreForm(request.POST, user=request.user)
    if not form.is_valid():
        return refused(
            request, [str(e) for errors in form.errors.values() for e in errors], back=back
        )
    try:
        run = _restore(form, request.user)
    except ValidationError as error:
        return refused(request, error.messages, back=back)
    except SelectionRefused as error:
        return refused(request, [str(error)], status=error.status, back=back)
    except CartActionRefused as error:
        return refused(request, [str(error)], status=409, back=back)
    return reply(request, run, back)
