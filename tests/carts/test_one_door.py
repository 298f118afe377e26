"""The one door to the carts (`CartQuerySet.visible_to`, and `Scope` behind it for the
tallies): no staff screen, form, action, run or template tag reaches `Cart.objects` another
way, and with the door shut no staff URL or action shows or changes any cart. Services and
models are not the staff side: they get querysets already through the door and lock carts by
id."""

import ast
import re
from pathlib import Path

import pytest

import carts
from carts.models import Cart, CartRun
from carts.querysets import CartQuerySet, Scope
from carts.runs import jobs
from carts.runs.starting import start

pytestmark = pytest.mark.django_db

CARTS = Path(carts.__file__).parent
# The staff side: every module that answers a staff request or runs a staff action.
STAFF_SIDE = [
    "listing",
    "actions",
    "deleted",
    "runs",
    "followup",
    "products",
    "dialogs.py",
    "templatetags",
]


def staff_modules() -> list[Path]:
    found: list[Path] = []
    for name in STAFF_SIDE:
        place = CARTS / name
        found.extend(sorted(place.rglob("*.py")) if place.is_dir() else [place])
    return found


def doors_bypassed(path: Path) -> list[str]:
    """Each `Cart.objects.<x>` in the module whose <x> is not the door, as "file:line"."""
    tree = ast.parse(path.read_text(), filename=str(path))
    bypasses = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "objects"
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "Cart"
            and node.attr != "visible_to"
        ):
            bypasses.append(
                f"{path.relative_to(CARTS.parent)}:{node.lineno} Cart.objects.{node.attr}"
            )
    return bypasses


def test_it_finds_the_staff_modules() -> None:
    modules = staff_modules()
    assert CARTS / "listing" / "views.py" in modules
    assert CARTS / "actions" / "views.py" in modules
    assert CARTS / "runs" / "jobs.py" in modules


def test_no_staff_module_reaches_carts_but_through_the_door() -> None:
    bypassed = [where for path in staff_modules() for where in doors_bypassed(path)]
    assert bypassed == [], "Reach carts through Cart.objects.visible_to(user): " + ", ".join(
        bypassed
    )


# Walking every staff URL and action with the door shut: nothing of any cart shows or changes.

DIALOG = {"X-Dialog": "1"}


@pytest.fixture
def door(monkeypatch) -> list:
    """Shut the door for everyone: the scope every cart and tally query goes through shows
    nothing. Returns who asked `visible_to`."""
    asked: list = []
    through = CartQuerySet.visible_to

    def visible_to(self, user):
        asked.append(user)
        return through(self, user)

    monkeypatch.setattr(CartQuerySet, "visible_to", visible_to)
    monkeypatch.setattr(Scope, "narrow", lambda self, rows: rows.none())
    return asked


@pytest.fixture
def world(manager_client, carts):
    """With the door still open: an inline Delete Order run of the third cart, and a queued
    job run over the first, not yet worked."""
    deleted = carts[2]
    manager_client.post("/carts/actions/", {"action": "delete", "cart": deleted.pk, "confirm": "1"})
    deleted_by = CartRun.objects.latest("pk")
    queued = start("delete", Cart.objects.filter(pk=carts[0].pk), deleted_by.created_by, mode="job")
    return {"open": carts[:2], "deleted": deleted, "run": deleted_by, "queued": queued}


def states(carts) -> list[tuple[str, int]]:
    return list(
        Cart.objects.filter(pk__in=[c.pk for c in carts])
        .order_by("pk")
        .values_list("status", "price_level_id")
    )


PAGES = [
    ("/carts/", {}),
    ("/carts/", {"q": "Shop", "sort": "-total"}),
    ("/carts/summary/", {"q": "Shop"}),
    ("/carts/summary/", {}),
    ("/carts/deleted/", {}),
    ("/carts/jobs/", {}),
]


def actions_on(world) -> list[tuple[str, str, dict]]:
    opened, deleted, run = world["open"][0], world["deleted"], world["run"]
    return [
        ("get", "/carts/actions/", {"action": "delete", "cart": opened.pk}),
        ("post", "/carts/actions/", {"action": "delete", "cart": opened.pk, "confirm": "1"}),
        ("get", "/carts/actions/", {"action": "change_price_level", "cart": opened.pk}),
        ("post", "/carts/actions/", {"action": "delete", "select_across": "1", "confirm": "1"}),
        ("get", "/carts/actions/", {"action": "delete", "select_across": "1"}),
        ("post", "/carts/restore/", {"cart": deleted.pk}),
        ("post", "/carts/restore/", {"batch": str(run.batch)}),
        ("post", "/carts/restore/", {"select_across": "1"}),
        ("post", f"/carts/runs/{run.pk}/undo/", {}),
    ]


def test_every_staff_url_and_action_goes_through_the_door(manager_client, staff, world, door):
    everything = [*world["open"], world["deleted"]]
    before = states(everything)
    for url, query in PAGES:
        page = manager_client.get(url, query, headers=DIALOG)
        assert page.status_code == 200, url
        assert not re.search(r'data-cart-id="\d+"', page.content.decode()), url
        assert page.context.get("matching") in (0, None), url
    for cart in everything:
        assert manager_client.get(f"/carts/{cart.pk}/", headers=DIALOG).status_code == 404
    for method, url, data in actions_on(world):
        answer = getattr(manager_client, method)(url, data, headers=DIALOG)
        assert answer.status_code in (200, 204, 302, 400, 404, 409), (url, data, answer.status_code)
        assert answer.context is None or not answer.context.get("count"), (url, data)
        assert states(everything) == before, (url, data)
    # A job's chunks go through the door as its starter: nothing of it is changed.
    jobs.run(world["queued"].pk)
    assert states(everything) == before
    assert staff in door and all(user in (staff, None) for user in door), door
