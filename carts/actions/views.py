"""The one endpoint for the staff actions on open carts (those declared with a confirmation:
Change Price Level, Delete Order), for one cart or many: validate the selection, check the
declared permission, then let the action's confirmation say what comes next.

GET and unconfirmed POSTs only show the next step (choose, preview, confirm); a POST with
confirm=1 starts a run of the action (carts.runs.starting), inline or as a job by its size.
"""

from dataclasses import replace

from django.http import HttpResponse, QueryDict
from django.views.decorators.http import require_http_methods

from carts.access import (
    AuthenticatedHttpRequest,
    MissingPermission,
    may_view_carts,
    missing_permission,
    staff_required,
)
from carts.actions.confirming import Asked, Selection, list_url
from carts.actions.declarations import StaffAction, declared, may_do
from carts.actions.forms import SelectionForm
from carts.actions.selection import SelectionRefused, no_longer_open, pinned
from carts.dialogs import refused, render_dialog
from carts.querysets import CartQuerySet
from carts.runs.replies import reply
from carts.runs.starting import start
from carts.services import CartActionRefused
from carts.services.repricing import PriceLevelRefused


@staff_required(may_view_carts)
@require_http_methods(["GET", "POST"])
def cart_action(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    form = SelectionForm(data, user=request.user)
    if not form.is_valid():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        back = list_url(QueryDict(data.get("query", "")[:2000]).urlencode())
        return refused(request, problems, back=back)
    action = declared(form.cleaned_data["action"])
    if not may_do(request.user, action):
        raise MissingPermission(missing_permission(request.user, action.permission))
    selection = Selection(
        action=action.name,
        label=action.label,
        ids=form.cleaned_data["cart"],
        select_across=form.cleaned_data["select_across"],
        query=form.cleaned_data["query"],
        data=data,
        confirmed=request.method == "POST" and data.get("confirm") == "1",
    )
    try:
        selection, carts = _checked(request, selection, form.carts())
        return _next_step(request, action, selection, carts)
    except SelectionRefused as problem:
        return refused(request, [str(problem)], status=problem.status, back=selection.back)


def _checked(
    request: AuthenticatedHttpRequest, selection: Selection, carts: CartQuerySet
) -> tuple[Selection, CartQuerySet]:
    """The selection once its ticked carts are checked (`no_longer_open`), and for a confirmed
    "select all matching" only the carts its preview showed (`pinned`)."""
    selection = replace(selection, left_alone=no_longer_open(selection.ids, request.user))
    if not (selection.confirmed and selection.select_across):
        return selection, carts
    token = selection.data.get("pin", "")
    carts, later = pinned(carts, token, action=selection.action, query=selection.query)
    return replace(selection, pin=token, changed_since_preview=later), carts


def _next_step(
    request: AuthenticatedHttpRequest,
    action: StaffAction,
    selection: Selection,
    carts: CartQuerySet,
) -> HttpResponse:
    """The action's dialog, or, confirmed, its run; a refusal changes nothing."""
    confirmation = action.confirmation
    assert confirmation is not None  # the form offers only actions with one
    try:
        asked = confirmation.ask(selection, carts)
        if asked.start is None:
            return _dialog(request, action, asked)
        order = asked.start
        run = start(
            action.name,
            order.carts,
            request.user,
            level=order.level,
            also_customer=order.also_customer,
            left_out=order.left_out,
            follow_up_on=order.follow_up_on,
            email_template=order.email_template,
            send_again=order.send_again,
        )
    except PriceLevelRefused as refusal:
        if confirmation.refused is None:
            return refused(request, [str(refusal)], status=409, back=selection.back)
        return _dialog(request, action, confirmation.refused(selection, carts, refusal))
    except SelectionRefused:
        raise
    except CartActionRefused as error:
        return refused(request, [str(error)], status=409, back=selection.back)
    changed = selection.changed_since_preview
    return reply(
        request, run, selection.back, requested=order.requested, changed_since_preview=changed
    )


def _dialog(request: AuthenticatedHttpRequest, action: StaffAction, asked: Asked) -> HttpResponse:
    context = {**asked.context, "declared": action}
    template = action.confirmation.template if action.confirmation else ""
    return render_dialog(request, template, context, status=asked.status)
