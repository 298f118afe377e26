"""The store on a 390 px phone (issue 18): the catalogue as cards, the cart and the orders fit
the screen; no word or item id breaks mid-word; Add, quantity, Submit and Remove are in reach.
On a desktop the catalogue stays a table."""

import pytest
from playwright.sync_api import Locator, Page, expect

from carts.services import customer as shopping
from tests.browser.helpers import assert_in_view, assert_no_sideways_scroll, assert_no_word_breaks
from tests.factories import ProductFactory, make_buyer, price

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# As the demo store names them: long names, ids with underscores and dashes, dear packs.
SHELF = [
    ("HW_2157", "Oil-Rubbed Bronze Cabinet Hinge, Concealed 35 mm (Case of 10)", "1284.50"),
    ("JW-10042", "14K Gold-Fill Pendant Necklace, 18 in. (Display Card of 6)", "12345.67"),
    ("GD-10003", "Nitrile-Dipped Garden Gloves, XL (Case of 12)", "26.40"),
    ("KT_2004", "End-Grain Maple Cutting Board, 12 x 18 in. (Case of 6)", "540.00"),
    ("CN-10005", "Vanilla Tea Lights, 8-Hour (Pack of 24)", "3.95"),
    ("PT_2006", "Waterproof Biothane Dog Collar, M (Case of 6)", "88.00"),
]
LONG_SHOP = "Prairie Garden Center of Missoula and the Greater Bitterroot Valley Cooperative"


@pytest.fixture
def shelf(store):
    products = []
    for item_id, name, amount in SHELF:
        product = ProductFactory(item_id=item_id, name=name)
        price(product, store["wholesale"], amount)
        products.append(product)
    return products


@pytest.fixture
def buyer(store, shelf):
    """A buyer with two submitted orders and an open cart of three lines."""
    customer, _ = make_buyer(store["wholesale"], name=LONG_SHOP)
    for order in (shelf[:4], shelf[2:]):
        for quantity, product in enumerate(order, start=1):
            shopping.add_to_cart(customer=customer, product=product, quantity=quantity * 7)
        shopping.submit_cart(customer=customer)
    for product in shelf[:3]:
        shopping.add_to_cart(customer=customer, product=product, quantity=1200)
    return customer


def shop_sign_in(page: Page, live_server, size: dict) -> None:
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/shop/")
    page.get_by_label("Username").fill("buyer")
    page.get_by_label("Password").fill("shop-pass-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Catalog")).to_be_visible()


def assert_within_width(page: Page, element: Locator) -> None:
    """Inside the screen from side to side, as laid out: no sideways scrolling to reach it."""
    box = element.bounding_box()
    assert box is not None, element
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 0.5, box


def assert_thumb_sized(element: Locator) -> None:
    """Big enough to hit with a thumb: about 44 CSS px tall, as phone guidelines ask."""
    box = element.bounding_box()
    assert box is not None and box["height"] >= 40, box


def assert_apart(*elements: Locator) -> None:
    """No two of the elements overlap: nothing in a card sits on top of anything else."""
    boxes = [element.bounding_box() for element in elements]
    assert None not in boxes, elements
    for index, one in enumerate(boxes):
        for other in boxes[index + 1 :]:
            side_by_side = (
                one["x"] + one["width"] <= other["x"] + 0.5
                or other["x"] + other["width"] <= one["x"] + 0.5
            )
            stacked = (
                one["y"] + one["height"] <= other["y"] + 0.5
                or other["y"] + other["height"] <= one["y"] + 0.5
            )
            assert side_by_side or stacked, (one, other)


def test_the_catalogue_is_cards_on_a_phone_with_price_in_cart_and_add_in_reach(
    page: Page, live_server, buyer
):
    shop_sign_in(page, live_server, PHONE)
    assert_no_sideways_scroll(page)
    expect(page.locator("table.catalog thead")).to_be_hidden()
    assert_no_word_breaks(page, "body")
    for position, (item_id, name, _) in enumerate(SHELF):
        card = page.locator(f"tr[data-item-id='{item_id}']")
        assert_within_width(page, card.locator("[data-unit-price]"))
        if position < 3:  # the three in the cart
            assert_within_width(page, card.locator("[data-in-cart]"))
        else:
            expect(card.locator("[data-in-cart]")).to_be_hidden()
        add = card.get_by_role("button", name=f"Add {name} to cart")
        quantity = card.get_by_label(f"Quantity of {name}")
        for control in (quantity, add):
            assert_within_width(page, control)
            assert_thumb_sized(control)
        assert_apart(card.locator(".product"), card.locator("[data-unit-price]"), quantity, add)
    # Each card reads as one product: its name above its price, Add beside the price.
    hinge = page.locator("tr[data-item-id='HW_2157']")
    expect(hinge.locator("[data-in-cart]")).to_contain_text("1,200 in cart")
    name_box = hinge.locator(".product").bounding_box()
    price_box = hinge.locator("[data-unit-price]").bounding_box()
    add_box = hinge.get_by_role("button", name=f"Add {SHELF[0][1]} to cart").bounding_box()
    assert name_box["y"] + name_box["height"] <= price_box["y"] + 0.5
    assert add_box["y"] < price_box["y"] + price_box["height"] + 40
    # Add works from the card, and the buyer stays on the catalogue.
    hinge.get_by_label(f"Quantity of {SHELF[0][1]}").fill("5")
    hinge.get_by_role("button", name=f"Add {SHELF[0][1]} to cart").click()
    expect(page.locator(".message.success")).to_contain_text(f"Added 5 × {SHELF[0][1]}")
    expect(page.locator("tr[data-item-id='HW_2157'] [data-in-cart]")).to_contain_text("1,205")
    assert_no_sideways_scroll(page)


