"""The staff lists answer any query string, with the real parameter names and garbage values,
with a page or a clear 400, never a 5xx, and looking changes no row."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.properties.checks import assert_safe, attempt
from tests.properties.profiles import property_test
from tests.properties.strategies import OPEN_CARTS_QUERY, RECENTLY_DELETED_QUERY

pytestmark = pytest.mark.django_db
STAFF = st.sampled_from(["manager", "manager", "clerk"])


@pytest.mark.parametrize("url", ["/carts/", "/carts/summary/", "/carts/products/"])
@property_test
@given(query=OPEN_CARTS_QUERY, role=STAFF, dialog=st.booleans())
@example(
    query="q=Shop&rep=701&days_open_min=0&total_max=10&sort=-total", role="manager", dialog=False
)
@example(query="days_open_min=5&days_open_max=1&per_page=%00", role="clerk", dialog=True)
def test_open_carts_answers_any_query_string_and_changes_nothing(world, url, query, role, dialog):
    response, changed = attempt(world, role, "GET", url, query, dialog=dialog)
    assert_safe(response, changed, carried_out=False)
    assert response.status_code in (200, 400)


@property_test
@given(query=RECENTLY_DELETED_QUERY, role=STAFF)
@example(query="deleted_from=2026-02-01&deleted_to=2026-01-01&deleted_by=1", role="manager")
def test_recently_deleted_answers_any_query_string_and_changes_nothing(world, query, role):
    response, changed = attempt(world, role, "GET", "/carts/deleted/", query)
    assert_safe(response, changed, carried_out=False)
    assert response.status_code in (200, 400)
