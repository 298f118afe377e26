"""Fill the store with realistic demo data: price levels, reps, customers, products and carts.

Reference data is upserted by its natural key, so a second run with the same seed changes
nothing; carts are only added to an empty cart table (or after --reset). Big runs stream rows
through COPY on PostgreSQL; SQLite, the laptop default, gets bulk_create.
"""

import datetime
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Count, Max, Q, signals
from tqdm import tqdm

from carts.models import Cart, CartLine
from customers.models import Customer, SalesRep
from pricing.models import PriceLevel, Product, ProductPrice
from pricing.money import to_cents

LEVELS = {
    0: "Base Price",
    1: "Wholesale",
    2: "Stocking Dealer",
    3: "Non Stocking",
    4: "Distributor",
    5: "Key Account",
}
# Share of the base price each level pays: the higher the level number, the better the deal.
LEVEL_FACTORS = {
    0: Decimal("1.00"),
    1: Decimal("0.80"),
    2: Decimal("0.72"),
    3: Decimal("0.68"),
    4: Decimal("0.60"),
    5: Decimal("0.55"),
}
# Most shops buy at Wholesale, Stocking Dealer or Non Stocking.
CUSTOMER_LEVEL_WEIGHTS = {0: 4, 1: 32, 2: 28, 3: 22, 4: 8, 5: 6}
# Chance a product has no price at a given level above 0: about 5% of all (product, level) pairs.
MISSING_PRICE_CHANCE = 0.06

REPS = {
    101: "Dana Whitfield",
    102: "Marcus Oyelaran",
    103: "Priya Raman",
    104: "Tom Kowalski",
    105: "Elena Vasquez",
    106: "Brian O'Connell",
    107: "Keiko Tanaka",
    108: "Samuel Greene",
    109: "Alicia Moreno",
    110: "Derek Lindqvist",
    111: "Fatima Haddad",
    112: "Grace Whitaker",
}
# Reserved domains (RFC 2606), so a demo database never holds a real person's address.
STORE_EMAIL_DOMAIN = "juniper-wholesale.example"

SHOP_PLACES = (
    "Blue Ridge", "Maple Street", "Harbor", "Cedar Creek", "Old Town", "Lakeside", "Prairie",
    "Summit", "Riverbend", "Pinecrest", "Northgate", "Copper Canyon", "Willow Bend", "Bayview",
    "Granite State", "Juniper Hill", "Main Street", "Stonebridge", "Red Barn", "Silver Lake",
    "Hilltop", "Frontier", "Coastal", "Heartland", "Iron Horse", "Magnolia", "Sunrise",
    "Twin Pines", "Valley", "Westside", "Eastfield", "Oak Hollow", "Lighthouse", "Mill Creek",
    "Sandstone", "Birchwood", "High Desert", "Evergreen", "Union Square", "Crossroads",
)  # fmt: skip
SHOP_TRADES = (
    "Hardware", "Gifts", "Outfitters", "Home & Garden", "Supply", "Mercantile", "General Store",
    "Boutique", "Farm & Ranch", "Hardware & Lumber", "Kitchen Store", "Pet Supply",
    "Trading Post", "Feed & Seed", "Garden Center", "Gift Shop", "Variety", "Home Center",
    "Marine Supply", "Craft Supply", "Jewelers", "Candle Co.", "Emporium", "Country Store",
)  # fmt: skip
SHOP_SUFFIXES = ("", "", "", "", " LLC", " Inc.", " & Co.", " & Sons")
TOWNS = (
    "Asheville", "Bend", "Boise", "Burlington", "Duluth", "Flagstaff", "Missoula", "Portland",
    "Santa Fe", "Savannah", "Taos", "Traverse City", "Bozeman", "Madison", "Chattanooga",
)  # fmt: skip
FIRST_NAMES = (
    "James", "Mary", "Robert", "Linda", "Michael", "Susan", "David", "Karen", "Carlos", "Maria",
    "Wei", "Mei", "Ahmed", "Amira", "Raj", "Anita", "Kevin", "Laura", "Jamal", "Tanya",
    "Erik", "Ingrid", "Patrick", "Colleen", "Luis", "Rosa", "Daniel", "Hannah", "Tyler", "Megan",
)  # fmt: skip
LAST_NAMES = (
    "Miller", "Anderson", "Carter", "Hughes", "Bennett", "Foster", "Dalton", "Hayes", "Porter",
    "Sullivan", "Whitman", "Garza", "Nguyen", "Larsen", "Brooks", "Reyes", "Fischer", "Patel",
    "Murphy", "Kowalski", "Okafor", "Chen", "Schmidt", "Romero", "Yamamoto", "Novak",
)  # fmt: skip
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

