"""Recently deleted (`carts.deleted.views.recently_deleted`): deleted carts that can still come
back, their filters, the selection controls and the deletion batches."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carts.days import start_of_store_day, store_today
from carts.deleted import views as deleted_views
from carts.models import Cart
from carts.services.staff import delete_carts
from tests.carts.listing.walking import rows_and_link, walk
from tests.factories import cart_of, make_staff

pytestmark = pytest.mark.django_db

URL = "/carts/deleted/"
# Session, user, permissions, reps, deleters, summary, rows, batches: whatever the row count.
MAX_QUERIES = 8


def delete(carts, user, *, days_ago: int = 0):
    """Delete `carts` as one batch by `user`, `days_ago` store days back."""
    result = delete_carts(carts=Cart.objects.filter(pk__in=[c.pk for c in carts]), user=user)
    if days_ago:
        moment = start_of_store_day(store_today() - datetime.timedelta(days=days_ago))
        Cart.objects.filter(pk__in=result.cart_ids).update(
            deleted_at=moment + datetime.timedelta(hours=12)
        )
    return result


def listed(response) -> set[int]:
    """The ids of the carts the page's table lists."""
    return {cart.pk for cart in response.context["table"].page_rows}


def test_it_lists_deleted_carts_with_a_restore_button(manager_client, carts, staff):
    delete([carts[1]], staff)
    listing = manager_client.get(URL).content.decode()
    assert carts[1].customer.name in listing and "Restore" in listing
    assert carts[0].customer.name not in listing


def test_it_shows_each_deleted_carts_lines_and_items(manager_client, catalog, staff):
    cart = cart_of(catalog, ("bolt", 4), ("nut", 10))
    delete([cart], staff)
    listing = manager_client.get(URL).content.decode()
    assert re.search(
        r'<th class="items numeric wide-only">\s*<span class="header-text">Items</span>', listing
    )
    assert '<span title="2 lines, 14 items in all">2<small class="quantity">14</small></span>' in (
        listing
    )


def test_it_shows_no_restore_controls_to_staff_who_may_not_delete(staff_client, carts, staff):
    delete([carts[1]], staff)
    listing = staff_client.get(URL).content.decode()
    assert carts[1].customer.name in listing
    assert 'action="/carts/restore/"' not in listing
    # No check box to select carts (Export's "one row per line" is one, but selects none).
    assert 'name="cart"' not in listing and "data-select-page" not in listing
    assert "bulk-bar" not in listing
    assert "Restore all" not in listing and "Deleted 1 cart," in listing


def test_it_leaves_out_carts_past_the_retention_period(manager_client, carts, staff, settings):
    settings.CART_RETENTION_DAYS = 30
    delete([carts[1]], staff)
    long_ago = timezone.now() - datetime.timedelta(days=31)
    Cart.objects.filter(pk=carts[1].pk).update(deleted_at=long_ago)
    assert carts[1].customer.name not in manager_client.get(URL).content.decode()


def test_it_offers_a_check_box_per_row_and_the_bulk_restore(manager_client, carts, staff):
    delete(carts[:2], staff)
    page = manager_client.get(URL, {"q": "Shop"}).content.decode()
    for cart in carts[:2]:
        assert f'name="cart" value="{cart.pk}"' in page
    assert 'name="query" value="q=Shop"' in page
    assert 'data-matching="2"' in page and "data-select-across" in page
    assert 'form="restore-one"' in page


def test_it_filters_by_who_deleted(manager_client, carts, staff):
    other = make_staff("cleaner", "carts.delete_cart")
    delete([carts[0]], staff)
    delete(carts[1:], other)
    response = manager_client.get(URL, {"deleted_by": other.pk})
    assert listed(response) == {carts[1].pk, carts[2].pk}
    assert response.context["matching"] == 2
    page = response.content.decode()
    assert f'<option value="{other.pk}" selected>cleaner</option>' in page
    assert page.count('<option value="">Anyone</option>') == 1


def test_it_filters_by_when_deleted(manager_client, carts, staff):
    delete([carts[0]], staff, days_ago=10)
    delete([carts[1]], staff, days_ago=3)
    delete([carts[2]], staff)
    within = manager_client.get(URL, {"within_days": 3})
    assert listed(within) == {carts[1].pk, carts[2].pk}
    start = store_today() - datetime.timedelta(days=10)
    end = store_today() - datetime.timedelta(days=3)
    between = manager_client.get(URL, {"deleted_from": start, "deleted_to": end})
    assert listed(between) == {carts[0].pk, carts[1].pk}
    just_one_day = manager_client.get(URL, {"deleted_from": end, "deleted_to": end})
    assert listed(just_one_day) == {carts[1].pk}


def test_it_filters_by_customer_and_rep(manager_client, carts, staff):
    delete(carts, staff)
    by_number = manager_client.get(URL, {"q": carts[2].customer.customer_number})
    assert listed(by_number) == {carts[2].pk}
    by_name = manager_client.get(URL, {"q": carts[0].customer.name.lower()})
    assert listed(by_name) == {carts[0].pk}
    by_rep = manager_client.get(URL, {"rep": carts[1].rep_number})
    assert listed(by_rep) == {carts[1].pk}


