"""Restoring deleted carts from Recently deleted and Undo: ticked carts, every cart matching the
list's filters, or one Delete Order's whole batch, each in one action.

Every restore goes through `services.staff.restore_carts`, which locks the carts in id order,
refuses carts whose customer has started a new one, and writes one audit entry per cart."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from carts.access import AuthenticatedHttpRequest, may_delete_carts, staff_required
from carts.actions.forms import CartIdsField
from carts.deleted.views import DeletedCartFilter, restorable_list
from carts.dialogs import done, refused, same_site_path
from carts.models import Cart, CartJob
from carts.runs.queueing import queue_if_big
from carts.services import ActionResult, CartActionRefused
from carts.services.staff import restore_carts
from carts.text import NAMED_AT_MOST, carts_count, counts_and_values, customers_named
from pricing.money import format_totals

BAD_BATCH = "That deletion batch (Undo or Restore all) is not valid; nothing was changed."
CHANGED_MEANWHILE = (
    "Some of the selected carts were restored or purged by someone else meanwhile; nothing was "
    "changed. Reload the list and try again."
)


class RestoreForm(forms.Form):
    """What a restore is for: one Delete Order's batch (Undo, Restore all), every cart matching
    the list's filters (`select_across`), or ticked carts."""

    batch = forms.UUIDField(required=False, error_messages={"invalid": BAD_BATCH})
    cart = CartIdsField(required=False)
    select_across = forms.BooleanField(required=False)
    query = forms.CharField(required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        if cleaned["batch"]:
            cleaned["carts"] = Cart.objects.filter(deletion_batch=cleaned["batch"])
        elif cleaned["select_across"]:
            # The list's filters again, over restorable carts only, whatever was posted.
            filters = DeletedCartFilter(QueryDict(cleaned["query"]), queryset=restorable_list())
            if not filters.is_valid():
                raise ValidationError("The list’s filters are not valid; nothing was changed.")
            cleaned["carts"] = filters.qs
        elif not cleaned["cart"]:
            raise ValidationError("Choose a cart to restore.")
        else:
            cleaned["carts"] = Cart.objects.filter(pk__in=cleaned["cart"])
        return cleaned

    @property
    def ticked(self) -> list[int]:
        """The ticked carts, when they are the selection: all of them come back, or none."""
        data = self.cleaned_data
        return [] if data["batch"] or data["select_across"] else list(data["cart"])


def _check_ticked(ids: list[int]) -> None:
    """Refuse ids that are not carts (400) and carts that cannot come back (409)."""
    restorable = Exists(Cart.objects.restorable().filter(pk=OuterRef("pk")))
    rows = Cart.objects.filter(pk__in=ids).annotate(restorable=restorable)
    found = {
        pk: ((name, number), ok)
        for pk, name, number, ok in rows.order_by("pk").values_list(
            "pk", "customer__name", "customer__customer_number", "restorable"
        )
    }
    if unknown := [str(pk) for pk in ids if pk not in found]:
        raise ValidationError(f"There is no cart {', '.join(unknown)}; nothing was changed.")
    if gone := [customer for customer, ok in found.values() if not ok]:
        whose = ngettext("The cart of %(names)s", "The carts of %(names)s", len(gone))
        raise CartActionRefused(
            whose
            % {"names": customers_named(gone[:NAMED_AT_MOST], len(gone))}
            + " cannot be restored (not deleted, already restored, or purged); nothing was "
            "changed."
        )


def _restore(form: RestoreForm, user: User) -> ActionResult:
    """Ticked carts come back all together or not at all; a batch or every match, whichever
    of them are still restorable."""
    ticked = form.ticked
    with transaction.atomic():
        if ticked:
            _check_ticked(ticked)
        result = restore_carts(carts=form.cleaned_data["carts"], user=user)
        # Each cart locked is either restored or refused by name.
        if result.count + len(result.refused) < len(ticked):
            raise CartActionRefused(CHANGED_MEANWHILE)
    return result


def _report(request: HttpRequest, result: ActionResult) -> None:
    """What came back (count and value per currency) and, by customer, what could not."""
    if result.count:
        again = ngettext("%(carts)s is open again", "%(carts)s are open again", result.count)
        # One currency: "3 carts are open again ($7.50)"; more: a count and value for each.
        values = result.values
        worth = counts_and_values(values) if len(values) > 1 else format_totals(values)
        messages.success(request, again % {"carts": carts_count(result.count)} + f" ({worth}).")
    if refused_count := len(result.refused):
        not_restored = ngettext(
            "%(carts)s was not restored:", "%(carts)s were not restored:", refused_count
        ) % {"carts": carts_count(refused_count)}
        more = refused_count - NAMED_AT_MOST
        messages.error(
            request,
            " ".join([not_restored, *result.refused[:NAMED_AT_MOST]])
            + (f" And {carts_count(more)} more." if more > 0 else ""),
        )


RESTORE = CartJob.Kind.RESTORE  # past CART_ACTION_INLINE_LIMIT carts, a job


@require_POST
@staff_required(may_delete_carts)
def restore(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Restore ticked deleted carts, every one matching the list's filters, or a whole batch:
    one action each, audited, the carts locked in id order (`restore_carts`)."""
    # Checked before anything changes: a bad `next` must not fail a restore already made.
    back = same_site_path(request.POST.get("next", ""), reverse("carts:recently_deleted"))
    form = RestoreForm(request.POST)
    if not form.is_valid():
        return refused(
            request, [str(e) for errors in form.errors.values() for e in errors], back=back
        )
    try:
        carts = form.cleaned_data["carts"]
        big = not form.ticked and queue_if_big(request, RESTORE, carts, request.user)
        if big:
            return done(request, big)
        result = _restore(form, request.user)
    except ValidationError as error:
        return refused(request, error.messages, back=back)
    except CartActionRefused as error:
        return refused(request, [str(error)], status=409, back=back)
    _report(request, result)
    return done(request, back)
