"""The one door to the carts (`CartQuerySet.visible_to`): no staff screen, form, action, run or
template tag reaches `Cart.objects` another way. Services and models are not the staff side:
they get querysets already through the door and lock carts by id."""

import ast
from pathlib import Path

import carts

CARTS = Path(carts.__file__).parent
# The staff side: every module that answers a staff request or runs a staff action.
STAFF_SIDE = ["listing", "actions", "deleted", "runs", "dialogs.py", "templatetags"]


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