# Plain strings: psycopg would dump the TextChoices enum members by name.
OPEN, SUBMITTED = Cart.Status.OPEN.value, Cart.Status.SUBMITTED.value
DAY = 24 * 60 * 60
MAX_CART_AGE = 180 * DAY
SUBMITTED_SHARE = 0.15
# Open carts whose price level staff changed away from the customer's.
STAFF_LEVEL_CHANGE_CHANCE = 0.05
LINE_COUNTS = tuple(range(1, 13))
LINE_COUNT_CUM_WEIGHTS = tuple(accumulate((10, 12, 13, 13, 12, 10, 8, 7, 5, 4, 3, 3)))  # ~5.1
QUANTITIES = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 20, 24, 30, 36, 48)
QUANTITY_CUM_WEIGHTS = tuple(accumulate((18, 14, 8, 9, 5, 12, 5, 7, 9, 2, 1, 3, 4, 1, 1, 1)))
# Carts per round trip: big enough that COPY dominates, small enough to keep memory flat.
CHUNK_SIZE = 20_000

CART_COLUMNS = (
    "id",
    "customer_id",
    "price_level_id",
    "rep_number",
    "status",
    "created_at",
    "last_touched_at",
    "submitted_at",
    "total",
)
LINE_COLUMNS = ("id", "cart_id", "product_id", "quantity", "unit_price")

CUSTOMER_COLUMNS = (
    "customer_number",
    "name",
    "contact_name",
    "email",
    "phone",
    "price_level_id",
    "sales_rep_id",
    "is_active",
)


# ---------------------------------------------------------------------------------------
# Loading rows: one code path, COPY on PostgreSQL and bulk_create on SQLite.


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert new rows, each a tuple of column values in `columns` order."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            copy_rows(cursor, model._meta.db_table, columns, rows)
    else:
        model.objects.bulk_create(model(**dict(zip(columns, row, strict=True))) for row in rows)


def upsert_rows(
    model: type[models.Model],
    keys: Sequence[str],
    columns: Sequence[str],
    rows: Iterable[tuple],
) -> None:
    """Insert rows, or update the existing row with the same natural key (`keys`)."""
    updates = [column for column in columns if column not in keys]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(**dict(zip(columns, row, strict=True))) for row in rows),
            update_conflicts=True,
            unique_fields=keys,
            update_fields=updates,
        )
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    staging_name = f"seed_demo_{model._meta.db_table}"
    staging = quote(staging_name)
    names = ", ".join(quote(column) for column in columns)
    assignments = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in updates)
    current = ", ".join(f"{table}.{quote(c)}" for c in updates)
    incoming = ", ".join(f"EXCLUDED.{quote(c)}" for c in updates)
    with connection.cursor() as cursor:
        # COPY cannot upsert, so stage the rows and merge them in one statement.
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {names} FROM {table} LIMIT 0")
        copy_rows(cursor, staging_name, columns, rows)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} "
            f"ON CONFLICT ({', '.join(quote(k) for k in keys)}) DO UPDATE SET {assignments} "
            # Skip rows that already match: a re-run then rewrites nothing.
            f"WHERE ({current}) IS DISTINCT FROM ({incoming})"
        )
        cursor.execute(f"DROP TABLE {staging}")


def copy_rows(cursor, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Stream rows into a PostgreSQL table with COPY, through the psycopg 3 cursor."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def next_id(model: type[models.Model]) -> int:
    """The first id to assign by hand: past every id ever handed out, not only those in use,
    so a new cart never takes the number that a deleted cart's audit entries remember."""
    table = model._meta.db_table
    highest = model.objects.aggregate(top=Max("pk"))["top"] or 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, 'id'))", [table]
            )
        else:
            cursor.execute("SELECT max(seq) FROM sqlite_sequence WHERE name = %s", [table])
        issued = cursor.fetchone()[0] or 0
    return max(highest, issued) + 1


