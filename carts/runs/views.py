"""The Jobs page: every big action running in the background, its progress and its result,
with Resume for a job that stopped and Roll back / Undo for one that finished."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from carts.access import (
    AnyUser,
    AuthenticatedHttpRequest,
    may_change_price_level,
    may_delete_carts,
    may_view_carts,
    staff_required,
)
from carts.models import CartJob
from carts.runs import jobs
from carts.services import CartActionRefused

SHOWN = 50
Kind = CartJob.Kind


def may_run(user: AnyUser, job: CartJob) -> bool:
    """Whether `user` may resume or roll back `job`: the permission its action needs."""
    if job.kind in (Kind.PRICE_LEVEL, Kind.REVERT_PRICE_LEVEL):
        return may_change_price_level(user)
    return may_delete_carts(user)


def recent_jobs() -> list[CartJob]:
    rows = CartJob.objects.select_related("created_by", "price_level", "undoes")
    return list(rows.defer("cart_ids").order_by("-created_at", "-id")[:SHOWN])


@staff_required(may_view_carts)
def job_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    shown = recent_jobs()
    for job in shown:
        job.stalled = jobs.is_stalled(job)  # type: ignore[attr-defined]
        job.may_run = may_run(request.user, job)  # type: ignore[attr-defined]
    active = any(job.status in (CartJob.Status.QUEUED, CartJob.Status.RUNNING) for job in shown)
    template = "carts/_job_list.html" if request.GET.get("part") == "list" else "carts/jobs.html"
    limit = f"{settings.CART_ACTION_INLINE_LIMIT:,}"
    return render(request, template, {"jobs": shown, "active": active, "inline_limit": limit})


def _job_to_run(request: AuthenticatedHttpRequest, pk: int) -> CartJob:
    job = CartJob.objects.filter(pk=pk).first()
    if job is None:
        raise Http404("No such job.")
    if not may_run(request.user, job):
        raise PermissionDenied("You may not run this job.")
    return job


@require_POST
@staff_required(may_view_carts)
def resume(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _job_to_run(request, pk)
    try:
        jobs.resume(job)
    except CartActionRefused as refused:
        return render(request, "carts/jobs.html", _refusal(request, refused), status=409)
    messages.success(request, f"Job {job.pk} resumes after its last finished chunk.")
    return redirect("carts:jobs")


@require_POST
@staff_required(may_view_carts)
def roll_back(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _job_to_run(request, pk)
    try:
        undo = jobs.roll_back(job, request.user)
    except CartActionRefused as refused:
        return render(request, "carts/jobs.html", _refusal(request, refused), status=409)
    messages.success(
        request, f"Job {undo.pk} is undoing job {job.pk}: {undo.total:,} carts to put back."
    )
    return redirect("carts:jobs")


def _refusal(request: AuthenticatedHttpRequest, refused: CartActionRefused) -> dict[str, object]:
    messages.error(request, str(refused))
    return {"jobs": recent_jobs(), "active": False}
