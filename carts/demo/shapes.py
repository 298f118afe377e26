"""What the demo store looks like: price levels, sales reps, customers, the catalog and the
shape of carts (how many lines, what quantities, how old, when last touched).

Every generator takes its own random.Random, so a seed gives the same rows on every run, and
row i does not depend on how many rows are asked for.
"""

import datetime
import random
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from carts.demo import names
from pricing.money import to_cents

LEVELS = {0: "Base Price", 1: "Wholesale", 2: "Stocking Dealer", 3: "Non Stocking",
          4: "Distributor", 5: "Key Account"}  # fmt: skip
# Share of the base price each level pays: the higher the level number, the better the deal.
LEVEL_FACTORS = {0: Decimal("1.00"), 1: Decimal("0.80"), 2: Decimal("0.72"), 3: Decimal("0.68"),
                 4: Decimal("0.60"), 5: Decimal("0.55")}  # fmt: skip
# Most shops buy at Wholesale, Stocking Dealer or Non Stocking.
CUSTOMER_LEVEL_WEIGHTS = {0: 4, 1: 32, 2: 28, 3: 22, 4: 8, 5: 6}
# Chance a product has no price at a given level above 0: about 5% of all (product, level) pairs.
MISSING_PRICE_CHANCE = 0.06

REPS = {
    101: "Dana Whitfield", 102: "Marcus Oyelaran", 103: "Priya Raman", 104: "Tom Kowalski",
    105: "Elena Vasquez", 106: "Brian O'Connell", 107: "Keiko Tanaka", 108: "Samuel Greene",
    109: "Alicia Moreno", 110: "Derek Lindqvist", 111: "Fatima Haddad", 112: "Grace Whitaker",
}  # fmt: skip
# Reserved domains (RFC 2606), so a demo database never holds a real person's address.
STORE_EMAIL_DOMAIN = "juniper-wholesale.example"

AREA_CODES = ("207", "303", "406", "503", "505", "512", "608", "612", "615", "802", "828", "919")


@dataclass(frozen=True)
class Item:
    """A kind of product; each combination of kind, size and pack is one catalog entry."""

    noun: str
    kinds: tuple[str, ...]
    sizes: tuple[str, ...]
    packs: tuple[str, ...]  # the first is the smallest
    unit_cents: tuple[int, int]  # base price range of the smallest pack


@dataclass(frozen=True)
class ProductLine:
    prefix: str
    dashed: bool  # "JW-10001" style item ids; otherwise "HW_2040"
    items: tuple[Item, ...]


