"""The details dialog's follow-up forms, one endpoint: a note, a contact or the follow-up date
of one cart. With JavaScript the dialog shows itself again, updated; without it the form is a
plain page that comes back to the cart's details. Bad input is a 400 that keeps what was typed
and says what to fix; another rep's cart is a 404."""

import datetime
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from carts.access import (
    PERMISSION_OF,
    AnyUser,
    AuthenticatedHttpRequest,
    MissingPermission,
    may_add_contacts,
    may_add_notes,
    may_set_follow_up,
    may_view_carts,
    missing_permission,
    staff_required,
)
from carts.dialogs import wants_fragment
from carts.listing.views import render_details
from carts.models import Cart
from carts.services import CartActionRefused
from carts.services.followup import (
    FollowUpRefused,
    NoSuchCart,
    add_note,
    follow_up_detail,
    record_contact,
    set_follow_up,
)


class ContactWhen(forms.Form):
    contacted_at = forms.DateTimeField(
        required=False, error_messages={"invalid": "Enter when, as a date and time."}
    )


class FollowUpDay(forms.Form):
    follow_up_on = forms.DateField(
        required=False, error_messages={"invalid": "Enter the follow-up date as a date."}
    )


def parsed(form: forms.Form, name: str) -> object:
    if not form.is_valid():
        raise FollowUpRefused(" ".join(str(error) for error in form.errors[name]))
    return form.cleaned_data[name]


def _note(request: AuthenticatedHttpRequest, pk: int) -> str:
    carts = Cart.objects.visible_to(request.user)
    add_note(carts=carts, pk=pk, user=request.user, text=request.POST.get("text", ""))
    return "Note added."


def _contact(request: AuthenticatedHttpRequest, pk: int) -> str:
    when = parsed(ContactWhen(request.POST), "contacted_at")
    assert when is None or isinstance(when, datetime.datetime)
    carts = Cart.objects.visible_to(request.user)
    contact = record_contact(
        carts=carts,
        pk=pk,
        user=request.user,
        kind=request.POST.get("kind", ""),
        outcome=request.POST.get("outcome", ""),
        contacted_at=when,
    )
    return f"{contact.get_kind_display()} contact recorded."


def _follow_up(request: AuthenticatedHttpRequest, pk: int) -> str:
    day = None if "clear" in request.POST else parsed(FollowUpDay(request.POST), "follow_up_on")
    assert day is None or isinstance(day, datetime.date)
    if day is None and "clear" not in request.POST:
        raise FollowUpRefused("Choose a follow-up date, or Clear to remove it.")
    carts = Cart.objects.visible_to(request.user).filter(pk=pk)
    set_follow_up(carts=carts, day=day, user=request.user)
    return f"{follow_up_detail(day)}."


Record = Callable[[AuthenticatedHttpRequest, int], str]
RECORDS: dict[str, tuple[Callable[[AnyUser], bool], Record]] = {
    "note": (may_add_notes, _note),
    "contact": (may_add_contacts, _contact),
    "follow_up": (may_set_follow_up, _follow_up),
}


@require_POST
@staff_required(may_view_carts)
def follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = request.POST.get("record", "")
    if record not in RECORDS:
        return render_details(request, pk, status=400, problem=("", "Choose what to record."))
    question, save = RECORDS[record]
    if not question(request.user):
        raise MissingPermission(missing_permission(request.user, PERMISSION_OF[question]))
    # Out of sight is not found, whatever was posted: checked before the input.
    if not Cart.objects.visible_to(request.user).filter(pk=pk).exists():
        raise Http404("No such cart.")
    try:
        said = save(request, pk)
    except NoSuchCart:
        raise Http404("No such cart.") from None
    except CartActionRefused as problem:
        # Bad input (400), or a cart no longer open (409): what was typed stays in the form.
        status = 400 if isinstance(problem, FollowUpRefused) else 409
        return render_details(
            request, pk, status=status, problem=(record, str(problem)), posted=request.POST
        )
    if wants_fragment(request):
        return render_details(request, pk, said=said)
    messages.success(request, said)
    return redirect("carts:details", pk=pk)
