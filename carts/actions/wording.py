"""Each action's result in words, from its run record: the message after an inline run and the
Jobs page's line after a job read the same sentence (carts.runs.report)."""

from django.conf import settings
from django.db.models import Count
from django.utils.translation import ngettext

from carts.models import CartRun, RecoveryEmail
from carts.text import carts_count, counts_and_values, day_text, left_out
from pricing.money import format_money, format_totals


def repriced(run: CartRun) -> str:
    level = run.price_level
    assert level is not None
    said = (
        f"{carts_count(run.changed)} moved to {level.name}; total "
        f"{format_totals(run.totals())} → {format_money(run.value_after, level.currency)}."
    )
    return f"{said} {left_out(run.left_out, level.name)}" if run.left_out else said


def repriced_at_current(run: CartRun) -> str:
    totals = run.totals()
    said = f"{carts_count(run.changed)} re-priced at current prices"
    if len(totals) == 1:
        after = format_money(run.value_after, totals[0].currency)
        said += f"; total {format_totals(totals)} → {after}."
    else:
        said += f" ({counts_and_values(totals)})."
    if run.left_out:
        said += " " + ngettext(
            "%(carts)s had no prices out of date and was left alone.",
            "%(carts)s had no prices out of date and were left alone.",
            run.left_out,
        ) % {"carts": carts_count(run.left_out)}
    return said


def put_back(run: CartRun) -> str:
    totals = run.totals()
    # The undo of a change of level, or of a re-price at current prices (which kept the levels).
    kept_level = run.undoes is not None and run.undoes.action == "reprice_current"
    what = "the prices" if kept_level else "the price level"
    said = f"{carts_count(run.changed)} put back at {what} each had before"
    if len(totals) != 1:
        return f"{said} ({counts_and_values(totals)})."
    after = format_money(run.value_after, totals[0].currency)
    return f"{said}; total {format_totals(totals)} → {after}."


def deleted(run: CartRun) -> str:
    return (
        f"{carts_count(run.changed)} deleted ({format_totals(run.totals())}). "
        + ngettext("It stays", "They stay", run.changed)
        + f" restorable for {settings.CART_RETENTION_DAYS} days under Recently deleted."
    )


def restored(run: CartRun) -> str:
    again = ngettext("%(carts)s is open again", "%(carts)s are open again", run.changed)
    # One currency: "3 carts are open again ($7.50)"; more: a count and value for each.
    totals = run.totals()
    worth = counts_and_values(totals) if len(totals) > 1 else format_totals(totals)
    return again % {"carts": carts_count(run.changed)} + f" ({worth})."


def followed_up(run: CartRun) -> str:
    if run.follow_up_on is None:
        return f"Follow-up date cleared on {carts_count(run.changed)}."
    day = run.follow_up_on
    return f"{carts_count(run.changed)} to follow up on {day_text(day)}."


def purged(run: CartRun) -> str:
    return f"{carts_count(run.changed)} purged ({format_totals(run.totals())})."


def emailed(run: CartRun) -> str:
    """How the run's e-mails went, from their records: sent, not sent, not confirmed, waiting."""
    rows = RecoveryEmail.objects.filter(run=run).values_list("status").annotate(count=Count("pk"))
    counts: dict[str, int] = dict(rows)
    Status = RecoveryEmail.Status
    said = [f"{emails_count(counts.get(Status.SENT, 0))} sent."]
    if failed := counts.get(Status.FAILED, 0):
        said.append(f"{emails_count(failed)} not sent (the mail server refused; see each cart).")
    if unknown := counts.get(Status.UNKNOWN, 0):
        said.append(
            f"{emails_count(unknown)} not confirmed (the sender stopped mid-send; not sent again)."
        )
    if waiting := counts.get(Status.QUEUED, 0) + counts.get(Status.SENDING, 0):
        said.append(f"{emails_count(waiting)} still to send.")
    return " ".join(said)


def emails_count(count: int) -> str:
    return ngettext("%(count)s e-mail", "%(count)s e-mails", count) % {"count": f"{count:,}"}
