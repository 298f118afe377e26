"""The one dialog mechanism: with JavaScript, the page's `<dialog>` asks for bare fragments
(header `X-Dialog: 1`); without it, the same views answer with whole pages."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def wants_fragment(request: HttpRequest) -> bool:
    return request.headers.get("X-Dialog") == "1"


def render_dialog(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    if wants_fragment(request):
        return render(request, template, context, status=status)
    return render(
        request, "carts/dialog_page.html", {**context, "fragment": template}, status=status
    )


def same_site_path(value: str, default: str) -> str:
    """`value` if it is a path on this site ("/carts/?q=x"), else `default`: never another
    host, a scheme, a bare word (a URL name to redirect()), or a control character (which
    would break the dialog's X-Location header)."""
    if (
        value.startswith("/")
        and not value.startswith("//")
        and value.isprintable()
        and url_has_allowed_host_and_scheme(value, allowed_hosts=None)
    ):
        return value
    return default


def done(request: HttpRequest, url: str) -> HttpResponse:
    """After a change: a dialog is told where to go (so the redirect's messages are not spent
    on a fetch); a plain form is redirected."""
    if wants_fragment(request):
        return HttpResponse(status=204, headers={"X-Location": url})
    return redirect(url)


def refused(
    request: HttpRequest, problems: list[str], *, status: int = 400, back: str = ""
) -> HttpResponse:
    """Nothing was changed, and why."""
    context = {"problems": problems, "back": back or reverse("carts:open_carts")}
    return render_dialog(request, "carts/_refused_dialog.html", context, status=status)