PRODUCT_LINES = (
    ProductLine("HW", False, (
        Item("Hex Bolt", ("Zinc-Plated", "Stainless Steel", "Grade 8"),
             ("1/4-20 x 1 in.", "3/8-16 x 2 in.", "1/2-13 x 3 in."), ("Box of 50", "Box of 100"),
             (600, 4500)),
        Item("Wood Screw", ("Zinc-Plated", "Stainless Steel", "Brass"),
             ("#6 x 3/4 in.", "#8 x 1-1/4 in.", "#10 x 2 in."), ("Box of 100", "Box of 500"),
             (450, 2800)),
        Item("Cabinet Hinge", ("Satin Nickel", "Oil-Rubbed Bronze", "Matte Black"),
             ("3 in.", "3-1/2 in.", "Concealed 35 mm"), ("Pair", "Case of 10"), (350, 1800)),
        Item("Drawer Pull", ("Satin Nickel", "Oil-Rubbed Bronze", "Matte Black", "Brass"),
             ("3 in.", "5 in.", "96 mm"), ("Each", "Pack of 10", "Case of 25"), (180, 1200)),
        Item("Barrel Bolt", ("Zinc-Plated", "Solid Brass", "Matte Black"),
             ("3 in.", "4 in.", "6 in."), ("Each", "Case of 12"), (250, 1500)),
    )),
    ProductLine("JW", True, (
        Item("Pendant Necklace", ("Sterling Silver", "14K Gold-Fill", "Rose Gold-Plated"),
             ("16 in.", "18 in.", "20 in."), ("Each", "Display Card of 6"), (1200, 14000)),
        Item("Stud Earrings", ("Sterling Silver", "Freshwater Pearl", "Cubic Zirconia"),
             ("4 mm", "6 mm", "8 mm"), ("Pair", "Display Card of 12"), (600, 6500)),
        Item("Hoop Earrings", ("Sterling Silver", "14K Gold-Fill", "Hammered Brass"),
             ("15 mm", "25 mm", "40 mm"), ("Pair", "Display Card of 6"), (800, 9000)),
        Item("Stacking Ring", ("Sterling Silver", "14K Gold-Fill", "Opal Inlay"),
             ("Size 6", "Size 7", "Size 8"), ("Each", "Pack of 3"), (900, 7500)),
        Item("Cuff Bracelet", ("Hammered Copper", "Sterling Silver", "Brass"),
             ("Small", "Medium", "Large"), ("Each",), (1500, 12000)),
    )),
    ProductLine("GD", True, (
        Item("Garden Trowel", ("Stainless Steel", "Ergonomic", "Forged Carbon Steel"),
             ("Standard", "Narrow"), ("Each", "Case of 12"), (700, 3200)),
        Item("Pruning Shears", ("Bypass", "Anvil", "Ratchet"), ("7 in.", "8 in."),
             ("Each", "Case of 6"), (1400, 5500)),
        Item("Planter", ("Glazed Ceramic", "Terracotta", "Recycled Resin"),
             ("6 in.", "10 in.", "14 in."), ("Each", "Case of 4"), (600, 6000)),
        Item("Garden Hose", ("Heavy-Duty Rubber", "Lightweight Vinyl", "Soaker"),
             ("25 ft.", "50 ft.", "75 ft."), ("Each", "Case of 4"), (1500, 8000)),
        Item("Garden Gloves", ("Goatskin", "Nitrile-Dipped", "Bamboo Knit"),
             ("S", "M", "L", "XL"), ("Pair", "Case of 12"), (400, 2600)),
    )),
    ProductLine("KT", False, (
        Item("Mixing Bowl Set", ("Stainless Steel", "Borosilicate Glass", "Melamine"),
             ("3-Piece", "5-Piece"), ("Each", "Case of 4"), (1800, 7000)),
        Item("Chef's Knife", ("German Steel", "Damascus Steel", "Ceramic"),
             ("6 in.", "8 in.", "10 in."), ("Each", "Case of 6"), (2000, 16000)),
        Item("Cutting Board", ("Bamboo", "Olive Wood", "End-Grain Maple"),
             ("10 x 14 in.", "12 x 18 in."), ("Each", "Case of 6"), (1200, 9000)),
        Item("Cast Iron Skillet", ("Pre-Seasoned", "Enameled"), ("8 in.", "10 in.", "12 in."),
             ("Each", "Case of 4"), (1600, 9500)),
        Item("Dish Towels", ("Cotton Waffle", "Linen", "Flour Sack"), ("Set of 2", "Set of 4"),
             ("Each", "Case of 12"), (500, 2400)),
    )),
    ProductLine("CN", True, (
        Item("Soy Candle", ("Lavender Fields", "Cedar & Sage", "Vanilla Bean", "Sea Salt"),
             ("4 oz. Tin", "8 oz. Jar", "12 oz. Jar"), ("Each", "Case of 6", "Case of 12"),
             (500, 2600)),
        Item("Pillar Candle", ("Unscented Ivory", "Balsam Fir", "Honey Beeswax"),
             ("3 x 4 in.", "3 x 6 in.", "3 x 9 in."), ("Each", "Case of 6"), (400, 2200)),
        Item("Reed Diffuser", ("Citrus Grove", "Fresh Linen", "Fig & Cassis"),
             ("100 ml", "200 ml"), ("Each", "Case of 6"), (900, 3800)),
        Item("Tea Lights", ("Unscented", "Vanilla", "Citronella"), ("4-Hour", "8-Hour"),
             ("Pack of 24", "Case of 100"), (300, 1400)),
    )),
    ProductLine("PT", False, (
        Item("Dog Leash", ("Reflective Nylon", "Braided Leather", "Climbing Rope"),
             ("4 ft.", "6 ft."), ("Each", "Case of 6"), (700, 4200)),
        Item("Dog Collar", ("Reflective Nylon", "Leather", "Waterproof Biothane"),
             ("S", "M", "L"), ("Each", "Case of 6"), (500, 3500)),
        Item("Chew Toy", ("Natural Rubber", "Cotton Rope", "Nylon Bone"),
             ("Small", "Medium", "Large"), ("Each", "Display of 12"), (300, 1800)),
        Item("Pet Bed", ("Orthopedic Foam", "Sherpa Bolster", "Cooling Gel"),
             ("Small", "Medium", "Large"), ("Each", "Case of 2"), (2200, 12000)),
        Item("Food Bowl", ("Stainless Steel", "Stoneware", "Non-Tip Melamine"),
             ("16 oz.", "32 oz.", "64 oz."), ("Each", "Case of 6"), (300, 2800)),
    )),
)  # fmt: skip
# Bigger packs cost less per unit.
PACK_DISCOUNT = Decimal("0.90")

