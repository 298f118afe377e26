"""Follow-up on the Open Carts list (issue 19): the column, its sort and paging, the filters, a
linked rep's default view, and Set Follow-up Date on a selection, inline or as a job."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from carts.days import store_today
from carts.followup.records import CartContact
from carts.models import Cart, CartEvent, CartRun
from carts.runs import jobs, report
from carts.services.followup import record_contact, set_follow_up
from tests.carts.runs.making import confirm_all
from tests.factories import SalesRepFactory, cart_of, make_staff

pytestmark = pytest.mark.django_db

URL, ACTION = "/carts/", "/carts/actions/"
FOLLOW_UP = ("carts.add_cartnote", "carts.add_cartcontact", "carts.set_follow_up")


def day(offset: int) -> datetime.date:
    return store_today() + datetime.timedelta(days=offset)


def follow_up(cart: Cart, on: datetime.date, user) -> None:
    if on < store_today():  # no one sets a past date today: this one was set back then
        Cart.objects.filter(pk=cart.pk).update(follow_up_on=on)
    else:
        set_follow_up(carts=Cart.objects.filter(pk=cart.pk), day=on, user=user)


@pytest.fixture
def dated(carts, staff) -> list[Cart]:
    """carts[0]: due yesterday (overdue); carts[1]: in a week; carts[2]: none."""
    follow_up(carts[0], day(-1), staff)
    follow_up(carts[1], day(7), staff)
    return carts


@pytest.fixture
def writer_client(client) -> Client:
    client.force_login(make_staff("writer", "carts.view_cart", *FOLLOW_UP))
    return client


def row_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-cart-id="(\d+)"', html)]


def test_the_column_shows_the_date_and_marks_it_due(staff_client, dated):
    html = staff_client.get(URL).content.decode()
    overdue = re.search(rf'<tr data-cart-id="{dated[0].pk}".*?</tr>', html, re.S).group(0)
    later = re.search(rf'<tr data-cart-id="{dated[1].pk}".*?</tr>', html, re.S).group(0)
    assert 'class="badge due"' in overdue and f"{day(-1).day}, {day(-1).year}" in overdue
    assert 'class="badge due"' not in later and f"{day(7).day}, {day(7).year}" in later


def test_sorting_by_follow_up_puts_dates_first_and_pages_through_every_cart(staff_client, dated):
    html = staff_client.get(URL, {"sort": "follow_up"}).content.decode()
    assert row_ids(html) == [dated[0].pk, dated[1].pk, dated[2].pk]
    html = staff_client.get(URL, {"sort": "-follow_up"}).content.decode()
    assert row_ids(html) == [dated[2].pk, dated[1].pk, dated[0].pk]
    first = staff_client.get(URL, {"sort": "follow_up", "per_page": "25"})
    seen = row_ids(first.content.decode())
    assert sorted(seen) == sorted(cart.pk for cart in dated)


def test_keyset_pages_walk_the_follow_up_order(staff_client, catalog, staff):
    made = [cart_of(catalog, ("bolt", 1)) for _ in range(30)]
    for index, cart in enumerate(made[:20]):
        follow_up(cart, day(index % 5), staff)
    seen, params = [], {"sort": "follow_up", "per_page": "25"}
    while True:
        page = staff_client.get(URL, params).content.decode()
        seen += row_ids(page)
        after = re.search(r'href="\?[^"]*after=([^"&]+)', page)
        if not after:
            break
        params = {**params, "after": after.group(1).replace("%7E", "~")}
    assert sorted(seen) == sorted(cart.pk for cart in made)
    assert len(seen) == len(set(seen)) == 30
    keys = {c.pk: c.follow_up_on or datetime.date.max for c in Cart.objects.all()}
    assert [keys[pk] for pk in seen] == sorted(keys[pk] for pk in seen)


def test_the_filters_find_due_and_never_contacted_carts(staff_client, dated, staff):
    due = staff_client.get(URL, {"follow_up_due": "on"}).content.decode()
    assert row_ids(due) == [dated[0].pk]
    record_contact(carts=Cart.objects.all(), pk=dated[1].pk, user=staff, kind="phone", outcome="")
    never = staff_client.get(URL, {"never_contacted": "on"})
    assert sorted(row_ids(never.content.decode())) == sorted([dated[0].pk, dated[2].pk])
    assert never.context["matching"] is None  # no tally knows contacts: counted afterwards
    summary = staff_client.get("/carts/summary/", {"never_contacted": "on"})
    assert summary.context["matching"] == 2
    assert CartContact.objects.count() == 1


def test_a_linked_rep_starts_with_follow_ups_due_first(client, catalog, staff):
    rep = SalesRepFactory()
    carts = [cart_of(catalog, ("bolt", 1)) for _ in range(3)]
    for cart in carts:
        cart.customer.sales_rep = rep
        cart.customer.save()
    follow_up(carts[2], day(-2), staff)
    follow_up(carts[0], day(3), staff)
    user = make_staff("rep", "carts.view_cart", sees_every_cart=False)
    user.groups.add(Group.objects.get(name="Sales rep"))
    rep.user = user
    rep.save()
    client.force_login(user)
    assert row_ids(client.get(URL).content.decode()) == [carts[2].pk, carts[0].pk, carts[1].pk]


def test_set_follow_up_date_on_ticked_carts(writer_client, carts):
    ids = [str(cart.pk) for cart in carts[:2]]
    dialog = writer_client.post(ACTION, {"action": "follow_up", "cart": ids})
    assert dialog.status_code == 200 and "Set Follow-up Date" in dialog.content.decode()
    past = writer_client.post(
        ACTION, {"action": "follow_up", "cart": ids, "confirm": "1", "follow_up_on": "2001-01-01"}
    )
    assert past.status_code == 400 and "has passed" in past.content.decode()
    assert not Cart.objects.filter(follow_up_on__isnull=False).exists()
    on = day(2).isoformat()
    done = writer_client.post(
        ACTION, {"action": "follow_up", "cart": ids, "confirm": "1", "follow_up_on": on}
    )
    assert done.status_code == 302
    assert set(Cart.objects.filter(follow_up_on=day(2)).values_list("pk", flat=True)) == {
        carts[0].pk,
        carts[1].pk,
    }
    assert CartEvent.objects.filter(action=CartEvent.Action.FOLLOW_UP_SET).count() == 2
    cleared = writer_client.post(
        ACTION, {"action": "follow_up", "cart": ids, "confirm": "1", "clear": "1"}
    )
    assert cleared.status_code == 302
    assert not Cart.objects.filter(follow_up_on__isnull=False).exists()


def test_set_follow_up_date_on_every_matching_cart_as_a_job(writer_client, carts, settings):
    settings.CART_ACTION_INLINE_LIMIT = 2
    response = confirm_all(writer_client, action="follow_up", follow_up_on=day(1).isoformat())
    assert response.status_code == 302
    run = CartRun.objects.get(action="follow_up")
    assert run.mode == CartRun.Mode.JOB and run.follow_up_on == day(1)
    jobs.run(run.pk)
    assert Cart.objects.filter(follow_up_on=day(1)).count() == 3
    assert "3 carts to follow up on" in report.result(CartRun.objects.get(pk=run.pk))
