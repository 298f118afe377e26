"""The one place that decides whether a user may use the store side."""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from customers.models import Customer

Params = ParamSpec("Params")


def customer_of(user: User | AnonymousUser) -> Customer | None:
    """The customer a store log-in belongs to; staff accounts never act as customers."""
    if not user.is_authenticated or user.is_staff or not user.is_active:
        return None
    customer = Customer.objects.select_related("price_level").filter(user=user).first()
    return customer if customer and customer.is_active else None


def customer_required(
    view: Callable[Concatenate[HttpRequest, Customer, Params], HttpResponse],
) -> Callable[Concatenate[HttpRequest, Params], HttpResponse]:
    @wraps(view)
    def wrapped(
        request: HttpRequest, /, *args: Params.args, **kwargs: Params.kwargs
    ) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("shop:login"))
        customer = customer_of(request.user)
        if customer is None:
            raise PermissionDenied("The store pages are for customers' buyers only.")
        return view(request, customer, *args, **kwargs)

    return wrapped