DAY = 24 * 60 * 60
MAX_CART_AGE = 180 * DAY
SUBMITTED_SHARE = 0.15
# Open carts whose price level staff changed away from the customer's.
STAFF_LEVEL_CHANGE_CHANCE = 0.05
LINE_COUNTS = tuple(range(1, 13))
LINE_COUNT_CUM_WEIGHTS = tuple(accumulate((10, 12, 13, 13, 12, 10, 8, 7, 5, 4, 3, 3)))  # ~5.1
QUANTITIES = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 20, 24, 30, 36, 48)
QUANTITY_CUM_WEIGHTS = tuple(accumulate((18, 14, 8, 9, 5, 12, 5, 7, 9, 2, 1, 3, 4, 1, 1, 1)))

CUSTOMER_COLUMNS = ("customer_number", "name", "contact_name", "email", "phone",
                    "price_level_id", "sales_rep_id", "is_active")  # fmt: skip


def rep_email(name: str) -> str:
    first, last = name.lower().replace("'", "").split()
    return f"{first}.{last}@{STORE_EMAIL_DOMAIN}"


def customer_number(index: int) -> str:
    return f"C{10001 + index}"


def generate_customers(
    rng: random.Random, count: int, level_ids: dict[int, int], rep_ids: dict[int, int]
) -> Iterator[tuple[str, str, str, str, str, int, int, bool]]:
    """Customer rows in CUSTOMER_COLUMNS order; customer i is the same whatever the count, and
    no two customers share a name."""
    levels = list(CUSTOMER_LEVEL_WEIGHTS)
    level_cum_weights = list(accumulate(CUSTOMER_LEVEL_WEIGHTS.values()))
    reps = list(REPS)
    shop_name = names.ShopNames(rng)
    for index in range(count):
        name, domain = shop_name(index)
        first, last = names.contact_name(rng)
        phone = f"({rng.choice(AREA_CODES)}) 555-01{rng.randrange(100):02d}"  # fictional 555s
        level = rng.choices(levels, cum_weights=level_cum_weights)[0]
        yield (
            customer_number(index),
            name,
            f"{first} {last}",
            f"{first[0]}{last}@{domain}".lower().replace("'", ""),
            phone,
            level_ids[level],
            rep_ids[rng.choice(reps)],
            True,
        )


@dataclass(frozen=True)
class ProductSpec:
    item_id: str
    name: str
    prices: dict[int, Decimal]  # level number -> unit price


def generate_products(rng: random.Random, count: int) -> list[ProductSpec]:
    """The catalog; product i is the same whatever the count, and no two share a name."""
    kinds = [kinds_of(line, rng) for line in PRODUCT_LINES]
    return [product_spec(rng, index, kinds) for index in range(count)]


# One kind of product: the item, its kind ("Brass"), size and pack (an index into item.packs).
Kind = tuple[Item, str, str, int]


