import pytest

from carts.models import Cart
from tests.carts.insight.crafting import craft_carts


@pytest.fixture
def crafted(db) -> dict[str, Cart]:
    """Six crafted open carts in two currencies, two reps, every age bucket and both sides of
    the store's midnight (see `craft_carts`)."""
    return craft_carts()
