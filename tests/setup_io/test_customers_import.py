"""Importing sales reps and customers in the store set-up: preview, all or nothing, the same
file twice changes nothing, a customer moved to another rep moves their carts as the customer
admin does, with its audit entry naming the person importing."""

import re

import pytest
from django.contrib.auth.models import User

from carts.models import Cart, CartEvent
from customers.models import Customer, SalesRep
from pricing.models import ImportRecord
from pricing.setup_io import PREVIEW_ROWS
from tests.factories import (
    CustomerFactory,
    PriceLevelFactory,
    ProductFactory,
    SalesRepFactory,
    make_cart,
    make_staff,
)
from tests.setup_io.helpers import confirm, csv_file, import_file, preview, refusals, totals

pytestmark = pytest.mark.django_db

CUSTOMERS, REPS = "/admin/customers/customer/", "/admin/customers/salesrep/"
HEAD = ["customer_number", "name", "contact_name", "email", "phone", "price_level", "rep_number"]


def stored_customers() -> list[tuple]:
    fields = ("customer_number", "name", "email", "price_level", "sales_rep__rep_number")
    return list(Customer.objects.order_by("customer_number").values_list(*fields))


def test_it_imports_reps_with_their_log_ins_and_then_leaves_them_alone(admin_client):
    User.objects.create_user("dana", is_staff=True)
    rows = [["rep_number", "name", "email", "username"], [101, "Dana", "d@example.com", "dana"]]
    response = import_file(admin_client, REPS, csv_file(rows, "reps.csv"))
    assert response.status_code == 302
    rep = SalesRep.objects.get(rep_number=101)
    assert (rep.name, rep.user.username) == ("Dana", "dana")
    again = preview(admin_client, REPS, csv_file(rows, "reps.csv"))
    assert totals(again) == {"new": 0, "update": 0, "skip": 1, "invalid": 0, "error": 0}


def test_it_previews_then_writes_customers_and_records_the_import(admin_client, admin_user):
    PriceLevelFactory(number=1), SalesRepFactory(rep_number=7)
    existing = CustomerFactory(customer_number="C1", name="Old name", sales_rep__rep_number=8)
    rows = [HEAD, ["C1", "New name", "", "", "", 1, 7], ["C2", "Second", "Al", "a@b.co", "", 1, 7]]
    shown = preview(admin_client, CUSTOMERS, csv_file(rows, "customers.csv"))
    assert totals(shown)["new"] == 1 and totals(shown)["update"] == 1
    assert Customer.objects.count() == 1  # a preview writes nothing
    confirm(admin_client, CUSTOMERS, shown)
    assert stored_customers() == [("C1", "New name", "", 1, 7), ("C2", "Second", "a@b.co", 1, 7)]
    record = ImportRecord.objects.get(outcome=ImportRecord.IMPORTED)
    assert (record.user, record.file_name, record.kind) == (
        admin_user,
        "customers.csv",
        "Customers",
    )
    assert (record.added, record.changed, record.refused) == (1, 1, 0)
    assert existing.pk == Customer.objects.get(customer_number="C1").pk


def test_every_bad_customer_row_is_named_and_nothing_is_written(admin_client):
    PriceLevelFactory(number=1), SalesRepFactory(rep_number=7)
    CustomerFactory(customer_number="C1", name="Kept", price_level__number=1)
    before = stored_customers()
    rows = [
        HEAD,
        ["C2", "Fine", "", "", "", 1, 7],
        ["C3", "No such level", "", "", "", 9, 7],
        ["C4", "No such rep", "", "", "", 1, 999],
        ["c1", "Case twin of a stored one", "", "", "", 1, 7],
        ["C5", "First", "", "", "", 1, 7],
        ["c5", "Case twin in the file", "", "", "", 1, 7],
        ["C 6!", "Bad number", "", "", "", 1, 7],
    ]
    shown = preview(admin_client, CUSTOMERS, csv_file(rows, "bad.csv"))
    reasons = refusals(shown)
    assert "row 2: price_level: There is no price level “9”." in reasons
    assert "row 3: sales_rep: There is no sales rep with rep number “999”." in reasons
    assert any(r.startswith("row 4:") and "ignore upper and lower case" in r for r in reasons)
    assert any(r.startswith("row 6: customer_number: Row 5 has") for r in reasons)
    assert any(r.startswith("row 7: customer_number: Use only letters") for r in reasons)
    assert shown.context.get("confirm_form") is None
    assert stored_customers() == before
    assert ImportRecord.objects.get().outcome == ImportRecord.REFUSED


def test_a_file_without_the_required_columns_or_of_another_kind_is_refused(admin_client):
    missing = preview(admin_client, CUSTOMERS, csv_file([["customer_number", "name"], ["C9", "X"]]))
    assert "This file has no column price_level, rep_number." in refusals(missing)[0]
    picture = csv_file([["x"]], "photo.xlsx")
    wrong = preview(admin_client, CUSTOMERS, picture, file_format="1")
    assert "encountered while trying to read file" in str(wrong.context["form"].errors)
    assert Customer.objects.count() == 0


def test_an_import_moving_a_customer_to_another_rep_moves_their_carts_with_an_audit_entry(
    admin_client, admin_user
):
    level = PriceLevelFactory(number=1)
    customer = CustomerFactory(customer_number="C1", price_level=level, sales_rep__rep_number=500)
    SalesRepFactory(rep_number=5)
    cart = make_cart(customer, lines=[(ProductFactory(), 1, "2.00")])
    rows = [HEAD, ["C1", customer.name, "", "", "", 1, 5]]
    import_file(admin_client, CUSTOMERS, csv_file(rows))
    assert Cart.objects.get(pk=cart.pk).rep_number == 5
    event = CartEvent.objects.get(action="rep_changed")
    assert (event.cart_id, event.actor_id, event.detail) == (
        cart.pk,
        admin_user.pk,
        "Rep # 500 → 5.",
    )


