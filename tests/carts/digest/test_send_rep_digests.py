"""`manage.py send_rep_digests` (issue 21): each linked rep with something to act on gets one
e-mail a store day, plain text and HTML, each item linking to the filtered Open Carts list;
a rep with nothing gets none; a run again after a failure half-way sends no duplicates."""

import datetime
from decimal import Decimal
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from carts.days import store_timezone, store_today
from carts.digest.content import build_digest
from carts.digest.records import RepDigest
from carts.models import Cart
from tests.carts.recovery.making import linked_rep
from tests.factories import CustomerFactory, make_cart
from tests.smtp import free_port, smtp  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

ANNA, BERT, CARL = "anna@store.example", "bert@store.example", "carl@store.example"


def cart(rep, catalog, amount: str, *, days_old: int = 0, **fields) -> Cart:
    started = timezone.now() - datetime.timedelta(days=days_old)
    customer = CustomerFactory(sales_rep=rep, price_level=catalog["wholesale"])
    made = make_cart(customer, lines=[(catalog["bolt"], 1, amount)], created_at=started)
    Cart.objects.filter(pk=made.pk).update(**fields)
    return made


@pytest.fixture
def reps(catalog, settings):
    """Anna: a follow-up due ($10), a new cart ($20.50), a cart untouched 40 days ($300).
    Bert: a cart started and touched 5 days ago (nothing to act on). Carl: one untouched cart."""
    settings.SITE_URL, settings.STALE_CART_DAYS = "https://carts.store.example", 0
    anna, anna_rep = linked_rep("anna", "Anna Able", rep_number=11, email=ANNA)
    _, bert_rep = linked_rep("bert", "Bert Bee", rep_number=12, email=BERT)
    _, carl_rep = linked_rep("carl", "Carl Cole", rep_number=13, email=CARL)
    yesterday = store_today() - datetime.timedelta(days=1)
    cart(anna_rep, catalog, "10.00", days_old=3, follow_up_on=yesterday)
    cart(anna_rep, catalog, "20.50")
    cart(anna_rep, catalog, "300.00", days_old=40)
    cart(bert_rep, catalog, "999.00", days_old=5)
    cart(carl_rep, catalog, "42.00", days_old=31)
    return anna


def test_it_mails_each_rep_with_something_to_act_on(reps):
    call_command("send_rep_digests", stdout=StringIO())
    assert sorted(message.to[0] for message in mail.outbox) == [ANNA, CARL]
    anna = next(message for message in mail.outbox if message.to == [ANNA])
    assert anna.subject == "Your open carts today: 3 things to act on"
    assert "Follow-ups due: 1 ($10.00)" in anna.body
    assert "New carts started since" in anna.body and ": 1 ($20.50)" in anna.body
    assert "Untouched 30 days or more: 1 ($300.00)" in anna.body
    assert "Value at stake: $330.50" in anna.body
    html, kind = anna.alternatives[0]
    assert kind == "text/html" and "Value at stake: $330.50" in html
    assert "https://carts.store.example/carts/?rep=11&follow_up_due=on" in anna.body
    assert 'href="https://carts.store.example/carts/?rep=11&amp;last_touch_min=30"' in html


def test_each_link_shows_the_carts_it_counted(reps):
    call_command("send_rep_digests", stdout=StringIO())
    body = next(message.body for message in mail.outbox if message.to == [ANNA])
    links = [line.strip() for line in body.splitlines() if line.strip().startswith("https://")]
    client = Client()
    client.force_login(reps)
    totals = []
    for link in links:
        query = dict(pair.split("=") for pair in urlsplit(link).query.split("&"))
        assert urlsplit(link).path == "/carts/"
        assert client.get("/carts/summary/", query).context["matching"] == 1
        totals += [c.total for c in client.get("/carts/", query).context["table"].page_rows]
    assert totals == [Decimal("10.00"), Decimal("20.50"), Decimal("300.00")]