def kinds_of(line: ProductLine, rng: random.Random) -> list[Kind]:
    """Every kind of product a line makes, in an order the seed shuffles."""
    kinds = [
        (item, kind, size, pack)
        for item in line.items
        for kind in item.kinds
        for size in item.sizes
        for pack in range(len(item.packs))
    ]
    rng.shuffle(kinds)
    return kinds


def product_spec(rng: random.Random, index: int, kinds: list[list[Kind]]) -> ProductSpec:
    # The category follows the index, so item ids are the same whatever the seed. Each line
    # goes through its kinds in turn, then again under a maker's name (names.variant).
    line, position = index % len(PRODUCT_LINES), index // len(PRODUCT_LINES)
    prefix, dashed = PRODUCT_LINES[line].prefix, PRODUCT_LINES[line].dashed
    round_number, kind_number = divmod(position, len(kinds[line]))
    item, kind, size, pack = kinds[line][kind_number]
    item_id = f"{prefix}-{10001 + index}" if dashed else f"{prefix}_{2001 + index}"
    made_by = names.variant(round_number)
    name = f"{made_by} {kind} {item.noun}, {size} ({item.packs[pack]})".lstrip()
    low, high = item.unit_cents
    # Log-uniform, so cheap items are common and dear ones rare. The float only picks a
    # whole number of cents; the price itself is an exact Decimal.
    unit = Decimal(int(low * (high / low) ** rng.random())) / 100
    ratio = pack_size(item.packs[pack]) / pack_size(item.packs[0])
    base = to_cents(unit * ratio * PACK_DISCOUNT if pack else unit)
    levels = [level for level in LEVELS if level > 0 and rng.random() >= MISSING_PRICE_CHANCE]
    if not levels:  # every product sells at some level besides the base price
        levels = [rng.choice([level for level in LEVELS if level > 0])]
    prices = {0: base} | {level: to_cents(base * LEVEL_FACTORS[level]) for level in levels}
    return ProductSpec(item_id, name, prices)


def pack_size(pack: str) -> Decimal:
    """Units in a pack: "Case of 12" -> 12, "Each" or "Pair" -> 1."""
    return Decimal(pack.rsplit(" ", 1)[-1]) if pack[-1].isdigit() else Decimal(1)


def touch_delay(rng: random.Random, age: int) -> int:
    """Seconds from a cart's start to its last touch; `age` is seconds since the start."""
    roll = rng.random()
    if roll < 0.2:
        return 0  # never looked at again
    if roll < 0.4:
        return age - rng.randrange(min(age, DAY // 3) + 1)  # within the last eight hours
    if roll < 0.6:
        return age - rng.randrange(min(age, 7 * DAY) + 1)  # within the last week
    return rng.randrange(age + 1)


def submit_delay(rng: random.Random, since_touch: int) -> int:
    """Customers submit soon after their last look: within two hours, never in the future."""
    return rng.randrange(min(since_touch, 2 * 60 * 60) + 1)


# About one open cart in ten has a follow-up date, from a week ago (overdue) to three weeks on.
FOLLOW_UP_PERCENT = 10
FOLLOW_UP_DAYS = range(-7, 22)


def follow_up_day(cart_id: int, now: int) -> datetime.date | None:
    """A follow-up date for some open carts, chosen by the cart's id (not the random stream,
    so the rest of a seed stays as it was): None for most."""
    spread = (cart_id * 2654435761) % 2**32  # Knuth's multiplicative hash
    if spread % 100 >= FOLLOW_UP_PERCENT:
        return None
    offset = FOLLOW_UP_DAYS[(spread // 100) % len(FOLLOW_UP_DAYS)]
    return moment(now).date() + datetime.timedelta(days=offset)


def moment(epoch_seconds: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(epoch_seconds, datetime.UTC)


def staff_changed_level(
    rng: random.Random, level_id: int, products: list[int], priced: Mapping[int, Container[int]]
) -> int:
    """Another level, as if staff changed it: one that every product in the cart is sold at.
    `priced` maps each level id to the products priced there."""
    candidates = [
        other
        for other, at_level in priced.items()
        if other != level_id and all(product_id in at_level for product_id in products)
    ]
    return rng.choice(candidates) if candidates else level_id
