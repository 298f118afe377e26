"""Every URL the app serves × every kind of user: what each gets, and never a 5xx.

The URL patterns come from the resolver, so a new URL without an entry in MATRIX fails
`test_every_url_pattern_has_an_entry` (and its own row of the matrix) with the entry to add.
Everything under /admin/ is the Django admin's, by one rule: staff only, anyone else to the
admin's log-in; a handful of its pages stand for the rest.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from carts.actions.declarations import DECLARED, StaffAction, on_screen, undone_by
from carts.models import CartRun
from carts.services.customer import add_to_cart
from tests.factories import PriceLevelFactory, cart_of, make_buyer, make_catalog, make_staff

pytestmark = pytest.mark.django_db

# The kinds of user, and the permissions of each kind of staff account.
PERMISSIONS = {
    "staff": (),
    "view": ("carts.view_cart",),
    "view_change": ("carts.view_cart", "carts.change_cart"),
    "view_delete": ("carts.view_cart", "carts.delete_cart"),
    "view_change_delete": ("carts.view_cart", "carts.change_cart", "carts.delete_cart"),
}
# The four roles (README, Roles), each a member of its group only, with the cart permissions
# the group carries. A linked rep's rep is the buyer's customer's; an unlinked rep sees no cart.
FOLLOW_UP = ("carts.add_cartnote", "carts.add_cartcontact", "carts.set_follow_up")
ROLES = {
    "store_admin": (
        "Store admin",
        ("carts.view_cart", "carts.change_cart", "carts.delete_cart", *FOLLOW_UP),
    ),
    "web_manager": ("WebManager staff", ("carts.view_cart", "carts.delete_cart", *FOLLOW_UP)),
    "viewer": ("Viewer", ("carts.view_cart",)),
    "linked_rep": ("Sales rep", ("carts.view_cart", *FOLLOW_UP)),
    "unlinked_rep": ("Sales rep", ("carts.view_cart", *FOLLOW_UP)),
}
PERMISSIONS.update({kind: needs for kind, (_, needs) in ROLES.items()})
STAFF = (*PERMISSIONS, "superuser")
KINDS = ("anonymous", "buyer", *STAFF)
VIEWERS = tuple(kind for kind in STAFF if kind == "superuser" or PERMISSIONS[kind])
DELETERS = tuple(k for k in VIEWERS if k == "superuser" or "carts.delete_cart" in PERMISSIONS[k])
# Staff who see only some carts: the buyer's cart, or a run a manager started, is not found.
REPS = ("linked_rep", "unlinked_rep")

# An outcome: a status code, or a redirect, written "→" and the path it goes to ("→login":
# the staff log-in, "→shop-login" the store's, "→admin-login" the Django admin's).
Outcome = int | str
Outcomes = dict[str, Outcome]
LOGINS = {
    "/accounts/login/": "→login",
    "/shop/login/": "→shop-login",
    "/admin/login/": "→admin-login",
}
ADMIN = "admin/"


def outcome(response: HttpResponse) -> Outcome:
    if response.status_code not in (301, 302):
        return response.status_code
    path = urlsplit(response["Location"]).path
    return LOGINS.get(path, f"→{path}")


def everyone(outcome: Outcome) -> Outcomes:
    return dict.fromkeys(KINDS, outcome)


def staff_only(allowed: tuple[str, ...], ok: Outcome) -> Outcomes:
    """A staff screen: anonymous visitors sign in first; buyers and staff without the
    permission get a 403; the `allowed` kinds get `ok`."""
    return {
        "anonymous": "→login",
        "buyer": 403,
        **{kind: ok if kind in allowed else 403 for kind in STAFF},
    }


def allowed(permission: str) -> tuple[str, ...]:
    """The kinds of staff who may view carts and have `permission` (what a declared action
    needs, carts.actions.declarations): the matrix reads it from the declarations."""
    return tuple(
        kind
        for kind in STAFF
        if kind == "superuser" or {"carts.view_cart", permission} <= set(PERMISSIONS[kind])
    )


def unseen(outcomes: Outcomes, *kinds: str) -> Outcomes:
    """`outcomes`, but a 404 for `kinds`: a cart or run out of their sight is not found (never
    a 403, which would confirm it exists)."""
    return outcomes | dict.fromkeys(kinds, 404)


def out_of_sight(allowed: tuple[str, ...], ok: Outcome) -> Outcomes:
    """The buyer's cart: `ok` for the `allowed` kinds who see it; not found (404) for an
    unlinked rep allowed the action; 403 for anyone else (the permission comes first)."""
    return unseen(staff_only(allowed, ok), *{"unlinked_rep"} & set(allowed))


def buyers_only(ok: Outcome) -> Outcomes:
    """A store page: anonymous visitors sign in at the store; staff get a 403."""
    return {"anonymous": "→shop-login", "buyer": ok, **dict.fromkeys(STAFF, 403)}


def admin_page(staff: Outcome, viewers: Outcome) -> Outcomes:
    """The Django admin: anyone not staff to its log-in; `staff` for staff without carts
    permissions, `viewers` for those with, 200 for a superuser."""
    signed_in = {"staff": staff, **dict.fromkeys(VIEWERS, viewers), "superuser": 200}
    return {"anonymous": "→admin-login", "buyer": "→admin-login", **signed_in}


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
    "carts/deleted/": [Case("/carts/deleted/", staff_only(VIEWERS, 200))],
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
        Case(
            "/admin/pricing/pricelevel/",
            admin_page(staff=403, viewers=403) | {"store_admin": 200},
        ),
        Case("/admin/auth/user/", admin_page(staff=403, viewers=403) | {"store_admin": 200}),
        *(Case(f"/admin/{table}/", admin_page(staff=403, viewers=403)) for table in SUPER_ONLY),
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


def make_objects() -> dict[str, int]:
    """Real rows for the paths' parameters: the buyer's open cart and its line, a product, and
    a queued run of each declared action (each guarded by the permission it declares)."""
    levels = {"wholesale": PriceLevelFactory(number=1), "dealer": PriceLevelFactory(number=2)}
    catalog = make_catalog(levels)
    customer, _ = make_buyer(catalog["wholesale"], "buyer")
    cart = add_to_cart(customer=customer, product=catalog["bolt"], quantity=2)
    other = cart_of(catalog, ("nut", 3))
    manager = make_staff("manager")
    queued = {"mode": CartRun.Mode.JOB, "created_by": manager, "cart_ids": [other.pk]}
    runs = {f"run_{name}": CartRun.objects.create(action=name, **queued).pk for name in DECLARED}
    return {"cart": cart.pk, "line": cart.lines.get().pk, "product": catalog["nut"].pk, **runs}


def sign_in_each_kind() -> dict[str, SimpleCookie]:
    """The session cookie of each kind of user (none for anonymous visitors)."""
    users: dict[str, User | None] = {
        "anonymous": None,
        "buyer": User.objects.get(username="buyer"),
        "superuser": User.objects.create_superuser("root", password="pw-for-tests-1"),
    }
    users.update({kind: make_staff(f"staff-{kind}", *needs) for kind, needs in PERMISSIONS.items()})
    for kind, (group, _) in ROLES.items():
        users[kind] = User.objects.create_user(f"role-{kind}", is_staff=True)
        users[kind].groups.add(Group.objects.get(name=group))
    rep = User.objects.get(username="buyer").customer.sales_rep
    rep.user = users["linked_rep"]
    rep.save()
    cookies = {}
    for kind in KINDS:
        client = Client()
        if users[kind] is not None:
            client.force_login(users[kind])
        cookies[kind] = client.cookies
    return cookies


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


def requests_of(case: Case, objects: dict[str, int]) -> Iterator[tuple[str, str, dict, Outcomes]]:
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
