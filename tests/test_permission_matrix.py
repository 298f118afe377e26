"""Every URL the app serves × every kind of user: what each gets, and never a 5xx.

The URL patterns come from the resolver, so a new URL without an entry in MATRIX fails
`test_every_url_pattern_has_an_entry` (and its own row of the matrix) with the entry to add.
Everything under /admin/ is the Django admin's, by one rule: staff only, anyone else to the
admin's log-in; a handful of its pages stand for the rest.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from carts.actions.declarations import DECLARED, StaffAction, on_screen, undone_by
from tests.matrix_people import (
    ADMIN,
    DELETERS,
    KINDS,
    REPS,
    STAFF,
    VIEWERS,
    Outcomes,
    admin_page,
    allowed,
    buyers_only,
    everyone,
    make_objects,
    out_of_sight,
    outcome,
    sign_in_each_kind,
    staff_only,
    unseen,
)

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    """One request to a URL pattern, GET and POST, with what each kind of user gets. The path
    and data are filled from the `objects` fixture: {cart}, {line}, {run_delete}, ..."""

    path: str
    get: Outcomes
    post: Outcomes | str | None = None  # SAME: as for GET; None: GET only (the admin's pages)
    data: dict[str, str] = field(default_factory=dict)


# Views that answer GET and POST alike, and views that take POST only.
SAME = "as for GET"
POST_ONLY = everyone(405)


def run_cases(verb: str, needs: Callable[[StaffAction], StaffAction]) -> list[Case]:
    """A queued run of each declared action: past the permission the declaration says `verb`
    needs (resume: the action's own; undo: its undoing action's), a 409 (nor stopped nor
    finished)."""
    return [
        Case(
            f"/carts/runs/{{run_{name}}}/{verb}/",
            POST_ONLY,
            # Started by a manager: out of a rep's sight, whatever the rep may do.
            unseen(staff_only(allowed(needs(a).permission), 409), *REPS),
        )
        for name, a in DECLARED.items()
    ]


SIGN_IN_PAGE = {"anonymous": 200, "buyer": "→/shop/", **dict.fromkeys(STAFF, "→/")}
HOME = {**staff_only(VIEWERS, "→/carts/"), "anonymous": "→/carts/", "buyer": "→/shop/"}
HOME["staff"] = "→/no-access/"  # staff with no permission yet: who can give them access
SUPER_ONLY = ("pricing/pricelevel", "auth/user", "axes/accessattempt", "axes/accesslog")
SUPER_ONLY += ("django_tasks_database/dbtaskresult",)  # tests/test_store_setup.py: unlocking
# Of those, a Store admin sets up levels and users, and may unlock a lock-out (README, Roles).
STORE_ADMIN_OPENS = ("pricing/pricelevel", "auth/user", "axes/accessattempt")


SET_UP_TABLES = ("customers/salesrep", "customers/customer", "pricing/product")
SET_UP_TABLES += ("pricing/productprice",)
SETS_UP = {"store_admin": 200}


def store_admin(table: str) -> Outcomes:
    return {"store_admin": 200} if table in STORE_ADMIN_OPENS else {}


TO_CART, ACTION, CART = buyers_only("→/shop/cart/"), "/carts/actions/", {"cart": "{cart}"}

MATRIX: dict[str, list[Case]] = {
    "": [Case("/", HOME, SAME)],
    "no-access/": [Case("/no-access/", {**everyone("→/"), "anonymous": "→login", "staff": 200})],
    "carts/": [Case("/carts/", staff_only(VIEWERS, 200))],
    # Not confirmed: the dialog, nothing changed. One case per action the screen offers.
    "carts/actions/": [
        Case(ACTION, out_of_sight(allowed(a.permission), 200), SAME, {"action": a.name, **CART})
        for a in on_screen()
    ],
    "carts/summary/": [Case("/carts/summary/", staff_only(VIEWERS, 200))],
    "carts/products/": [Case("/carts/products/", staff_only(VIEWERS, 200))],
    "carts/deleted/": [Case("/carts/deleted/", staff_only(VIEWERS, 200))],
    # Exports: GET only; an unknown format is a 400 past the permission check.
    "carts/export/": [
        Case("/carts/export/", staff_only(VIEWERS, 200), everyone(405)),
        Case("/carts/export/", staff_only(VIEWERS, 400), everyone(405), {"format": "pdf"}),
    ],
    "carts/deleted/export/": [
        Case("/carts/deleted/export/", staff_only(VIEWERS, 200), everyone(405), {"lines": "1"})
    ],
    # The cart is open, so cannot be restored: a 409 past the permission check, nothing changed.
    "carts/restore/": [Case("/carts/restore/", POST_ONLY, staff_only(DELETERS, 409), CART)],
    "carts/<int:pk>/": [Case("/carts/{cart}/", unseen(staff_only(VIEWERS, 200), "unlinked_rep"))],
    # An empty note, one case per record: refused (400) past the permission and the scope.
    "carts/<int:pk>/follow-up/": [
        Case(
            "/carts/{cart}/follow-up/",
            POST_ONLY,
            out_of_sight(allowed(permission), 400),
            {"record": record, **blank},
        )
        for record, permission, blank in [
            ("note", "carts.add_cartnote", {"text": " "}),
            ("contact", "carts.add_cartcontact", {"kind": "telegram"}),
            ("follow_up", "carts.set_follow_up", {"follow_up_on": "2001-01-01"}),
        ]
    ],
    "carts/jobs/": [Case("/carts/jobs/", staff_only(VIEWERS, 200))],
    "carts/recovery/": [
        Case("/carts/recovery/", staff_only(VIEWERS, 200)),
        Case("/carts/recovery/", staff_only(VIEWERS, 400), data={"date_from": "2026-13-01"}),
    ],
    "carts/recovery/orders/": [
        Case("/carts/recovery/orders/", staff_only(VIEWERS, 200)),
        Case("/carts/recovery/orders/", staff_only(VIEWERS, 400), data={"rep": "x"}),
    ],
    "carts/runs/<int:pk>/resume/": run_cases("resume", lambda action: action),
    "carts/runs/<int:pk>/undo/": run_cases("undo", undone_by),
    "shop/": [Case("/shop/", buyers_only(200))],
    "shop/login/": [Case("/shop/login/", SIGN_IN_PAGE, SIGN_IN_PAGE)],
    "shop/cart/": [Case("/shop/cart/", buyers_only(200))],
    "shop/cart/add/": [
        Case("/shop/cart/add/", POST_ONLY, TO_CART, {"product": "{product}", "quantity": "1"})
    ],
    "shop/cart/lines/<int:line_id>/": [
        Case("/shop/cart/lines/{line}/", POST_ONLY, TO_CART, {"quantity": "3"})
    ],
    "shop/cart/lines/<int:line_id>/remove/": [
        Case("/shop/cart/lines/{line}/remove/", POST_ONLY, TO_CART)
    ],
    "shop/cart/submit/": [
        Case("/shop/cart/submit/", POST_ONLY, buyers_only("→/shop/orders/"), CART)
    ],
    "shop/orders/": [Case("/shop/orders/", buyers_only(200))],
    # A recovery e-mail's link: its customer's buyer to their cart; another customer's link is
    # a 403, a changed one a 404 (tests/carts/mail/test_link.py).
    "shop/cart/from-email/<str:token>/": [
        Case("/shop/cart/from-email/{email_link}/", buyers_only("→/shop/cart/")),
        Case("/shop/cart/from-email/{others_link}/", buyers_only(403)),
        Case("/shop/cart/from-email/{email_link}x/", buyers_only(404)),
    ],
    "accounts/login/": [Case("/accounts/login/", SIGN_IN_PAGE, SIGN_IN_PAGE)],
    # Signing out is a POST (GET is refused), and everyone may: to the staff log-in page.
    "accounts/logout/": [Case("/accounts/logout/", POST_ONLY, everyone("→login"))],
    ADMIN: [
        Case("/admin/", admin_page(staff="→/", viewers=200)),  # `/`: to the no-access page
        Case("/admin/carts/cart/", admin_page(staff=403, viewers=200)),
        # Out of an unlinked rep's sight: the admin's "doesn't exist" redirect to its index.
        Case(
            "/admin/carts/cart/{cart}/change/",
            admin_page(staff=403, viewers=200) | {"unlinked_rep": "→/admin/"},
        ),
        *(
            Case(f"/admin/{table}/", admin_page(staff=403, viewers=403) | store_admin(table))
            for table in SUPER_ONLY
        ),
        # The set-up's imports (add and change), their templates, exports (view) and record:
        # a Store admin's and a superuser's; the carts' staff get the admin's 403.
        *(
            Case(f"/admin/{table}/{page}", admin_page(staff=403, viewers=403) | SETS_UP)
            for table in SET_UP_TABLES
            for page in ("import/", "export/", "import/template/0.csv")
        ),
        Case("/admin/pricing/product/import/template/1.xlsx", admin_page(403, 403) | SETS_UP),
        Case("/admin/pricing/importrecord/", admin_page(staff=403, viewers=403) | SETS_UP),
        # Posting to the confirm step without a preview: the form's errors, nothing written.
        Case(
            "/admin/customers/customer/process_import/",
            admin_page(staff=405, viewers=405) | {"store_admin": 405, "superuser": 405},
            admin_page(staff=403, viewers=403) | SETS_UP,
        ),
    ],
}


def url_patterns(
    resolver: URLResolver | None = None, prefix: str = ""
) -> Iterator[tuple[str, str]]:
    """(route, view) for every URL pattern, the Django admin as one route (its prefix)."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLPattern):
            yield route, entry.lookup_str
        elif route == ADMIN:
            yield route, "django.contrib.admin.site.urls"
        else:
            yield from url_patterns(entry, route)