def test_exporting_then_importing_the_customers_changes_nothing(admin_client):
    for number in ("A1", "B2"):
        CustomerFactory(customer_number=number, email=f"{number}@example.com")
    before = stored_customers()
    exported = admin_client.post(
        f"{CUSTOMERS}export/",
        {
            "format": "0",
            "resource": "0",
            **{f"customerresource_{name}": "on" for name in [*HEAD, "is_active"]},
        },
    )
    assert exported.status_code == 200
    shown = preview(
        admin_client,
        CUSTOMERS,
        csv_file([], "x.csv").__class__("export.csv", exported.content, content_type="text/csv"),
    )
    assert totals(shown) == {"new": 0, "update": 0, "skip": 2, "invalid": 0, "error": 0}
    confirm(admin_client, CUSTOMERS, shown)
    assert stored_customers() == before


def test_confirming_twice_or_a_forged_preview_imports_nothing_more_and_is_no_500(admin_client):
    PriceLevelFactory(number=1), SalesRepFactory(rep_number=7)
    shown = preview(admin_client, CUSTOMERS, csv_file([HEAD, ["C1", "One", "", "", "", 1, 7]]))
    confirm(admin_client, CUSTOMERS, shown)
    again = confirm(admin_client, CUSTOMERS, shown)
    assert again.status_code == 302 and again["Location"] == f"{CUSTOMERS}import/"
    forged = {**shown.context["confirm_form"].initial, "format": "x", "import_file_name": "nope"}
    assert admin_client.post(f"{CUSTOMERS}process_import/", forged).status_code == 302
    assert Customer.objects.count() == 1


@pytest.mark.parametrize(
    ("permissions", "import_page", "export_page"),
    [
        (("view", "change"), 403, 200),
        (("add", "view"), 403, 200),
        (("add", "change"), 200, 200),  # change implies view in the admin
        (("view",), 403, 200),
    ],
)
def test_importing_needs_add_and_change_and_exporting_view(
    client, permissions, import_page, export_page
):
    perms = [f"customers.{verb}_customer" for verb in permissions]
    client.force_login(make_staff("setup", *perms))
    assert client.get(f"{CUSTOMERS}import/").status_code == import_page
    assert client.get(f"{CUSTOMERS}export/").status_code == export_page
    assert client.get(f"{CUSTOMERS}import/template/0.csv").status_code == import_page


def test_a_confirm_that_meets_a_refused_row_writes_none_of_the_file(admin_client, admin_user):
    PriceLevelFactory(number=1), SalesRepFactory(rep_number=7)
    leaving = SalesRepFactory(rep_number=8)
    rows = [HEAD, ["C1", "First", "", "", "", 1, 7], ["C2", "Second", "", "", "", 1, 8]]
    shown = preview(admin_client, CUSTOMERS, csv_file(rows, "late.csv"))
    leaving.delete()  # between the preview and the confirm: row 2's rep is gone
    response = confirm(admin_client, CUSTOMERS, shown)
    assert response.status_code == 302 and response["Location"] == f"{CUSTOMERS}import/"
    assert Customer.objects.count() == 0
    record = ImportRecord.objects.get()
    assert (record.outcome, record.file_name, record.added, record.refused) == (
        ImportRecord.REFUSED,
        "late.csv",
        0,
        1,
    )


def test_a_big_preview_lists_the_first_new_or_changed_rows_then_counts_the_rest(admin_client):
    level, rep = PriceLevelFactory(number=1), SalesRepFactory(rep_number=7)
    CustomerFactory(customer_number="KEPT", name="Kept", contact_name="", email="", phone="",
                    price_level=level, sales_rep=rep)  # fmt: skip
    new = [[f"C{n:03}", f"Shop {n}", "", "", "", 1, 7] for n in range(PREVIEW_ROWS + 3)]
    rows = [HEAD, ["KEPT", "Kept", "", "", "", 1, 7], *new]
    shown = preview(admin_client, CUSTOMERS, csv_file(rows, "customers.csv"))
    page = shown.content.decode()
    assert totals(shown)["new"] == PREVIEW_ROWS + 3 and totals(shown)["skip"] == 1
    listed = re.findall(r'<tr class="(new|update|skip)">', page)
    assert listed == ["new"] * PREVIEW_ROWS  # the unchanged row is counted, not listed
    assert f"Shop {PREVIEW_ROWS - 1}<" in page and f"Shop {PREVIEW_ROWS}<" not in page
    assert "… and 3 more new or changed rows, not listed here." in page
    confirm(admin_client, CUSTOMERS, shown)
    assert Customer.objects.count() == PREVIEW_ROWS + 4


def test_a_small_preview_lists_every_changed_row_and_says_nothing_more(admin_client):
    PriceLevelFactory(number=1), SalesRepFactory(rep_number=7)
    CustomerFactory(customer_number="C1", name="Old", price_level__number=1)
    rows = [HEAD, ["C1", "New name", "", "", "", 1, 7]]
    page = preview(admin_client, CUSTOMERS, csv_file(rows, "customers.csv")).content.decode()
    assert re.findall(r'<tr class="(new|update|skip)">', page) == ["update"]
    assert "Changed" in page and "more new or changed" not in page
