"""What a person sees after starting a run, wherever it started (an action on Open Carts, a
restore, an Undo or Roll back): a job sends them to the Jobs page to follow it; an inline run
goes back where they were, with its result (carts.runs.report), the carts it left alone by name,
and, after a confirmed action (one with a dialog) that can be undone, an Undo button on the
message (the message carries its run: carts.templatetags.runs)."""

from collections.abc import Sequence

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from carts.actions.declarations import declared
from carts.actions.selection import report_untouched
from carts.dialogs import done
from carts.models import CartEvent, CartRun
from carts.runs import report
from carts.templatetags.runs import undo_tag


def reply(
    request: HttpRequest,
    run: CartRun,
    back: str,
    *,
    requested: Sequence[int] = (),
    changed_since_preview: int = 0,
) -> HttpResponse:
    """After `run` started: for a job, to the Jobs page; inline, back to `back`, saying what
    it did, and which of the `requested` carts it left alone."""
    if run.is_job:
        messages.success(request, report.undoing(run) if run.undoes else report.queued(run))
        return done(request, reverse("carts:jobs"))
    problems = report.problems(run)
    if run.changed or not problems:
        messages.success(request, report.result(run), extra_tags=_undo_offer(run))
    if problems:
        messages.error(request, problems)
    report_untouched(request, left_alone(run, requested), changed_since_preview)
    return done(request, back)


def _undo_offer(run: CartRun) -> str:
    """The message's Undo, after a confirmed action that changed carts and can be undone."""
    action = declared(run.action)
    offered = run.changed and action.undo and action.confirmation and run.undoes is None
    return undo_tag(run.pk) if offered else ""


def left_alone(run: CartRun, requested: Sequence[int]) -> list[int]:
    """The carts asked for that the run did not change (its audit entries say which it did)."""
    if not requested:
        return []
    entries = CartEvent.objects.filter(run=run, cart_id__in=list(requested))
    changed = set(entries.values_list("cart_id", flat=True))
    return [pk for pk in requested if pk not in changed]