ROUTES = dict(url_patterns())


def entry_to_add(route: str) -> str:
    return (
        f"The URL pattern {route!r} (view {ROUTES[route]}) has no entry in MATRIX in "
        "tests/test_permission_matrix.py. Add one saying what every kind of user gets, e.g.\n"
        f'    "{route}": [Case("/{route}", get=staff_only(VIEWERS, 200), post=None)],\n'
        "Case(path, get, post, data): `get` and `post` map each kind of user "
        f"({', '.join(KINDS)}) to a status (200, 400, 403, 404, 405, 409) or a redirect "
        "('→login', '→shop-login', '→admin-login', '→/path/'); staff_only(allowed kinds, "
        "outcome), buyers_only(outcome) and everyone(outcome) build the usual ones. "
        "post=None tests GET only, post=SAME expects what GET gets; a POST-only view has "
        "get=POST_ONLY. Path parameters and form data are filled from the `objects` fixture: "
        "{cart}, {line}, {product} (add a row there if the view "
        "needs another), and {run_<action>}, a queued run of each declared action."
    )


def test_every_url_pattern_has_an_entry():
    missing = [entry_to_add(route) for route in ROUTES if route not in MATRIX]
    assert not missing, "\n\n".join(missing)


def test_every_entry_is_a_url_pattern():
    assert sorted(set(MATRIX) - set(ROUTES)) == [], "MATRIX lists URL patterns that are gone"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[tuple[dict, dict]]:
    """The rows and sign-ins, made once for the module in a transaction rolled back at its
    end; each test runs inside it and its own changes roll back as usual."""
    # Before the tests' own settings apply: a quick hasher for the passwords, as they have.
    quick = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic():
        with quick:
            made = make_objects(), sign_in_each_kind()
        yield made
        transaction.set_rollback(True)


