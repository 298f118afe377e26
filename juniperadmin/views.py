"""The site's front door and its error pages. Wherever a person lands, the page offers a way
on that works for them: no 4xx page links back to the same refusal."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser, Permission, User
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from carts.access import may_view_carts
from juniperadmin.access import grantors, has_no_access, may_set_up_store
from shop.access import customer_of

NEITHER = "This account is neither a staff account nor the log-in of an active customer."


@dataclass(frozen=True)
class Step:
    """A link the page offers: where the person can go from here."""

    label: str
    url: str


def user_of(request: HttpRequest) -> User | AnonymousUser:
    # A 400 can be raised before the authentication middleware has given the request a user.
    return getattr(request, "user", None) or AnonymousUser()


def next_steps(request: HttpRequest) -> list[Step]:
    """The screens this person may open, never the address that just refused them."""
    user = user_of(request)
    if not user.is_authenticated:
        steps = [
            Step("Staff sign-in", reverse("login")),
            Step("Store sign-in", reverse("shop:login")),
        ]
    else:
        steps = []
        if customer_of(user):
            steps.append(Step("Go to the store", reverse("shop:catalog")))
        if may_view_carts(user):
            steps.append(Step("Open Carts", reverse("carts:open_carts")))
        elif may_set_up_store(request):
            steps.append(Step("Store set-up", reverse("admin:index")))
        elif user.is_staff:
            steps.append(Step("Who can give me access", reverse("no_access")))
    return [step for step in steps if step.url != request.path]


def home(request: HttpRequest) -> HttpResponse:
    """`/`: buyers to the store, staff to the first screen they may use (or, with none yet, to
    the page that says who can give them access); anonymous visitors to Open Carts, which asks
    them to sign in."""
    user = request.user
    if customer_of(user):
        return redirect("shop:catalog")
    if not user.is_authenticated or may_view_carts(user):
        return redirect("carts:open_carts")
    if may_set_up_store(request):
        return redirect("admin:index")
    if user.is_staff:
        return redirect("no_access")
    raise PermissionDenied(NEITHER)


@require_safe
def no_access(request: HttpRequest) -> HttpResponse:
    """A staff account with no permission yet: says so, and who can grant it, with sign-out.
    Anyone who may open something is sent on by `/`."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_no_access(request):
        return redirect("home")
    return render(request, "no_access.html", {"grantors": grantors(), "steps": []})


class SignIn(LoginView):
    """A log-in page (staff or store) that sends someone already signed in to their own side:
    a buyer to the store, anyone else to `/`, which routes staff on. The `next` it was given
    counts only when it is on that side. A fresh sign-in goes where it always did (`next`, or
    the page's own default), where the wrong kind of account is refused with the 403 page's
    explanation."""

    @method_decorator(never_cache)
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            return HttpResponseRedirect(self.own_side())
        return super().dispatch(request, *args, **kwargs)

    def own_side(self) -> str:
        store = reverse("shop:catalog")
        buyer = customer_of(self.request.user) is not None
        wanted = urlsplit(self.get_redirect_url()).path
        login_pages = {reverse("login"), reverse("shop:login")}
        if wanted and wanted not in login_pages and wanted.startswith(store) == buyer:
            return self.get_redirect_url()
        return store if buyer else reverse("home")

    def get_success_url(self) -> str:
        # Staff who may open nothing yet would land on a refusal, whatever page they asked for.
        if has_no_access(self.request):
            return reverse("no_access")
        return super().get_success_url()


def permission_named(permission: str) -> str:
    """'“Can view cart” (carts.view_cart)': the words the admin shows, and the code."""
    app_label, _, codename = permission.partition(".")
    name = (
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .values_list("name", flat=True)
        .first()
    )
    return f"“{name}” ({permission})" if name else permission


def why_refused(user: User | AnonymousUser, exception: Exception) -> str:
    """What the account lacks, in words: the permission, staff status, or the refusal's own."""
    permission = getattr(exception, "permission", None)
    if not permission:
        return str(exception) or "Your account may not open this page."
    needs = f"the permission {permission_named(permission)}"
    if not user.is_staff:
        return f"This page needs a staff account with {needs}; yours is not a staff account."
    return (
        f"This page needs {needs}, which your account does not have. "
        "A store administrator can grant it in Store set-up."
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 page: who is signed in, what they lack, and where they can go instead."""
    user = user_of(request)
    context = {
        "customer": customer_of(user),
        "reason": why_refused(user, exception),
        "steps": next_steps(request),
    }
    return render(request, "403.html", context, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", {"steps": next_steps(request)}, status=404)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", {"steps": next_steps(request)}, status=400)
