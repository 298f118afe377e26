"""The list's E-mailed column and filters: the store-local day a recovery e-mail about the cart
last went (one that failed does not count); "E-mailed" and "Never e-mailed" filter by it, and
an export has it as a date."""

import re

import pytest
from django.utils.timezone import localtime

from carts.days import store_timezone
from carts.mail.records import RecoveryEmail
from carts.mail.sending import deliver, queue_emails
from carts.models import Cart, CartRun
from carts.text import day_text
from tests.carts.export.reading import csv_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_emailed(mail_carts, sender, template):
    """The first cart e-mailed, the second's e-mail refused; the third never e-mailed."""
    run = CartRun.objects.create(action="email_customer", created_by=sender)
    ids = [c.pk for c in mail_carts[:2]]
    queue_emails(carts=Cart.objects.filter(pk__in=ids), template=template, user=sender, run=run)
    deliver(run.pk)
    RecoveryEmail.objects.filter(cart=mail_carts[1]).update(status="failed", sent_at=None)
    return mail_carts


def shown(client, **filters) -> set[int]:
    page = client.get("/carts/", filters)
    return {cart.pk for cart in page.context["table"].page_rows}


def test_the_column_shows_when_the_last_email_went(sender_client, one_emailed):
    page = sender_client.get("/carts/")
    rows = {cart.pk: cart for cart in page.context["table"].page_rows}
    sent = RecoveryEmail.objects.get(cart=one_emailed[0]).sent_at
    assert rows[one_emailed[0].pk].last_emailed_at == sent
    assert rows[one_emailed[1].pk].last_emailed_at is None
    assert rows[one_emailed[2].pk].last_emailed_at is None
    cells = re.findall(r'<td class="wide-only emailed">([^<]*)</td>', page.content.decode())
    assert sorted(cells) == sorted(["", "", day_text(localtime(sent, store_timezone()))])


def test_the_filters_keep_the_emailed_carts_or_the_others(sender_client, one_emailed):
    first, second, third = (cart.pk for cart in one_emailed)
    assert shown(sender_client, emailed="on") == {first}
    assert shown(sender_client, never_emailed="on") == {second, third}
    assert shown(sender_client) == {first, second, third}


def test_an_export_has_the_day_it_was_emailed(sender_client, one_emailed):
    rows = csv_rows(sender_client.get("/carts/export/", {"format": "csv"}))
    header, *carts = rows
    column = header.index("E-mailed")
    by_customer = {row[header.index("Customer #")]: row[column] for row in carts}
    sent = RecoveryEmail.objects.get(cart=one_emailed[0]).sent_at
    assert by_customer[one_emailed[0].customer.customer_number] == str(
        localtime(sent, store_timezone()).date()
    )
    assert by_customer[one_emailed[1].customer.customer_number] == ""
