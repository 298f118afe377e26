"""The people of the permission matrix (tests/test_permission_matrix.py): every kind of user,
the four roles among them, the rows their requests name, and how what each gets is written."""

from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from django.contrib.auth.models import Group, User
from django.http import HttpResponse
from django.test import Client

from carts.actions.declarations import DECLARED
from carts.mail.link import link_token
from carts.models import CartRun
from carts.services.customer import add_to_cart
from tests.factories import (
    PriceLevelFactory,
    cart_of,
    ensure_roles,
    make_buyer,
    make_catalog,
    make_staff,
)

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
EMAIL = "carts.send_recovery_email"
ROLES = {
    "store_admin": (
        "Store admin",
        ("carts.view_cart", "carts.change_cart", "carts.delete_cart", *FOLLOW_UP, EMAIL),
    ),
    "web_manager": (
        "WebManager staff",
        ("carts.view_cart", "carts.delete_cart", *FOLLOW_UP, EMAIL),
    ),
    "viewer": ("Viewer", ("carts.view_cart",)),
    "linked_rep": ("Sales rep", ("carts.view_cart", *FOLLOW_UP, EMAIL)),
    "unlinked_rep": ("Sales rep", ("carts.view_cart", *FOLLOW_UP, EMAIL)),
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


def make_objects() -> dict[str, int | str]:
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
    # The signed link of a recovery e-mail about the buyer's cart; and one for another customer.
    links = {
        "email_link": link_token(cart_id=cart.pk, customer_id=customer.pk),
        "others_link": link_token(cart_id=other.pk, customer_id=other.customer_id),
    }
    return {
        "cart": cart.pk,
        "line": cart.lines.get().pk,
        "product": catalog["nut"].pk,
        **runs,
        **links,
    }


def sign_in_each_kind() -> dict[str, SimpleCookie]:
    """The session cookie of each kind of user (none for anonymous visitors)."""
    ensure_roles()
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
