"""Set Follow-up Date's dialog: the date (or Clear) for the selected carts, how many and whose;
a date in the past is refused in the dialog, with what was chosen kept."""

import datetime

from django import forms
from django.utils import timezone

from carts.actions.confirming import Asked, Confirmation, RunOrder, Selection
from carts.actions.selection import named
from carts.days import store_today
from carts.querysets import CartQuerySet
from carts.runs.size import in_background
from carts.services.followup import FollowUpRefused, check_follow_up_day
from carts.text import whose_carts


class FollowUpChoice(forms.Form):
    follow_up_on = forms.DateField(
        required=False, error_messages={"invalid": "Enter the follow-up date as a date."}
    )
    clear = forms.BooleanField(required=False)


def chosen_day(selection: Selection) -> datetime.date | None:
    """The date the dialog's form chose; None to clear. Refuses anything else."""
    form = FollowUpChoice(selection.data)
    if not form.is_valid():
        raise FollowUpRefused(" ".join(str(e) for e in form.errors["follow_up_on"]))
    day: datetime.date | None = form.cleaned_data["follow_up_on"]
    if form.cleaned_data["clear"]:
        return None
    if day is None:
        raise FollowUpRefused("Choose a follow-up date, or tick Clear to remove it.")
    check_follow_up_day(day)
    return day


def ask(selection: Selection, carts: CartQuerySet) -> Asked:
    problem = ""
    if selection.confirmed:
        try:
            day = chosen_day(selection)
        except FollowUpRefused as refusal:
            problem = str(refusal)
        else:
            return Asked({}, start=RunOrder(carts, selection.ids, follow_up_on=day))
    cutoff = timezone.now()  # before counting: every cart counted was started by then
    count = carts.count()
    context = {
        "selection": selection,
        "count": count,
        "customers": whose_carts(named(carts), count) if count else "",
        "today": store_today(),
        "problem": problem,
        "chosen": selection.data.get("follow_up_on", ""),
        "pin": selection.pin_of(cutoff, count),
        **in_background(count),
    }
    return Asked(context, status=400 if problem else 200)


SET_FOLLOW_UP_DATE = Confirmation("carts/_follow_up_dialog.html", ask)