def reset_sequences(*seeded: type[models.Model]) -> None:
    """Move id sequences past the ids assigned here (PostgreSQL; SQLite needs nothing)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(seeded)):
            cursor.execute(sql)


# ---------------------------------------------------------------------------------------
# Reference data: price levels, reps, customers, products and their prices.


def seed_price_levels() -> dict[int, int]:
    """Upsert the levels; returns level number -> id."""
    rows = [(number, name, "USD", True) for number, name in LEVELS.items()]
    upsert_rows(PriceLevel, ["number"], ["number", "name", "currency", "is_active"], rows)
    return dict(PriceLevel.objects.filter(number__in=LEVELS).values_list("number", "pk"))


def seed_sales_reps() -> dict[int, int]:
    """Upsert the reps; returns rep number -> id."""
    rows = [(number, name, rep_email(name), True) for number, name in REPS.items()]
    upsert_rows(SalesRep, ["rep_number"], ["rep_number", "name", "email", "is_active"], rows)
    return dict(SalesRep.objects.filter(rep_number__in=REPS).values_list("rep_number", "id"))


def rep_email(name: str) -> str:
    first, last = name.lower().replace("'", "").split()
    return f"{first}.{last}@{STORE_EMAIL_DOMAIN}"


def customer_number(index: int) -> str:
    return f"C{10001 + index}"


def generate_customers(
    rng: random.Random, count: int, level_ids: dict[int, int], rep_ids: dict[int, int]
) -> Iterator[tuple]:
    """Customer rows in CUSTOMER_COLUMNS order; customer i is the same whatever the count."""
    levels = list(CUSTOMER_LEVEL_WEIGHTS)
    level_cum_weights = list(accumulate(CUSTOMER_LEVEL_WEIGHTS.values()))
    reps = list(REPS)
    for index in range(count):
        name, domain = shop_name(rng)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        phone = f"({rng.choice(AREA_CODES)}) 555-01{rng.randrange(100):02d}"  # fictional 555s
        level = rng.choices(levels, cum_weights=level_cum_weights)[0]
        yield (
            customer_number(index),
            name,
            f"{first} {last}",
            f"{first[0]}{last}@{domain}".lower(),
            phone,
            level_ids[level],
            rep_ids[rng.choice(reps)],
            True,
        )


def shop_name(rng: random.Random) -> tuple[str, str]:
    """A shop's business name and the e-mail domain that goes with it."""
    trade = rng.choice(SHOP_TRADES)
    if rng.random() < 0.35:
        owner = rng.choice(LAST_NAMES)
        base = f"{owner}' {trade}" if owner.endswith("s") else f"{owner}'s {trade}"
    else:
        base = f"{rng.choice(SHOP_PLACES)} {trade}"
    if rng.random() < 0.2:
        base = f"{base} of {rng.choice(TOWNS)}"
    suffix = rng.choice(SHOP_SUFFIXES)
    if trade.endswith("Co."):  # no "Candle Co. & Co."
        suffix = ""
    domain = "".join(char for char in base.lower() if char.isalnum())
    return base + suffix, f"{domain}.example"


@dataclass(frozen=True)
class ProductSpec:
    item_id: str
    name: str
    prices: dict[int, Decimal]  # level number -> unit price


def generate_products(rng: random.Random, count: int) -> list[ProductSpec]:
    """The catalog; product i is the same whatever the count."""
    return [product_spec(rng, index) for index in range(count)]


def product_spec(rng: random.Random, index: int) -> ProductSpec:
    # The category follows the index, so item ids are the same whatever the seed.
    line = PRODUCT_LINES[index % len(PRODUCT_LINES)]
    item = rng.choice(line.items)
    pack = rng.randrange(len(item.packs))
    item_id = f"{line.prefix}-{10001 + index}" if line.dashed else f"{line.prefix}_{2001 + index}"
    name = f"{rng.choice(item.kinds)} {item.noun}, {rng.choice(item.sizes)} ({item.packs[pack]})"
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