def test_a_run_again_the_same_day_sends_nothing_more(reps):
    call_command("send_rep_digests", stdout=StringIO())
    call_command("send_rep_digests", stdout=StringIO())
    assert len(mail.outbox) == 2
    assert set(RepDigest.objects.values_list("state", flat=True)) == {"sent"}


def test_a_rep_left_mid_send_by_a_killed_run_is_not_sent_again(reps, capsys):
    anna_rep = reps.sales_rep
    RepDigest.objects.create(rep=anna_rep, day=store_today(), sent_to=ANNA)  # "sending"
    call_command("send_rep_digests")
    assert [message.to for message in mail.outbox] == [[CARL]]
    assert "Left by a run stopped mid-send (not sent again): 1" in capsys.readouterr().out


def test_a_real_smtp_server_gets_both_parts_and_a_refusal_half_way_is_retried(
    reps,
    smtp,  # noqa: F811 (the fixture)
):
    smtp.refuse = {ANNA}
    with pytest.raises(CommandError, match="1 digest"):
        call_command("send_rep_digests", stdout=StringIO())
    assert smtp.to() == [CARL]
    assert list(RepDigest.objects.values_list("sent_to", "state")) == [(CARL, "sent")]
    smtp.refuse = set()
    call_command("send_rep_digests", stdout=StringIO())
    assert len(smtp.messages_to(ANNA)) == 1 and len(smtp.messages_to(CARL)) == 1
    anna = smtp.messages_to(ANNA)[0]
    assert anna["Subject"] == "Your open carts today: 3 things to act on"
    parts = {part.get_content_type(): part for part in anna.walk()}
    assert "Value at stake: $330.50" in parts["text/plain"].get_payload(decode=True).decode()
    assert (
        "https://carts.store.example/carts/" in parts["text/html"].get_payload(decode=True).decode()
    )


def test_new_carts_count_from_the_day_of_the_last_digest(reps, catalog):
    anna_rep = reps.sales_rep
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    cart(anna_rep, catalog, "7.00", days_old=2)
    cart(anna_rep, catalog, "8.00", days_old=5)
    RepDigest.objects.create(
        rep=anna_rep, day=store_today() - datetime.timedelta(days=3), sent_to=ANNA,
        state="sent", as_of=three_days_ago,
    )  # fmt: skip
    new = build_digest(anna_rep).items[1]
    store_day = timezone.localtime(three_days_ago, store_timezone()).date()
    # Whole days, as the list filters: from the last digest's day, $10 (started that day),
    # $20.50 and $7; not the $8 cart started two days before it.
    assert new.title.startswith("New carts started since") and new.carts == 3
    assert new.value_text == "$37.50" and new.url.endswith(f"started_from={store_day:%F}")


def test_with_nothing_to_send_it_needs_no_mail_server(store, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    linked_rep("idle", "Ida Idle", email="ida@store.example")
    out = StringIO()
    call_command("send_rep_digests", stdout=out)
    assert "Nothing to act on (no mail): 1" in out.getvalue()
    assert not RepDigest.objects.exists()


def test_a_server_that_is_down_leaves_every_rep_for_the_next_run(reps, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    with pytest.raises(CommandError, match="2 digest"):
        call_command("send_rep_digests", stdout=StringIO())
    assert not RepDigest.objects.exists()


def test_a_rep_whose_log_in_may_not_see_carts_is_named_and_the_others_still_get_theirs(reps):
    """Linked before being given the Sales rep role: no digest (its links would open nothing),
    and no crash for the reps after them (the run stopped at the first such rep)."""
    _, dora_rep = linked_rep("dora", "Dora Dale", rep_number=10, email="dora@store.example")
    dora_rep.user.groups.clear()
    dora_rep.user.user_permissions.clear()
    out = StringIO()
    call_command("send_rep_digests", stdout=out)
    assert sorted(message.to[0] for message in mail.outbox) == [ANNA, CARL]
    assert "Their log-in may not see carts (give it the Sales rep role): 1\n  10 – Dora Dale" in (
        out.getvalue()
    )
