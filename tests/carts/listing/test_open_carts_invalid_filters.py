"""Open Carts with filters that are not valid: what was typed stays, the field is marked, and
no figure reads like a result (issue 10, item 8). Also what the filters toggle counts."""

import re

import pytest

from tests.factories import ProductFactory, make_cart, make_staff

pytestmark = pytest.mark.django_db

URL = "/carts/"


@pytest.fixture
def carts(store):
    product = ProductFactory()
    return [make_cart(lines=[(product, n, "2.00")]) for n in (1, 2, 3)]


def input_tag(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


@pytest.mark.parametrize(
    ("name", "typed", "message"),
    [
        ("days_open_min", "abc", "Enter a whole number."),
        ("last_touch_max", "-5", "greater than or equal to 0"),
        ("total_min", "xyz", "Enter a number."),
    ],
)
def test_it_keeps_what_was_typed_and_marks_the_field(staff_client, carts, name, typed, message):
    response = staff_client.get(URL, {name: typed})
    assert response.status_code == 400
    html = response.content.decode()
    field = input_tag(html, name)
    # A text box (with a number keypad): a number box would drop "abc" on the floor.
    assert f'value="{typed}"' in field and 'type="text"' in field and "inputmode=" in field
    assert 'aria-invalid="true"' in field
    error_id = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    error = re.search(rf'<p class="field-error" id="{error_id}">(.*?)</p>', html).group(1)
    assert message in error


def test_it_shows_no_figures_until_the_filters_are_valid(staff_client, carts):
    html = staff_client.get(URL, {"days_open_min": "abc", "total_max": "9"}).content.decode()
    assert "Fix the marked filters" in html
    # No count, no value: not even "0 carts match / $0.00".
    assert "stat-value" not in html and "$0.00" not in html
    assert "No open carts match" not in html


def test_the_summary_request_shows_no_figures_either(staff_client, carts):
    response = staff_client.get("/carts/summary/", {"total_min": "xyz"}, HTTP_X_DIALOG="1")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Fix the marked filters" in html and "$0.00" not in html


def test_empty_fields_are_no_filter_and_do_not_count(staff_client, carts):
    response = staff_client.get(URL, {"q": "", "rep": "", "price_level": "1", "total_max": ""})
    assert response.status_code == 200
    assert response.context["matching"] == 3
    assert response.context["active_filters"] == 1
    assert "Filters (1)" in response.content.decode()


def test_view_only_staff_get_no_check_boxes(staff_client, carts):
    # The filters' own tick boxes are not the rows' selection: follow-up due, never contacted,
    # e-mailed, never e-mailed, prices out of date, and Export's "one row per line".
    filter_boxes = 6
    html = staff_client.get(URL).content.decode()
    assert html.count('type="checkbox"') == filter_boxes and 'id="bulk-bar"' not in html
    staff_client.force_login(make_staff("remover", "carts.view_cart", "carts.delete_cart"))
    html = staff_client.get(URL).content.decode()
    assert html.count('type="checkbox"') == filter_boxes + 4 and 'id="bulk-bar"' in html