def seed_products(specs: list[ProductSpec], level_ids: dict[int, int]) -> dict[str, int]:
    """Upsert products and their prices; returns item id -> product id."""
    upsert_rows(
        Product,
        ["item_id"],
        ["item_id", "name", "is_active"],
        ((spec.item_id, spec.name, True) for spec in specs),
    )
    seeded = {spec.item_id for spec in specs}
    product_ids = {
        item_id: pk
        for item_id, pk in Product.objects.values_list("item_id", "id")
        if item_id in seeded
    }
    upsert_rows(
        ProductPrice,
        ["product_id", "price_level_id"],
        ["product_id", "price_level_id", "unit_price"],
        (
            (product_ids[spec.item_id], level_ids[level], price)
            for spec in specs
            for level, price in spec.prices.items()
        ),
    )
    return product_ids


# ---------------------------------------------------------------------------------------
# Carts and their lines.


@dataclass(frozen=True)
class PriceBook:
    """Prices by level id and product id as integer cents and exact text.

    Precomputed so that millions of lines cost only dictionary look-ups: no Decimal
    arithmetic or formatting per line. The text is what COPY sends anyway.
    """

    cents: dict[int, dict[int, int]]
    text: dict[int, dict[int, str]]
    products: dict[int, list[int]]  # level id -> product ids priced there, in catalog order


def price_book(
    specs: list[ProductSpec], product_ids: dict[str, int], level_ids: dict[int, int]
) -> PriceBook:
    cents: dict[int, dict[int, int]] = {level_id: {} for level_id in level_ids.values()}
    text: dict[int, dict[int, str]] = {level_id: {} for level_id in level_ids.values()}
    for spec in specs:
        product_id = product_ids[spec.item_id]
        for level, price in spec.prices.items():
            cents[level_ids[level]][product_id] = int(price * 100)
            text[level_ids[level]][product_id] = str(price)
    products = {level_id: list(prices) for level_id, prices in cents.items()}
    return PriceBook(cents, text, products)


@dataclass(frozen=True)
class CartPlan:
    now: int  # epoch seconds
    carts: int
    submitted: int
    customer_ids: list[int]  # seeded customers, in customer-number order
    customer_level_ids: list[int]  # each customer's own price level
    customer_rep_numbers: list[int]  # each customer's rep's number, which carts carry
    prices: PriceBook

    @property
    def open(self) -> int:
        return self.carts - self.submitted


def seeded_customers(count: int) -> tuple[list[int], list[int], list[int]]:
    """Ids, price levels and rep numbers of customers C10001… in order, as stored."""
    wanted = {customer_number(index): index for index in range(count)}
    ids, level_ids, rep_numbers = [0] * count, [0] * count, [0] * count
    rows = Customer.objects.values_list(
        "customer_number", "id", "price_level_id", "sales_rep__rep_number"
    )
    for number, pk, level_id, rep_number in rows.iterator(chunk_size=20_000):
        index = wanted.get(number)
        if index is not None:
            ids[index], level_ids[index], rep_numbers[index] = pk, level_id, rep_number
    return ids, level_ids, rep_numbers


def generate_carts(
    plan: CartPlan, rng: random.Random, first_cart_id: int, first_line_id: int
) -> Iterator[tuple[list[tuple], list[tuple]]]:
    """Cart rows and line rows, CHUNK_SIZE carts at a time; ids follow the start dates."""
    carts: list[tuple] = []
    lines: list[tuple] = []
    cart_id, line_id = first_cart_id, first_line_id
    prices = plan.prices
    ages = sorted((rng.randrange(MAX_CART_AGE) for _ in range(plan.carts)), reverse=True)
    # Each open cart gets a customer of its own (one open cart per customer).
    open_customers = iter(rng.sample(range(len(plan.customer_ids)), plan.open))
    submitted_left = plan.submitted
    for position, age in enumerate(ages):
        # Selection sampling: exactly plan.submitted carts end up submitted, spread evenly.
        submitted = rng.random() * (plan.carts - position) < submitted_left
        if submitted:
            submitted_left -= 1
            customer = rng.randrange(len(plan.customer_ids))
        else:
            customer = next(open_customers)
        level_id = plan.customer_level_ids[customer]
        available = prices.products[level_id]
        count = rng.choices(LINE_COUNTS, cum_weights=LINE_COUNT_CUM_WEIGHTS)[0]
        products = rng.sample(available, min(count, len(available)))
        if not submitted and rng.random() < STAFF_LEVEL_CHANGE_CHANCE:
            level_id = staff_changed_level(rng, level_id, products, prices)
        quantities = rng.choices(QUANTITIES, cum_weights=QUANTITY_CUM_WEIGHTS, k=len(products))
        cents, text = prices.cents[level_id], prices.text[level_id]
        total = 0
        for product_id, quantity in zip(products, quantities, strict=True):
            lines.append((line_id, cart_id, product_id, quantity, text[product_id]))
            total += quantity * cents[product_id]
            line_id += 1
        created = plan.now - age
        touched = created + touch_delay(rng, age)
        carts.append(
            (
                cart_id,
                plan.customer_ids[customer],
                level_id,
                plan.customer_rep_numbers[customer],
                SUBMITTED if submitted else OPEN,
                moment(created),
                moment(touched),
                moment(touched + submit_delay(rng, plan.now - touched)) if submitted else None,
                f"{total // 100}.{total % 100:02d}",
            )
        )
        cart_id += 1
        if len(carts) == CHUNK_SIZE:
            yield carts, lines
            carts, lines = [], []
    if carts:
        yield carts, lines


