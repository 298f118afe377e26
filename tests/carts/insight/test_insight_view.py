"""The insight as Open Carts renders it: the tiles, the chart's bars and their figures as text,
the rep rows, each linking to the list narrowed to it; and the second request's figures."""

import html
import re

import pytest
from django.contrib.auth.models import Group

from customers.models import SalesRep
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def insight_html(response) -> str:
    page = response.content.decode()
    start = page.index('class="insight"')
    return page[start : page.index('class="list-head"')] if "list-head" in page else page[start:]


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def rows_of(fragment: str, caption: str) -> list[str]:
    table = fragment[fragment.index(caption) :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [text_of(row).strip() for row in re.findall(r"<tr\b.*?</tr>", body, re.S)]


def columns_of(fragment: str, caption: str) -> list[str]:
    """The chart's figures table, one column per bar: "label: figures"."""
    table = fragment[fragment.index(caption) : fragment.index("</table>")]
    heads = re.findall(r"<th\b.*?</th>", table, re.S)
    cells = re.findall(r"<td\b.*?</td>", table, re.S)
    assert len(heads) == len(cells) == 5
    return [
        f"{text_of(h).strip()}: {text_of(c).strip()}" for h, c in zip(heads, cells, strict=True)
    ]


def links_of(fragment: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'<a href="([^"]*)"', fragment)]


def test_the_page_shows_tiles_chart_and_reps_from_the_tallies(staff_client, crafted):
    page = insight_html(staff_client.get("/carts/"))
    tiles = text_of(page[: page.index("insight-panels")])
    assert "Open carts 6 carts match the filters" in tiles
    assert "CA$120.00 $46.50" in tiles and "CA$60.00 $11.63" in tiles
    assert "8 days" in tiles
    # The untouched figure waits for the second request, which the page names.
    assert 'data-insight="untouched">…' in page
    assert 'data-summary-url="/carts/summary/?"' in page
    assert columns_of(page, "Open carts by days open") == [
        "0–7 days: 2 carts CA$100.00 $10.00",
        "8–30 days: 1 cart $30.00",
        "31–90 days: 1 cart $5.50",
        "91–180 days: 1 cart $1.00",
        "> 180 days: 1 cart CA$20.00",
    ]
    # Each bar's height follows its count; the tallest (2 carts) reaches the top of the plot.
    heights = re.findall(r'class="bar bar-\d"[^>]*height="([\d.]+)%"', page)
    assert [float(h) for h in heights] == [80.0, 40.0, 40.0, 40.0, 40.0]
    assert rows_of(page, "Open carts by sales rep") == [
        "11 Ann Lee 3 CA$100.00 $40.00 8 days …",
        "22 Bob Ray 3 CA$20.00 $6.50 200 days …",
    ]
    assert "style=" not in page and "<script" not in page  # the CSP holds


def test_each_bar_and_rep_links_to_the_list_narrowed_to_it(staff_client, crafted):
    page = insight_html(staff_client.get("/carts/", {"q": "Shop", "page": "2"}))
    assert page.count("/carts/summary/?q=Shop") == 2  # data-summary-url and <noscript>
    second = staff_client.get("/carts/summary/", {"q": "Shop", "page": "2"}).content.decode()
    links = links_of(second)
    for bar in (
        "/carts/?q=Shop&days_open_min=0&days_open_max=7",
        "/carts/?q=Shop&days_open_min=181",
        "/carts/?q=Shop&rep=22",
    ):
        assert bar in links, links


def test_a_bar_keeps_within_the_days_open_already_asked(staff_client, crafted):
    page = insight_html(staff_client.get("/carts/", {"days_open_min": "5", "days_open_max": "50"}))
    links = links_of(page)
    assert "/carts/?days_open_min=5&days_open_max=7" in links
    assert "/carts/?days_open_min=31&days_open_max=50" in links
    followed = staff_client.get("/carts/?days_open_min=5&days_open_max=7")
    assert followed.context["matching"] == 1  # c, seven days open; a is two


