"""The Recovery page and the list of the recovered orders behind each of its figures."""

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from carts.access import AuthenticatedHttpRequest, may_view_carts, staff_required
from carts.days import store_today
from carts.recovery.figures import (
    Period,
    in_period,
    orders_query,
    recoveries_seen_by,
    recovery_figures,
)

PER_PAGE = 50
LONGEST = datetime.timedelta(days=3660)  # ten years: a period past this is a typo


class PeriodForm(forms.Form):
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput({"type": "date"}))
    rep = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        end = cleaned.get("date_to") or store_today()
        start = cleaned.get("date_from") or first_of_month_before(end, months=11)
        if start > end:
            self.add_error("date_to", "“To” is before “From”.")
        elif end - start > LONGEST:
            self.add_error("date_from", "Choose a period of ten years or less.")
        cleaned["period"] = Period(start, end)
        return cleaned


def first_of_month_before(day: datetime.date, *, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _period_form(request: AuthenticatedHttpRequest) -> tuple[PeriodForm, Period | None]:
    form = PeriodForm(request.GET)
    return form, (form.cleaned_data["period"] if form.is_valid() else None)


@staff_required(may_view_carts)
def recovery(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, period = _period_form(request)
    figures = recovery_figures(request.user, period) if period else None
    tables = (
        [("By month", figures.months, "Month"), ("By rep", figures.reps, "Rep")] if figures else []
    )
    context = {
        "form": form,
        "figures": figures,
        "period": period,
        "tables": tables,
        "window_days": settings.RECOVERY_WINDOW_DAYS,
    }
    return render(request, "carts/recovery.html", context, status=200 if period else 400)


@staff_required(may_view_carts)
def recovered_orders(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, period = _period_form(request)
    if period is None:
        context: dict[str, object] = {"form": form, "page": None}
        return render(request, "carts/recovered_orders.html", context, status=400)
    orders = in_period(recoveries_seen_by(request.user), "submitted_at", period)
    rep = form.cleaned_data.get("rep")
    if rep is not None:
        orders = orders.filter(rep_number=rep)
    orders = orders.select_related("cart__customer").order_by("-submitted_at", "-cart_id")
    page = Paginator(orders, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "period": period,
        "rep": rep,
        "query": orders_query(period, rep),
        "back": orders_query(period),
    }
    return render(request, "carts/recovered_orders.html", context)
