"""The Django admin as the store's set-up: its index lists what a store admin uses, in the order
a store is set up (README.md, Store set-up), and keeps the internal tables apart, each shown
only to those allowed to use it (juniperadmin/admin.py says who)."""

from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


@dataclass(frozen=True)
class Section:
    """A group on the index: a slug (its CSS class), its heading, and its models in order."""

    slug: str
    name: str
    models: tuple[str, ...]


SECTIONS = (
    Section(
        "setup",
        "Store set-up",
        (
            "pricing.PriceLevel",
            "customers.SalesRep",
            "customers.Customer",
            "pricing.Product",
            "pricing.ProductPrice",
            "carts.RecoveryTemplate",
            # What each import of the set-up did (pricing.setup_io).
            "pricing.ImportRecord",
        ),
    ),
    Section(
        "carts",
        "Carts and their audit trail",
        ("carts.Cart", "carts.CartEvent", "carts.CartExport", "carts.RecoveryEmail"),
    ),
    Section("accounts", "Staff accounts and permissions", ("auth.User", "auth.Group")),
    Section(
        "security",
        "Security: sign-in lock-outs",
        ("axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog"),
    ),
    Section("system", "System", ("django_tasks_database.DBTaskResult",)),
)


def label_of(model: dict[str, Any]) -> str:
    return str(model["model"]._meta.label)


def grouped(apps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Django's per-app list regrouped into SECTIONS (empty ones left out); a model no section
    names stays under its own app, after them."""
    models = {label_of(model): model for app in apps for model in app["models"]}
    sections = []
    for section in SECTIONS:
        shown = [models.pop(label) for label in section.models if label in models]
        if shown:
            sections.append(
                {"name": section.name, "app_label": section.slug, "app_url": "", "models": shown}
            )
    for app in apps:
        rest = [model for model in app["models"] if label_of(model) in models]
        if rest:
            sections.append({**app, "models": rest})
    return sections


class StoreSetUpSite(admin.AdminSite):
    site_header = "JuniperAdmin store set-up"
    site_title = "JuniperAdmin"
    index_title = "Store set-up"
    # The list of every model beside each page took 300 px of a 1280 px screen from the
    # changelists; the index and the breadcrumbs lead everywhere it did.
    enable_nav_sidebar = False

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> Any:
        apps = super().get_app_list(request, app_label)
        # One app's own page (/admin/pricing/) stays that app's.
        return apps if app_label else grouped(apps)

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        # Nothing here for this account: `/` sends it where it may go (Open Carts), or to the
        # page that says who can give it access, never to an empty index.
        if not self.get_app_list(request):
            return redirect("home")
        response: HttpResponse = super().index(request, extra_context)
        return response