def test_a_searched_catalogue_of_many_pages_fits_a_phone(page: Page, live_server, buyer, store):
    for number in range(30):
        product = ProductFactory(item_id=f"HW_{3000 + number}", name=f"Brass Hinge No. {number}")
        price(product, store["wholesale"], "4.10")
    shop_sign_in(page, live_server, PHONE)
    page.get_by_label("Search by item id or name").fill("hinge")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    for control in ("Search", "Clear", "Next ›"):
        target = page.get_by_role("link", name=control).or_(
            page.get_by_role("button", name=control)
        )
        assert_within_width(page, target)
    assert_no_sideways_scroll(page)
    assert_no_word_breaks(page, "body")


def test_the_catalogue_stays_a_table_on_a_desktop(page: Page, live_server, buyer):
    shop_sign_in(page, live_server, DESKTOP)
    assert_no_sideways_scroll(page)
    for header in ("Item", "Product", "Unit price", "In cart", "Add"):
        assert_in_view(page, page.get_by_role("columnheader", name=header, exact=True))
    row = page.locator("tr[data-item-id='JW-10042']")
    tops = {round(cell.bounding_box()["y"]) for cell in row.locator("td").all()}
    assert len(tops) == 1, "every cell of a product on one row"
    assert_no_word_breaks(page, "table.catalog tbody")


def test_the_cart_fits_a_phone_with_quantity_remove_and_submit_in_reach(
    page: Page, live_server, buyer
):
    shop_sign_in(page, live_server, PHONE)
    page.goto(f"{live_server.url}/shop/cart/")
    assert_no_sideways_scroll(page)
    assert_no_word_breaks(page, "body")
    for item_id, name, _ in SHELF[:3]:
        line = page.locator(f"tr[data-item-id='{item_id}']")
        controls = (
            line.get_by_label(f"Quantity of {name}"),
            line.get_by_role("button", name="Update"),
            line.get_by_role("button", name=f"Remove {name}"),
        )
        for control in controls:
            assert_within_width(page, control)
            assert_thumb_sized(control)
        texts = (".product", "[data-unit-price]", "[data-line-total]")
        assert_apart(*controls, *(line.locator(text) for text in texts))
    submit = page.get_by_role("button", name="Submit order")
    submit.scroll_into_view_if_needed()
    assert_in_view(page, submit)
    assert_thumb_sized(submit)
    assert_no_sideways_scroll(page)


def test_orders_fit_a_phone_newest_first_with_no_id_broken(page: Page, live_server, buyer):
    shop_sign_in(page, live_server, PHONE)
    page.get_by_role("link", name="Orders").click()
    expect(page.get_by_role("heading", name="Your orders")).to_be_visible()
    assert_no_sideways_scroll(page)
    assert_no_word_breaks(page, "body")
    numbers = [
        int(n)
        for n in page.locator("[data-order-number]").evaluate_all(
            "(orders) => orders.map((order) => order.dataset.orderNumber)"
        )
    ]
    assert len(numbers) == 2 and numbers[0] == numbers[1] + 1
    for order in page.locator("section.order").all():
        assert_within_width(page, order.locator("[data-order-total]"))
        for line in order.locator("tbody tr").all():
            for cell in line.locator("td:visible").all():
                assert_within_width(page, cell)


def test_the_word_break_check_sees_an_id_split_across_two_lines(page: Page):
    """assert_no_word_breaks itself: an id forced to break mid-word is caught; words wrapping
    at spaces pass."""
    page.set_content(
        "<p id='broken' style='width: 3.5em; overflow-wrap: anywhere'>HW_2157 Hinge</p>"
        "<p id='wrapped' style='width: 3.5em'>Tea Lights, Pack of 24</p>"
    )
    with pytest.raises(AssertionError, match="HW_2157"):
        assert_no_word_breaks(page, "#broken")
    assert_no_word_breaks(page, "#wrapped")
    # A break after a hyphen is one between words, unless told otherwise.
    page.set_content("<p id='dashed' style='width: 2.5em'>JW-10042</p>")
    assert_no_word_breaks(page, "#dashed")
    with pytest.raises(AssertionError, match="JW-10042"):
        assert_no_word_breaks(page, "#dashed", hyphens=False)
