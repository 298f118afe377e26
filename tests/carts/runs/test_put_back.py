"""Roll back of a re-price (`carts.services.put_back`): every cart still open at the level the
run left it goes back to the level it had, a former level since deactivated too; one that cannot
be priced there is refused by name and the others still go back; one no longer open, or
re-priced since, is left alone. The counts add up, per chunk and per run."""

import pytest

from carts.models import Cart, CartEvent, CartRun
from carts.runs import jobs, undoing
from carts.services.customer import add_to_cart, submit_cart
from carts.services.staff import change_price_level
from pricing.models import PriceLevel, Product
from tests.carts.runs.making import job
from tests.factories import CustomerFactory, PriceLevelFactory, cart_of, make_cart, price

pytestmark = pytest.mark.django_db
Status = CartRun.Status


@pytest.fixture
def third(catalog) -> PriceLevel:
    """A third level, pricing BOLT and NUT."""
    level = PriceLevelFactory(number=3, name="Trade")
    price(catalog["bolt"], level, "1.15")
    price(catalog["nut"], level, "0.31")
    return level


@pytest.fixture
def dealer_only(catalog, third) -> Product:
    """A product with a price at Stocking Dealer and Trade, none at Wholesale."""
    product = Product.objects.create(item_id="KIT", name="Dealer kit")
    price(product, catalog["dealer"], "9.00")
    price(product, third, "9.50")
    return product


def at(level: PriceLevel, catalog, bolts: int) -> Cart:
    customer = CustomerFactory(price_level=level)
    return make_cart(customer, lines=[(catalog["bolt"], bolts, "1.15")])


def where(cart_list: list[Cart]) -> list[tuple[str, int]]:
    rows = dict(
        Cart.objects.filter(pk__in=[c.pk for c in cart_list]).values_list("pk", "price_level")
    )
    statuses = dict(Cart.objects.values_list("pk", "status"))
    return [(statuses[c.pk], rows[c.pk]) for c in cart_list]


def assert_counts_add_up(run: CartRun) -> None:
    run.refresh_from_db()
    assert run.changed + run.left_alone + run.refused_count == run.position == run.total


def test_a_roll_back_job_puts_back_every_cart_it_may_and_names_those_it_cannot(
    catalog, staff, settings, third, dealer_only
):
    settings.CART_JOB_CHUNK, settings.CART_ACTION_INLINE_LIMIT = 2, 2
    wholesale = [cart_of(catalog, ("bolt", n)) for n in (1, 2, 3)]
    trade = [at(third, catalog, n) for n in (1, 2, 3)]
    reprice = job(
        "change_price_level", [c.pk for c in wholesale + trade], staff, level=catalog["dealer"]
    )
    assert jobs.run(reprice.pk) == Status.DONE
    roll_back = undoing.undo(reprice, staff)
    assert roll_back.is_job and roll_back.total == 6

    # Before the roll back's worker gets to them:
    add_to_cart(customer=wholesale[1].customer, product=dealer_only, quantity=1)
    change_price_level(
        carts=Cart.objects.filter(pk=trade[1].pk), level=catalog["wholesale"], user=staff
    )
    submit_cart(customer=trade[2].customer)
    PriceLevel.objects.filter(pk=third.pk).update(is_active=False)
    assert jobs.run(roll_back.pk) == Status.DONE

    assert where(wholesale + trade) == [
        ("open", 1),
        ("open", 2),  # KIT has no price at Wholesale: refused, by name
        ("open", 1),
        ("open", 3),  # back at Trade, deactivated since: this is an undo
        ("open", 1),  # re-priced since, by hand: left as it is
        ("submitted", 2),  # no longer open: left alone
    ]
    assert_counts_add_up(roll_back)
    assert (roll_back.changed, roll_back.refused_count, roll_back.left_alone) == (3, 1, 2)
    shop = wholesale[1].customer
    assert roll_back.refused == [
        f"{shop.name} ({shop.customer_number}), cart {wholesale[1].pk}: KIT has no price at "
        "Wholesale."
    ]
    put_back = CartEvent.objects.filter(run=roll_back).values_list("cart_id", flat=True)
    assert sorted(put_back) == [wholesale[0].pk, wholesale[2].pk, trade[0].pk]


def test_an_inline_undo_puts_back_the_others_and_names_the_cart_it_cannot(
    manager_client, catalog, staff, dealer_only
):
    cart_list = [cart_of(catalog, ("bolt", n)) for n in (1, 2, 3)]
    ids = [cart.pk for cart in cart_list]
    manager_client.post(
        "/carts/actions/",
        {"action": "change_price_level", "cart": ids, "price_level": 2, "confirm": "1"},
    )
    reprice = CartRun.objects.get()
    manager_client.get("/carts/")  # its message read
    add_to_cart(customer=cart_list[0].customer, product=dealer_only, quantity=2)

    response = manager_client.post(f"/carts/runs/{reprice.pk}/undo/", {"next": "/carts/"})

    assert (response.status_code, response["Location"]) == (302, "/carts/")
    assert where(cart_list) == [("open", 2), ("open", 1), ("open", 1)]
    undo = CartRun.objects.get(undoes=reprice)
    assert_counts_add_up(undo)
    said = [str(m) for m in response.wsgi_request._messages]
    assert said[0].startswith("2 carts put back at the price level each had before")
    assert said[1].startswith("1 cart was not put back:") and "KIT has no price" in said[1]
