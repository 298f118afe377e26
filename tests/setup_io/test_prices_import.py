"""Importing products and prices in the store set-up: one row per product and level, or the
wide layout (a column per level); every bad row named; the same file twice changes nothing; a
price import re-prices no cart but marks its lines out of date."""

from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carts.models import Cart, CartLine, StalePrices
from pricing.models import ImportRecord, PriceLevel, Product, ProductPrice
from tests.factories import CustomerFactory, PriceLevelFactory, ProductFactory, make_cart, price
from tests.setup_io.helpers import (
    confirm,
    csv_file,
    import_file,
    preview,
    refusals,
    totals,
)

pytestmark = pytest.mark.django_db

PRODUCTS, PRICES = "/admin/pricing/product/", "/admin/pricing/productprice/"
WIDE = "1"  # the products page's second import: a price column per level


@pytest.fixture
def levels() -> dict[int, PriceLevel]:
    return {
        0: PriceLevelFactory(number=0, name="Base"),
        1: PriceLevelFactory(number=1, name="Wholesale"),
        2: PriceLevelFactory(number=2, name="Export", currency="EUR"),
    }


def stored_prices() -> list[tuple]:
    fields = ("product__item_id", "price_level_id", "unit_price")
    return list(
        ProductPrice.objects.order_by("product__item_id", "price_level").values_list(*fields)
    )


def test_the_wide_layout_creates_products_and_their_prices_then_leaves_them_alone(
    admin_client, levels
):
    rows = [
        ["item_id", "name", "level_0", "level_1"],
        ["BOLT", "Hex bolt", "1.25", "1.05"],
        ["NUT", "Hex nut", "0.33", ""],
    ]
    shown = preview(admin_client, PRODUCTS, csv_file(rows, "wide.csv"), WIDE)
    assert totals(shown)["new"] == 2 and not ProductPrice.objects.exists()
    confirm(admin_client, PRODUCTS, shown)
    assert stored_prices() == [
        ("BOLT", 0, Decimal("1.25")),
        ("BOLT", 1, Decimal("1.05")),
        ("NUT", 0, Decimal("0.33")),
    ]
    again = preview(admin_client, PRODUCTS, csv_file(rows, "wide.csv"), WIDE)
    assert totals(again) == {"new": 0, "update": 0, "skip": 2, "invalid": 0, "error": 0}
    rows[2][3], rows[1][1] = "0.30", "Hex bolt, zinc"
    changed = preview(admin_client, PRODUCTS, csv_file(rows, "wide.csv"), WIDE)
    assert (totals(changed)["update"], totals(changed)["skip"]) == (2, 0)
    confirm(admin_client, PRODUCTS, changed)
    assert ("NUT", 1, Decimal("0.30")) in stored_prices()
    names = dict(Product.objects.values_list("item_id", "name"))
    assert names == {"BOLT": "Hex bolt, zinc", "NUT": "Hex nut"}


def test_the_long_layout_sets_one_price_per_row(admin_client, levels):
    bolt = ProductFactory(item_id="BOLT")
    price(bolt, levels[0], "1.00")
    rows = [["item_id", "level", "unit_price"], ["BOLT", 0, "1.10"], ["BOLT", 1, "0.95"]]
    import_file(admin_client, PRICES, csv_file(rows, "prices.csv"))
    assert stored_prices() == [("BOLT", 0, Decimal("1.10")), ("BOLT", 1, Decimal("0.95"))]
    record = ImportRecord.objects.get()
    assert (record.added, record.changed, record.unchanged) == (1, 1, 0)


def test_every_bad_price_row_is_named_and_nothing_is_written(admin_client, levels):
    ProductFactory(item_id="BOLT"), ProductFactory(item_id="Nut-1")
    rows = [
        ["item_id", "name", "currency", "level_0", "level_1", "level_2"],
        ["BOLT", "Fine", "USD", "1.00", "2.00", ""],
        ["bad id!", "Forbidden characters", "USD", "1.00", "", ""],
        ["NUT-1", "Would rename Nut-1", "USD", "1.00", "", ""],
        ["WASHER", "Negative", "USD", "-1.00", "", ""],
        ["SCREW", "Not a number", "USD", "abc", "", ""],
        ["PIN", "Level 2 is in euros", "USD", "", "", "3.00"],
        ["BOLT", "Twice in the file", "USD", "1.00", "", ""],
    ]
    shown = preview(admin_client, PRODUCTS, csv_file(rows, "bad.csv"), WIDE)
    reasons = refusals(shown)
    assert any(r.startswith("row 2: item_id: Use only letters") for r in reasons)
    assert any(r.startswith("row 3: item_id: Product Nut-1 has this item id") for r in reasons)
    assert "row 4: level_0: A price cannot be negative (-1.00)." in reasons
    assert "row 5: level_0: “abc” is not a price." in reasons
    assert "row 6: level_2: Level 2 is priced in EUR, this file in USD." in reasons
    assert "row 7: item_id: Row 1 has this item id too." in reasons
    assert len(reasons) == 6 and shown.context.get("confirm_form") is None
    assert not ProductPrice.objects.exists() and Product.objects.count() == 2


