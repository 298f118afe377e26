"""The Jobs page: every staff action that ran as a job (more carts than one request should hold),
one card each with its progress and result, Resume for one that stopped and Undo / Roll back for
one that finished or stopped. And the two buttons' endpoints, for any run: an inline run's Undo
(on the message after it) is the same Undo.

Inline runs have records too, but are not listed here: their result was the message after them."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from carts.access import (
    AuthenticatedHttpRequest,
    MissingPermission,
    may_view_carts,
    missing_permission,
    staff_required,
)
from carts.actions.declarations import declared, may_do, undone_by
from carts.dialogs import refused, same_site_path
from carts.models import CartRun
from carts.querysets import scope_of
from carts.runs import report, undoing
from carts.runs.replies import reply
from carts.runs.size import in_background
from carts.services import CartActionRefused

SHOWN = 50
Status = CartRun.Status


@dataclass(frozen=True)
class JobCard:
    """One job as its card shows it."""

    run: CartRun
    title: str
    status: str
    result: str
    problems: str
    active: bool
    may_resume: bool
    may_undo: bool
    undo_label: str


def recent_jobs(user: User) -> list[CartRun]:
    """The latest job runs `user` may see (`Scope.narrow_runs`), each with the status of its
    undo (if any: one at most, done, going or stopped) and whether anything is left to undo, in
    one query."""
    undos = CartRun.objects.filter(undoes=OuterRef("pk"))
    rows = scope_of(user).narrow_runs(CartRun.objects.filter(mode=CartRun.Mode.JOB))
    rows = rows.select_related("created_by", "price_level", "undoes")
    return list(
        rows.annotate(
            undo_status=Subquery(undos.values("status")[:1]),
            to_undo=undoing.anything_to_undo(),
        )
        .defer("cart_ids", "undoes__cart_ids")
        .order_by("-created_at", "-id")[:SHOWN]
    )


def job_card(run: CartRun, user: User) -> JobCard:
    action = declared(run.action)
    stalled = undoing.is_stalled(run)
    undo_status: str | None = getattr(run, "undo_status", None)
    title = f"{run.name}: {action.label}"
    if run.price_level:
        title += f" to {run.price_level.name}"
    if run.undoes:
        title += f" (undoing {run.undoes.name.lower()})"
    finished = run.status in (Status.DONE, Status.FAILED) and undo_status is None
    going = (Status.QUEUED, Status.RUNNING)
    return JobCard(
        run=run,
        title=title,
        status=report.status(run, stalled=stalled, undo_status=undo_status),
        result=report.result(run) if run.position else "",
        problems=report.problems(run),
        active=run.status in going or undo_status in going,
        may_resume=(run.status == Status.FAILED or stalled)
        and undo_status is None
        and may_do(user, action),
        may_undo=finished
        and bool(action.undo and run.undoes is None and getattr(run, "to_undo", False))
        and may_do(user, undone_by(action)),
        undo_label=action.undo_label,
    )


@staff_required(may_view_carts)
def job_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    cards = [job_card(run, request.user) for run in recent_jobs(request.user)]
    template = "carts/_job_list.html" if request.GET.get("part") == "list" else "carts/jobs.html"
    context = {"cards": cards, "active": any(card.active for card in cards), **in_background(0)}
    return render(request, template, context)


def _run_for(request: AuthenticatedHttpRequest, pk: int, *, undo: bool) -> CartRun:
    """The run, if the user may resume it (its action's permission) or undo it (the undoing
    action's). A run they may not see is not found, as if it did not exist."""
    runs = scope_of(request.user).narrow_runs(CartRun.objects.select_related("undoes"))
    run = runs.filter(pk=pk).first()
    if run is None:
        raise Http404("No such run.")
    action = declared(run.action)
    needed = undone_by(action) if undo else action
    if not may_do(request.user, needed):
        raise MissingPermission(missing_permission(request.user, needed.permission))
    return run


@require_POST
@staff_required(may_view_carts)
def resume(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk, undo=False)
    try:
        undoing.resume(run)
    except CartActionRefused as problem:
        return refused(request, [str(problem)], status=409, back=reverse("carts:jobs"))
    messages.success(request, f"{run.name} resumes after its last finished chunk.")
    return redirect("carts:jobs")


@require_POST
@staff_required(may_view_carts)
def undo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Undo a run (Undo after an inline action, Roll back on the Jobs page): the undo runs
    inline or as a job by its size, like any run."""
    back = same_site_path(request.POST.get("next", ""), reverse("carts:jobs"))
    run = _run_for(request, pk, undo=True)
    try:
        undo_run = undoing.undo(run, request.user)
    except CartActionRefused as problem:
        return refused(request, [str(problem)], status=409, back=back)
    return reply(request, undo_run, back)
