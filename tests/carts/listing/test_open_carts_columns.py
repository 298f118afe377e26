"""The Open Carts list is defined once, by its columns (`carts.listing.tables.OpenCartsTable`):
the page's header row, its rows and an export's rows all come from them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from carts.days import store_timezone
from carts.listing.tables import OpenCartsTable
from carts.models import Cart
from tests.carts.listing.test_open_carts_view import HEADERS
from tests.factories import (
    CustomerFactory,
    PriceLevelFactory,
    SalesRepFactory,
    make_cart,
    make_staff,
)

pytestmark = pytest.mark.django_db

URL = "/carts/"
# Every column but the check box and the row actions; Rep # and Items say two things each, and
# Order Total's currency has a column of its own.
EXPORT_HEADERS = [
    *HEADERS[2:7],
    "Rep",
    "Items",
    "Quantity",
    "Order Total",
    "Currency",
    *HEADERS[9:],
]
# What django-tables2 adds to a header's classes for sorting; the cells have none of them.
SORT_CLASSES = {"orderable", "asc", "desc"}


@pytest.fixture
def late_evening_cart(catalog):
    """A cart started at 23:30 store time 3 days ago (the next day in UTC), with a name that
    needs escaping, at a level priced in euros."""
    day = timezone.localdate(timezone=store_timezone()) - datetime.timedelta(days=3)
    started = datetime.datetime.combine(day, datetime.time(23, 30), tzinfo=store_timezone())
    euro = PriceLevelFactory(number=7, name="Export & Co", currency="EUR")
    customer = CustomerFactory(
        name='Smith & "Sons" <Hardware>',
        customer_number="C-77",
        price_level=euro,
        sales_rep=SalesRepFactory(rep_number=412, name="Dana <Field> Sales"),
    )
    lines = [(catalog["bolt"], 3, "1.25"), (catalog["nut"], 1, "0.33")]
    cart = make_cart(customer, lines=lines, created_at=started)
    return cart, day


def listed(cart: Cart):
    return Cart.objects.for_open_carts_list().get(pk=cart.pk)


def test_the_export_has_every_column_but_the_check_box_and_actions():
    table = OpenCartsTable(Cart.objects.none(), can_change=True, can_delete=True)
    assert table.export_headers() == EXPORT_HEADERS


def test_an_export_row_holds_plain_values(late_evening_cart):
    cart, day = late_evening_cart
    row = OpenCartsTable(Cart.objects.none()).export_row(listed(cart))
    assert row == [
        day,  # the store's day, not the UTC one
        'Smith & "Sons" <Hardware>',
        "C-77",
        "7 – Export & Co",
        412,
        "Dana <Field> Sales",
        2,  # lines
        4,  # items: 3 bolts and a nut
        Decimal("4.08"),
        "EUR",
        3,
        3,
        None,  # no follow-up date
        None,  # never e-mailed
    ]
    assert type(row[0]) is datetime.date
    assert [type(value) for value in row[4:12]] == [int, str, int, int, Decimal, str, int, int]


def cells(html: str, tag: str) -> list[tuple[set[str], str]]:
    """Each <th> or <td> of the first row of that kind: its classes and its text."""
    found = re.findall(rf'<{tag}\b(?:[^>]*class="([^"]*)")?[^>]*>(.*?)</{tag}>', html, re.S)
    return [
        (set(classes.split()), re.sub(r"<[^>]+>|\s+", " ", text).strip()) for classes, text in found
    ]


@pytest.mark.parametrize(
    ("permissions", "columns"),
    [(("carts.view_cart",), 12), (("carts.view_cart", "carts.delete_cart"), 13)],
)
def test_each_cell_sits_under_its_own_header(client, late_evening_cart, permissions, columns):
    client.force_login(make_staff("looker", *permissions))
    html = client.get(URL).content.decode()
    thead = re.search(r"id=\"open-carts\".*?<thead>(.*?)</thead>", html, re.S).group(1)
    row = re.search(r"<tr data-cart-id=[^>]*>(.*?)</tr>", html, re.S).group(1)
    headers, tds = cells(thead, "th"), cells(row, "td")
    assert len(headers) == len(tds) == columns
    assert [classes - SORT_CLASSES for classes, _ in headers] == [classes for classes, _ in tds]
    by_header = {header: text for (_, header), (_, text) in zip(headers, tds, strict=True)}
    assert by_header["Customer #"] == "C-77"
    assert by_header["Order Total"] == "€4.08"
    assert by_header["Rep #"] == "412 Dana &lt;Field&gt; Sales" and by_header["Days Open"] == "3"
    assert by_header["Items"] == "2 4"


def test_the_row_escapes_what_customers_typed(staff_client, late_evening_cart):
    html = staff_client.get(URL).content.decode()
    assert "<Hardware>" not in html
    escaped = "Smith &amp; &quot;Sons&quot; &lt;Hardware&gt;"
    assert f'<span class="name" title="{escaped}">{escaped}</span>' in html
    assert f'aria-label="View details of {escaped}’s cart"' in html
    assert '<span class="level-name">Export &amp; Co</span>' in html
    assert '<small class="rep-name">Dana &lt;Field&gt; Sales</small>' in html


def test_the_rep_names_cost_no_statement_of_their_own(
    staff_client, late_evening_cart, django_assert_max_num_queries
):
    # Session, user, permissions; levels, reps, the summary (tallies) and the rows, which
    # carry each rep's name.
    with django_assert_max_num_queries(7):
        html = staff_client.get(URL).content.decode()
    assert "Dana &lt;Field&gt; Sales" in html


def test_the_items_cell_says_lines_and_items(staff_client, late_evening_cart):
    html = staff_client.get(URL).content.decode()
    assert '<span title="2 lines, 4 items in all">2<small class="quantity">4</small></span>' in html


def test_a_rep_with_no_record_shows_the_number_alone(late_evening_cart):
    cart, _ = late_evening_cart
    Cart.objects.filter(pk=cart.pk).update(rep_number=999)
    row = OpenCartsTable(Cart.objects.none()).export_row(listed(cart))
    assert row[4:6] == [999, ""]
