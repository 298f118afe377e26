"""The leak test (issue 19): signed in as rep A, walk every staff URL, dialog, action, preview,
message and job aimed at rep B's carts. No name, number, total, note or count of B's customers
shows anywhere, and nothing of B's changes."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from carts.models import Cart, RecoveryEmail
from carts.runs import jobs
from carts.services.customer import submit_cart
from carts.services.followup import add_note, record_contact
from carts.services.staff import delete_carts
from tests.carts.runs.making import job
from tests.factories import CustomerFactory, SalesRepFactory, make_cart, make_staff

pytestmark = pytest.mark.django_db

SECRETS = ("Quimby", "QB-4242", "QD-7777", "4,242.42", "7,777.77", "SECRET-NOTE", "Bert Bee")
SECRETS += ("QR-5151", "5,151.51")  # a recovered order of rep B's
ALL = (
    "carts.view_cart",
    "carts.change_cart",
    "carts.delete_cart",
    "carts.add_cartnote",
    "carts.add_cartcontact",
    "carts.set_follow_up",
    "carts.send_recovery_email",
)


def recovered_by_call(rep, level, catalog, staff) -> None:
    """An order of one of `rep`'s customers, recovered by the manager's call."""
    won = make_cart(
        CustomerFactory(
            name="Quimby Won Ltd", customer_number="QR-5151", price_level=level, sales_rep=rep
        ),
        lines=[(catalog["bolt"], 1, "5151.51")],
    )
    record_contact(carts=Cart.objects.all(), pk=won.pk, user=staff, kind="phone", outcome="")
    submit_cart(customer=won.customer)
    assert Cart.objects.get(pk=won.pk).recovery.rep_number == rep.rep_number


@pytest.fixture
def two_reps(catalog, staff):
    """Rep A (signed in, may do everything but see every cart) with one cart; rep B with an
    open cart, a deleted one, a note and a job of the manager's."""
    anna = make_staff("anna", *ALL, sees_every_cart=False)
    anna.groups.add(Group.objects.get(name="Sales rep"))
    rep_a, rep_b = SalesRepFactory(user=anna, name="Anna Able"), SalesRepFactory(name="Bert Bee")
    level = catalog["wholesale"]
    mine = make_cart(
        CustomerFactory(name="Alder Mine", price_level=level, sales_rep=rep_a),
        lines=[(catalog["bolt"], 2, "1.25")],
    )
    theirs = make_cart(
        CustomerFactory(
            name="Quimby Bravo Traders", customer_number="QB-4242", price_level=level,
            sales_rep=rep_b, email="buyer@quimby.test",
        ),
        lines=[(catalog["bolt"], 1, "4242.42")],
    )  # fmt: skip
    gone = make_cart(
        CustomerFactory(
            name="Quimby Deleted Co", customer_number="QD-7777", price_level=level, sales_rep=rep_b
        ),
        lines=[(catalog["nut"], 1, "7777.77")],
    )
    delete_carts(carts=Cart.objects.filter(pk=gone.pk), user=staff)
    add_note(carts=Cart.objects.all(), pk=theirs.pk, user=staff, text="SECRET-NOTE: 5% off")
    recovered_by_call(rep_b, level, catalog, staff)
    run = job("delete", [theirs.pk], staff)
    done = job("delete", [gone.pk], staff)
    jobs.run(done.pk)
    client = Client()
    client.force_login(anna)
    return client, {"mine": mine.pk, "theirs": theirs.pk, "gone": gone.pk}, (run.pk, done.pk)


def requests(ids: dict[str, int], runs: tuple[int, int], rep_b: int) -> list[tuple[str, str, dict]]:
    theirs, gone = ids["theirs"], ids["gone"]
    both = [ids["mine"], theirs]
    pages = [
        "/carts/", "/carts/?q=Quimby", "/carts/?q=QB-4242", f"/carts/?rep={rep_b}",
        "/carts/?sort=-total", "/carts/?sort=follow_up&never_contacted=on", "/carts/?last=1",
        "/carts/summary/", "/carts/summary/?q=Quimby", f"/carts/summary/?rep={rep_b}",
        "/carts/products/", "/carts/products/?q=Quimby", f"/carts/products/?rep={rep_b}",
        "/carts/products/?total_min=0", "/carts/?product=BOLT", "/carts/summary/?product=BOLT",
        "/carts/deleted/", "/carts/deleted/?q=Quimby", f"/carts/deleted/?rep={rep_b}",
        "/carts/jobs/", "/carts/jobs/?part=list", "/carts/recovery/",
        f"/carts/recovery/orders/?rep={rep_b}", "/carts/recovery/orders/",
        f"/carts/{theirs}/", f"/carts/{gone}/",
        "/admin/carts/cart/", "/admin/carts/cart/?q=Quimby", f"/admin/carts/cart/{theirs}/change/",
        "/",
    ]  # fmt: skip
    found = [("GET", page, {}) for page in pages]
    for action in ("delete", "change_price_level", "follow_up", "email_customer"):
        chosen = {"action": action, "price_level": "2", "follow_up_on": "2999-01-01"}
        found += [
            ("GET", "/carts/actions/", {"action": action, "cart": theirs}),
            ("POST", "/carts/actions/", {**chosen, "cart": both}),
            ("POST", "/carts/actions/", {**chosen, "cart": both, "confirm": "1"}),
            ("POST", "/carts/actions/", {**chosen, "select_across": "1", "query": "q=Quimby"}),
        ]
    found += [
        ("POST", "/carts/restore/", {"cart": gone}),
        ("POST", "/carts/restore/", {"select_across": "1", "query": "q=Quimby"}),
        ("POST", f"/carts/{theirs}/follow-up/", {"record": "note", "text": "mine now"}),
        ("POST", f"/carts/{theirs}/follow-up/", {"record": "follow_up", "clear": "1"}),
        *(
            ("POST", f"/carts/runs/{run}/{verb}/", {})
            for run in runs
            for verb in ("undo", "resume")
        ),
    ]
    return found


def states() -> list[tuple]:
    return list(Cart.objects.order_by("pk").values_list("pk", "status", "total", "follow_up_on"))


@pytest.mark.parametrize("dialog", [False, True])
def test_rep_a_never_sees_nor_changes_anything_of_rep_bs(two_reps, dialog):
    client, ids, runs = two_reps
    rep_b = Cart.objects.get(pk=ids["theirs"]).rep_number
    before = states()
    leaks = []
    headers = {"X-Dialog": "1"} if dialog else {}
    for method, path, data in requests(ids, runs, rep_b):
        send = client.get if method == "GET" else client.post
        response = send(path, data, follow=True, headers=headers)
        assert response.status_code < 500, (method, path)
        text = response.content.decode()
        # What the request itself carries (a search for "Quimby") may come back as typed.
        asked = f"{path} {data}"
        leaks += [f"{method} {path} {data}: {s}" for s in SECRETS if s in text and s not in asked]
    assert leaks == []
    assert states() == before
    # Nor was any of B's customers e-mailed, nor an e-mail of theirs recorded.
    assert not [m for m in mail.outbox if "quimby" in str(m.recipients())]
    assert not RecoveryEmail.objects.filter(cart_id__in=[ids["theirs"], ids["gone"]]).exists()


def test_rep_bs_carts_count_for_nothing_in_rep_as_figures(two_reps):
    client, ids, _ = two_reps
    assert client.get("/carts/summary/", {"q": "Quimby"}).context["matching"] == 0
    assert client.get("/carts/").context["matching"] == 1
    summary = client.get("/carts/").context["summary"]
    assert [row.value for row in summary] == [Decimal("2.50")]