def staff_changed_level(
    rng: random.Random, level_id: int, products: list[int], prices: PriceBook
) -> int:
    """Another level, as if staff changed it: one that every product in the cart is sold at."""
    candidates = [
        other
        for other, priced in prices.cents.items()
        if other != level_id and all(product_id in priced for product_id in products)
    ]
    return rng.choice(candidates) if candidates else level_id


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


def moment(epoch_seconds: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(epoch_seconds, datetime.UTC)


def load_carts(plan: CartPlan, rng: random.Random, progress: tqdm, *, reset: bool) -> None:
    """Load the planned carts and lines, first deleting the present ones if `reset`."""
    with indexes_built_after_load(Cart, CartLine):
        if reset:
            delete_all_carts()
        rows = generate_carts(plan, rng, next_id(Cart), next_id(CartLine))
        for carts, lines in rows:
            insert_rows(Cart, CART_COLUMNS, carts)
            insert_rows(CartLine, LINE_COLUMNS, lines)
            progress.update(len(carts))
    reset_sequences(Cart, CartLine)


def delete_all_carts() -> None:
    """Delete every cart and line; what else points at a cart gets its on_delete rule.

    On PostgreSQL this runs inside indexes_built_after_load, with no foreign key in the way,
    so it can TRUNCATE: the ORM's delete loads every cart first, a minute and 1.5 GB for a
    million. Whatever TRUNCATE would skip (a rule other than SET_NULL, a delete signal) takes
    the ORM's way.
    """
    referrers = [
        relation
        for model in (Cart, CartLine)
        for relation in relations_pointing_at(model)
        if relation.related_model is not CartLine
    ]
    listened = any(
        signal.has_listeners(model)
        for signal in (signals.pre_delete, signals.post_delete)
        for model in (Cart, CartLine)
    )
    if (
        connection.vendor != "postgresql"
        or listened
        or any(relation.on_delete is not models.SET_NULL for relation in referrers)
    ):
        CartLine.objects.all().delete()
        Cart.objects.all().delete()
        return
    for relation in referrers:
        name = relation.field.name
        related = relation.related_model._base_manager
        related.filter(**{f"{name}__isnull": False}).update(**{name: None})
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {quote(CartLine._meta.db_table)}, {quote(Cart._meta.db_table)}")


def relations_pointing_at(model: type[models.Model]) -> list[models.ForeignObjectRel]:
    """Other models' foreign keys to `model`, hidden ones too, as Django's delete finds them."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)
    ]


# Foreign keys and unique constraints on the tables, and foreign keys pointing at them (which
# would stop a TRUNCATE); foreign keys first, as a unique constraint may be what they need.
CONSTRAINTS_SQL = """
    SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
    FROM pg_constraint
    WHERE (conrelid = ANY(%(tables)s::regclass[]) AND contype IN ('f', 'u'))
       OR (confrelid = ANY(%(tables)s::regclass[]) AND contype = 'f')
    ORDER BY contype
"""
# The tables' other indexes; those a constraint relies on (primary keys) stay.
INDEXES_SQL = """
    SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)
    FROM pg_index
    WHERE indrelid = ANY(%(tables)s::regclass[])
      AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)
