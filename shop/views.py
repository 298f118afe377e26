"""The store side: a customer's buyer browses the catalog, fills the cart and submits it."""

from typing import TypeGuard

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from carts.mail.link import LinkRefused, customer_of_link
from carts.models import Cart
from carts.services import CartActionRefused
from carts.services import customer as shopping
from customers.models import Customer
from pricing.models import ProductPrice
from shop.access import customer_required
from shop.forms import AddToCartForm, QuantityForm, SubmitForm

PRODUCTS_PER_PAGE = 24


def problem(request: HttpRequest, message: str, *, status: int = 400) -> HttpResponse:
    """Bad input on the store side: say what is wrong; nothing was changed."""
    return render(request, "shop/problem.html", {"message": message}, status=status)


def form_problem(request: HttpRequest, form: forms.Form) -> HttpResponse:
    errors = "; ".join(f"{e}" for field_errors in form.errors.values() for e in field_errors)
    return problem(request, errors)


@customer_required
def catalog(request: HttpRequest, customer: Customer) -> HttpResponse:
    level = shopping.shopping_level(customer)
    # NUL cannot be stored or searched for in PostgreSQL text; nobody means it.
    search = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    prices = ProductPrice.objects.catalog(level, search)
    page = Paginator(prices, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    in_cart = dict(
        Cart.objects.open_cart_of(customer.pk).values_list("lines__product_id", "lines__quantity")
    )
    context = {
        "customer": customer,
        "level": level,
        "page": page,
        "search": search,
        "in_cart": in_cart,
    }
    return render(request, "shop/catalog.html", context)


@require_POST
@customer_required
def add_to_cart(request: HttpRequest, customer: Customer) -> HttpResponse:
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        return form_problem(request, form)
    product, quantity = form.cleaned_data["product"], form.cleaned_data["quantity"]
    try:
        shopping.add_to_cart(customer=customer, product=product, quantity=quantity)
    except CartActionRefused as error:
        return problem(request, str(error))
    messages.success(request, f"Added {quantity} × {product.name} to your cart.")
    next_page = request.POST.get("next")
    return redirect(next_page if _is_shop_path(next_page) else "shop:cart")


def _is_shop_path(path: str | None) -> TypeGuard[str]:
    return path is not None and path.startswith("/shop/") and "//" not in path


@customer_required
def cart(request: HttpRequest, customer: Customer) -> HttpResponse:
    """The customer's cart. Looking at it counts as a touch."""
    open_cart = shopping.view_cart(customer=customer)
    lines = open_cart.lines.select_related("product").order_by("id") if open_cart else []
    return render(
        request, "shop/cart.html", {"customer": customer, "cart": open_cart, "lines": lines}
    )


@require_POST
@customer_required
def change_line(request: HttpRequest, customer: Customer, line_id: int) -> HttpResponse:
    form = QuantityForm(request.POST)
    if not form.is_valid():
        return form_problem(request, form)
    try:
        shopping.set_quantity(
            customer=customer, line_id=line_id, quantity=form.cleaned_data["quantity"]
        )
    except CartActionRefused as error:
        return problem(request, str(error), status=404)
    messages.success(request, "Quantity updated.")
    return redirect("shop:cart")


@require_POST
@customer_required
def remove_line(request: HttpRequest, customer: Customer, line_id: int) -> HttpResponse:
    try:
        shopping.remove_line(customer=customer, line_id=line_id)
    except CartActionRefused as error:
        return problem(request, str(error), status=404)
    messages.success(request, "Removed from your cart.")
    return redirect("shop:cart")


@require_POST
@customer_required
def submit(request: HttpRequest, customer: Customer) -> HttpResponse:
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return problem(request, "That is not a cart of yours; nothing was submitted.")
    try:
        order = shopping.submit_cart(customer=customer, cart_id=form.cleaned_data["cart"])
    except shopping.AlreadySubmitted as already:
        messages.info(request, str(already))
        return redirect("shop:orders")
    except CartActionRefused as error:
        return problem(request, str(error), status=409)
    messages.success(request, f"Thank you! Order {order.order_number} was submitted.")
    return redirect("shop:orders")


@customer_required
def orders(request: HttpRequest, customer: Customer) -> HttpResponse:
    page = Paginator(Cart.objects.orders_of(customer.pk), 10).get_page(request.GET.get("page"))
    return render(request, "shop/orders.html", {"customer": customer, "page": page})


@customer_required
def from_email(request: HttpRequest, customer: Customer, token: str) -> HttpResponse:
    """The link in a recovery e-mail: after signing in, that customer's buyer lands on their
    cart (which, viewed, is a touch). Anyone else's buyer, a changed or an expired link: why."""
    try:
        meant_for = customer_of_link(token)
    except LinkRefused as refusal:
        return problem(request, str(refusal), status=404)
    if meant_for != customer.pk:
        return problem(
            request, "This link was sent to another customer; it opens only for them.", status=403
        )
    return redirect("shop:cart")