def test_it_counts_and_values_the_matching_carts(manager_client, carts, staff):
    delete(carts, staff)
    page = manager_client.get(URL, {"q": "Shop"}).content.decode()
    assert 'data-summary="count">3<' in page and 'data-summary="value">$7.50<' in page


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"within_days": "-1"}, "within_days"),
        ({"deleted_from": "2026-13-45"}, "deleted_from"),
        ({"deleted_from": "2026-03-02", "deleted_to": "2026-03-01"}, "deleted_to"),
        ({"deleted_by": "999999"}, "deleted_by"),
        ({"rep": "x"}, "rep"),
    ],
)
def test_invalid_filters_show_no_figures_and_keep_the_typed_value(
    manager_client, carts, staff, params, field
):
    delete(carts, staff)
    response = manager_client.get(URL, params)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Some filters are not valid" in page
    assert response.context["filterset"].form.errors[field]
    assert 'id="summary"' not in page and listed(response) == set()
    if field in ("within_days", "deleted_from"):
        assert f'value="{params[field]}"' in page


def test_it_lists_deletion_batches_each_with_restore_all(manager_client, carts, staff):
    first = delete(carts[:2], staff)
    second = delete([carts[2]], staff)
    page = manager_client.get(URL).content.decode()
    assert page.count("Restore all</button>") == 2
    assert f'name="batch" value="{first.batch}"' in page
    assert f'name="batch" value="{second.batch}"' in page
    assert "Deleted 2 carts," in page and "by manager" in page
    assert page.index(str(second.batch)) < page.index(str(first.batch))  # newest first


def test_a_batch_counts_only_carts_still_restorable(manager_client, carts, staff, settings):
    settings.CART_RETENTION_DAYS = 30
    delete(carts, staff)
    Cart.objects.filter(pk=carts[0].pk).update(
        deleted_at=timezone.now() - datetime.timedelta(days=31)
    )
    page = manager_client.get(URL).content.decode()
    assert "Deleted 2 carts," in page and "Deleted 3 carts," not in page


def page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_one_row_or_many(
    manager_client, catalog, staff, django_assert_max_num_queries
):
    delete([cart_of(catalog, ("bolt", 1))], staff)
    few = page_queries(manager_client)
    for _ in range(12):  # twelve more batches, of two carts each, by another person too
        delete([cart_of(catalog, ("bolt", 1)), cart_of(catalog, ("nut", 2))], staff)
    delete([cart_of(catalog, ("bolt", 2))], make_staff("cleaner", "carts.delete_cart"))
    assert page_queries(manager_client) == few
    with django_assert_max_num_queries(MAX_QUERIES):
        manager_client.get(URL, {"q": "Shop", "deleted_by": staff.pk, "within_days": 5})


@pytest.mark.parametrize("value", ["\x00", "'; drop table carts_cart; --", "9" * 40, "é" * 300])
def test_odd_filter_values_get_an_answer_not_a_crash(manager_client, carts, staff, value):
    delete(carts, staff)
    for param in ("q", "deleted_by", "rep", "within_days", "deleted_from", "deleted_to", "sort"):
        assert manager_client.get(URL, {param: value}).status_code < 500, param


@pytest.mark.parametrize("sort", ["", "customer", "-total", "customer_number", "-rep_number"])
def test_it_pages_the_way_open_carts_does(manager_client, catalog, staff, monkeypatch, sort):
    monkeypatch.setattr(deleted_views, "PER_PAGE", 5)
    # One batch: the same deletion time and total for many, so the tie-breakers order them.
    delete([cart_of(catalog, ("bolt", 1 + n % 3)) for n in range(12)], staff)
    forwards = walk(manager_client, f"{URL}?sort={sort}", "next")
    assert [len(ids) for ids in forwards] == [5, 5, 2]
    everything = sum(forwards, [])
    assert len(set(everything)) == 12
    backwards = walk(manager_client, f"{URL}?sort={sort}&last=1", "prev")
    assert [len(ids) for ids in backwards] == [5, 5, 2]
    assert sum(reversed(backwards), []) == everything


def test_its_pager_says_where_it_is(manager_client, catalog, staff, monkeypatch):
    monkeypatch.setattr(deleted_views, "PER_PAGE", 5)
    delete([cart_of(catalog, ("bolt", n)) for n in range(1, 13)], staff)
    first = manager_client.get(URL).content.decode()
    assert "First page: 5 of 12 carts" in first
    assert 'rel="next"' in first and 'rel="last"' in first and 'rel="prev"' not in first
    assert "All 5 carts on this page are selected." in first
    last = manager_client.get(URL, {"last": "1"}).content.decode()
    assert "Last page: 5 of 12 carts" in last
    assert 'rel="first"' in last and 'rel="prev"' in last and 'rel="next"' not in last
    assert "Page 3: 2 of 12 carts" in manager_client.get(URL, {"page": "3"}).content.decode()


def test_a_later_page_costs_no_more_queries(manager_client, catalog, staff, monkeypatch):
    monkeypatch.setattr(deleted_views, "PER_PAGE", 5)
    delete([cart_of(catalog, ("bolt", n)) for n in range(1, 13)], staff)
    _, next_page = rows_and_link(manager_client, URL, "next")
    with CaptureQueriesContext(connection) as queries:
        assert manager_client.get(next_page).status_code == 200
    # The page's own: not the session's refresh, which comes at most once a second.
    own = [q for q in queries.captured_queries if "django_session" not in q["sql"]]
    assert len([q for q in own if "SAVEPOINT" not in q["sql"]]) <= MAX_QUERIES