def test_an_unknown_level_is_refused_in_either_layout(admin_client, levels):
    ProductFactory(item_id="BOLT")
    wide = [["item_id", "name", "level_7"], ["BOLT", "Bolt", "1.00"]]
    shown = preview(admin_client, PRODUCTS, csv_file(wide), WIDE)
    assert refusals(shown)[0] == "Column level_7: there is no price level 7."
    long = [["item_id", "level", "unit_price"], ["BOLT", 7, "1.00"], ["GONE", 0, "1.00"]]
    shown = preview(admin_client, PRICES, csv_file(long))
    assert refusals(shown) == [
        "row 1: price_level: There is no price level “7”.",
        "row 2: product: There is no product with item id “GONE”.",
    ]
    assert not ProductPrice.objects.exists()


def test_a_price_import_marks_open_carts_out_of_date_and_re_prices_none(admin_client, levels):
    bolt = ProductFactory(item_id="BOLT")
    price(bolt, levels[1], "1.05")
    cart = make_cart(CustomerFactory(price_level=levels[1]), lines=[(bolt, 4, "1.05")])
    assert not Cart.objects.prices_out_of_date().exists()
    rows = [["item_id", "level", "unit_price"], ["BOLT", 1, "1.15"]]
    import_file(admin_client, PRICES, csv_file(rows))
    assert CartLine.objects.get(cart=cart).unit_price == Decimal("1.05")
    assert Cart.objects.get(pk=cart.pk).total == Decimal("4.20")
    assert list(Cart.objects.prices_out_of_date()) == [cart]
    assert StalePrices.objects.get(cart=cart).lines == 1


def test_a_wide_price_import_marks_open_carts_out_of_date_too(admin_client, levels):
    bolt = ProductFactory(item_id="BOLT", name="Bolt")
    price(bolt, levels[1], "1.05")
    cart = make_cart(CustomerFactory(price_level=levels[1]), lines=[(bolt, 2, "1.05")])
    rows = [["item_id", "name", "level_1"], ["BOLT", "Bolt", "1.25"]]
    import_file(admin_client, PRODUCTS, csv_file(rows), WIDE)
    assert list(Cart.objects.prices_out_of_date()) == [cart]
    assert Cart.objects.get(pk=cart.pk).total == Decimal("2.10")


def export(client, admin_path: str, resource: str, file_format: str = "0") -> bytes:
    """The admin's export of every row, every column (the form's boxes start ticked)."""
    page = client.get(f"{admin_path}export/")
    form = page.context["form"]
    data = {"format": file_format, "resource": resource}
    data.update(
        {name: "on" for name in form.fields if name not in ("format", "resource", "export_items")}
    )
    response = client.post(f"{admin_path}export/", data)
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize(("admin_path", "resource"), [(PRICES, "0"), (PRODUCTS, WIDE)])
def test_exporting_then_importing_the_prices_changes_nothing(
    admin_client, levels, admin_path, resource
):
    for item_id, amounts in {"BOLT": ("1.25", "1.05"), "NUT": ("0.33", None)}.items():
        product = ProductFactory(item_id=item_id)
        for number, amount in enumerate(amounts):
            if amount:
                price(product, levels[number], amount)
    before = stored_prices()
    content = export(admin_client, admin_path, resource, "1")
    upload = SimpleUploadedFile("export.xlsx", content)
    shown = preview(admin_client, admin_path, upload, resource, file_format="1")
    assert totals(shown)["new"] == totals(shown)["update"] == 0, refusals(shown)
    confirm(admin_client, admin_path, shown)
    assert stored_prices() == before


def test_the_templates_carry_the_columns_of_each_layout(admin_client, levels):
    wide = admin_client.get(f"{PRODUCTS}import/template/1.csv")
    assert wide.content.decode().strip() == "item_id,name,level_0,level_1,level_2"
    long = admin_client.get(f"{PRICES}import/template/0.xlsx")
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(long.content)).active
    assert [cell.value for cell in sheet[1]] == ["item_id", "level", "unit_price", "currency"]
    assert admin_client.get(f"{PRICES}import/template/3.csv").status_code == 404