@pytest.fixture
def clients(world, db) -> dict[str, Client]:
    """One client per kind of user, signed in afresh (a test may have signed one out)."""
    signed_in = {}
    for kind, cookies in world[1].items():
        signed_in[kind] = Client()
        signed_in[kind].cookies = SimpleCookie(cookies)
    return signed_in


def requests_of(
    case: Case, objects: dict[str, int | str]
) -> Iterator[tuple[str, str, dict, Outcomes]]:
    path = case.path.format_map(objects)
    data = {name: value.format_map(objects) for name, value in case.data.items()}
    yield "GET", path, data, case.get
    if case.post == SAME:
        yield "POST", path, data, case.get
    elif isinstance(case.post, dict):
        yield "POST", path, data, case.post


@pytest.mark.parametrize("route", list(ROUTES), ids=lambda route: f"/{route}")
def test_each_kind_of_user_gets_what_the_matrix_says(route, clients, world):
    if route not in MATRIX:
        pytest.fail(entry_to_add(route), pytrace=False)
    wrong = []
    for case in MATRIX[route]:
        for kind, client in clients.items():
            # GET before POST: a POST may change things (signing out, submitting the cart).
            for method, path, data, expected in requests_of(case, world[0]):
                send = client.get if method == "GET" else client.post
                got = outcome(send(path, data))
                if got != expected[kind]:
                    wrong.append(
                        f"{method} {path} {data or ''} as {kind}: {got}, not {expected[kind]}"
                    )
    assert not wrong, "\n".join(wrong)