"""


@contextmanager
def indexes_built_after_load(*loaded: type[models.Model]) -> Iterator[None]:
    """Drop the tables' secondary indexes, unique and foreign-key constraints for a bulk load
    on PostgreSQL, and put the same definitions back afterwards.

    Building an index once and checking a foreign key with one join is several times faster
    than both row by row (the PostgreSQL manual's "Populating a Database"). It all happens in
    the caller's transaction: a failure leaves the schema as it was. Other sessions wait for
    the tables meanwhile, which is fine for demo data.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = {"tables": [model._meta.db_table for model in loaded]}
    # Run the checks still deferred: PostgreSQL refuses to alter a table with pending
    # trigger events.
    connection.check_constraints()
    with connection.cursor() as cursor:
        cursor.execute(CONSTRAINTS_SQL, tables)
        constraints = cursor.fetchall()
        cursor.execute(INDEXES_SQL, tables)
        indexes = cursor.fetchall()
        for table, name, _ in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in reversed(constraints):
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        # Fresh statistics, so the Open Carts queries plan well straight away.
        quoted = ", ".join(connection.ops.quote_name(table) for table in tables["tables"])
        cursor.execute(f"ANALYZE {quoted}")


# ---------------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Load a realistic demo store: price levels, sales reps, customers, products, prices "
        "and open and submitted carts. Safe to run again; --reset replaces the carts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--carts", type=int, default=350, help="Carts to create, ~85%% open (default 350)."
        )
        parser.add_argument(
            "--customers",
            type=int,
            default=300,
            help="Customers (default 300); raised to the number of open carts if that is more.",
        )
        parser.add_argument("--products", type=int, default=400, help="Products (default 400).")
        parser.add_argument(
            "--reset", action="store_true", help="Delete all carts and their lines first."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        seed, cart_count = options["seed"], options["carts"]
        if cart_count < 0 or options["customers"] < 1:
            raise CommandError("--carts must be 0 or more and --customers at least 1.")
        if options["products"] < 10:
            # Fewer products could leave a price level with nothing to put in a cart.
            raise CommandError("--products must be at least 10.")
        submitted = round(cart_count * SUBMITTED_SHARE)
        customer_count = max(options["customers"], cart_count - submitted)

        with transaction.atomic():
            level_ids = seed_price_levels()
            rep_ids = seed_sales_reps()
            customers = generate_customers(
                random.Random(f"{seed}:customers"), customer_count, level_ids, rep_ids
            )
            upsert_rows(Customer, ["customer_number"], CUSTOMER_COLUMNS, customers)
            specs = generate_products(random.Random(f"{seed}:products"), options["products"])
            product_ids = seed_products(specs, level_ids)

        with transaction.atomic():
            existing = Cart.objects.count()
            if existing and not options["reset"]:
                self.stdout.write(
                    f"Demo carts already present ({existing}); nothing to add. "
                    "Use --reset to replace them."
                )
            else:
                customer_ids, customer_level_ids, rep_numbers = seeded_customers(customer_count)
                plan = CartPlan(
                    now=int(time.time()),
                    carts=cart_count,
                    submitted=submitted,
                    customer_ids=customer_ids,
                    customer_level_ids=customer_level_ids,
                    customer_rep_numbers=rep_numbers,
                    prices=price_book(specs, product_ids, level_ids),
                )
                hide_progress = options["no_progress"] or options["verbosity"] == 0
                with tqdm(
                    total=cart_count, unit=" carts", file=sys.stderr, disable=hide_progress
                ) as progress:
                    rng = random.Random(f"{seed}:carts")
                    load_carts(plan, rng, progress, reset=bool(existing))

        if options["verbosity"]:
            self.stdout.write(self.summary(time.monotonic() - started))

    def summary(self, elapsed: float) -> str:
        carts = Cart.objects.aggregate(
            open=Count("id", filter=Q(status=Cart.Status.OPEN)),
            submitted=Count("id", filter=Q(status=Cart.Status.SUBMITTED)),
        )
        return (
            f"Price levels: {PriceLevel.objects.count()}, sales reps: {SalesRep.objects.count()}, "
            f"customers: {Customer.objects.count()}, products: {Product.objects.count()}, "
            f"open carts: {carts['open']}, submitted carts: {carts['submitted']} "
            f"({elapsed:.1f}s)"
        )