def test_the_second_request_brings_every_figure(staff_client, crafted):
    page = insight_html(staff_client.get("/carts/summary/", headers={"X-Dialog": "1"}))
    assert "data-summary-url" not in page
    assert "Untouched 30+ days 2 33% of matching carts" in text_of(page)
    assert rows_of(page, "Open carts by sales rep") == [
        "11 Ann Lee 3 CA$100.00 $40.00 8 days 0",
        "22 Bob Ray 3 CA$20.00 $6.50 200 days 2",
    ]


def test_a_linked_rep_sees_only_their_own_row(client, crafted):
    user = make_staff("bob", "carts.view_cart", sees_every_cart=False)
    user.groups.add(Group.objects.get(name="Sales rep"))
    SalesRep.objects.filter(rep_number=22).update(user=user)
    client.force_login(user)
    for url in ("/carts/", "/carts/summary/?q=Shop"):
        page = insight_html(client.get(url))
        assert [row.split()[0] for row in rows_of(page, "Open carts by sales rep")] == ["22"]
        assert "Ann Lee" not in page and "CA$100.00" not in page


def test_no_matching_carts_leave_out_chart_and_reps(staff_client, crafted):
    page = insight_html(staff_client.get("/carts/summary/", {"total_min": "1000"}))
    assert "Open carts by days open" not in page and "0 carts match" in text_of(page)


def heading_links(fragment: str) -> dict[str, str]:
    """The rep table's headings: label to link."""
    head = fragment[fragment.index("Open carts by sales rep") :]
    head = head[: head.index("</thead>")]
    found = re.findall(r'<a class="sort-link" href="([^"]*)"[^>]*>([^<]+)</a>', head)
    return {label: html.unescape(href) for href, label in found}


def sorted_by(fragment: str) -> list[tuple[str, str]]:
    head = fragment[fragment.index("Open carts by sales rep") :]
    head = head[: head.index("</thead>")]
    return re.findall(r'aria-sort="(\w+)"><a [^>]*>([^<]+)</a>', head)


def test_the_rep_table_sorts_on_the_server_by_its_headings_links(staff_client, crafted):
    """Without JavaScript a heading is a link: the page comes back with the table sorted."""
    first = insight_html(staff_client.get("/carts/summary/", {"q": "Shop"}))
    assert [row.split()[0] for row in rows_of(first, "Open carts by sales rep")] == ["11", "22"]
    assert sorted_by(first) == [("ascending", "Rep")]
    links = heading_links(first)
    # Figures first biggest first, the rep again the other way; the filters stay.
    assert links["Oldest"] == "/carts/?q=Shop&rep_sort=-oldest#by-rep-title"
    assert links["Rep"] == "/carts/?q=Shop&rep_sort=-rep#by-rep-title"
    for sort, reps, order in (
        ("-oldest", ["22", "11"], [("descending", "Oldest")]),
        ("oldest", ["11", "22"], [("ascending", "Oldest")]),
        ("-due", ["22", "11"], [("descending", "Follow-ups due")]),
        ("-rep", ["22", "11"], [("descending", "Rep")]),
        ("carts", ["11", "22"], [("ascending", "Carts")]),  # 3 each: the rep number decides
        ("-value", ["11", "22"], [("descending", "Value")]),
        ("nonsense", ["11", "22"], [("ascending", "Rep")]),  # an unknown sort: the default
    ):
        summary = insight_html(staff_client.get("/carts/summary/", {"q": "Shop", "rep_sort": sort}))
        assert [row.split()[0] for row in rows_of(summary, "Open carts by sales rep")] == reps
        assert sorted_by(summary) == order, sort
    # Where the tallies answer, the page itself comes sorted.
    page = insight_html(staff_client.get("/carts/", {"rep_sort": "-oldest"}))
    assert [row.split()[0] for row in rows_of(page, "Open carts by sales rep")] == ["22", "11"]
    # The sorted column's link flips it; the others start over.
    links = heading_links(insight_html(staff_client.get("/carts/", {"rep_sort": "-oldest"})))
    assert links["Oldest"] == "/carts/?rep_sort=oldest#by-rep-title"
    assert links["Carts"] == "/carts/?rep_sort=-carts#by-rep-title"
