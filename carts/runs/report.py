"""The one formatter of a run's result, from its record: the message after an inline run and the
Jobs page's card after a job say the same things in the same words (money by
pricing.money, counts by carts.text)."""

from django.utils.translation import ngettext

from carts.actions.declarations import declared
from carts.models import CartRun
from carts.text import NAMED_AT_MOST, carts_count

Status = CartRun.Status


def result(run: CartRun) -> str:
    """What the run changed, and its value: "2 carts deleted ($3.75). …". A job also counts
    the carts it left alone (an inline run names them, see carts.runs.replies)."""
    said = declared(run.action).said(run)
    if run.is_job and run.left_alone:
        said += " " + ngettext(
            "%(carts)s was left alone (no longer in a state to change).",
            "%(carts)s were left alone (no longer in a state to change).",
            run.left_alone,
        ) % {"carts": carts_count(run.left_alone)}
    return said


def problems(run: CartRun) -> str:
    """The carts the service refused, by name: "2 carts were not restored: … And 3 more."."""
    if not run.refused_count:
        return ""
    not_done = ngettext(
        "%(carts)s was not %(done)s:", "%(carts)s were not %(done)s:", run.refused_count
    ) % {"carts": carts_count(run.refused_count), "done": declared(run.action).past}
    named = run.refused[:NAMED_AT_MOST]
    more = run.refused_count - len(named)
    return " ".join([not_done, *named]) + (f" And {carts_count(more)} more." if more > 0 else "")


def queued(run: CartRun) -> str:
    """The message after queuing a job."""
    return (
        f"{run.name} will {declared(run.action).verb} {carts_count(run.total)} in the "
        "background, a chunk at a time: follow it here; you can leave this page."
    )


def undoing(undo: CartRun) -> str:
    """The message after queuing an undo as a job."""
    assert undo.undoes is not None
    return (
        f"{undo.name} is undoing {undo.undoes.name.lower()}: {carts_count(undo.total)} to put "
        "back, a chunk at a time."
    )


def status(run: CartRun, *, stalled: bool, undo_status: str | None) -> str:
    """The run's status as people read it: "rolled back" is its undo that finished."""
    if undo_status == Status.DONE:
        return "Rolled back"
    if undo_status in (Status.QUEUED, Status.RUNNING):
        return "Rolling back"
    if undo_status == Status.FAILED:
        return "Rolling back, stopped (Resume its undo)"
    if stalled:
        return "Stalled (its worker stopped)"
    return run.get_status_display()
