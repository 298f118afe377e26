"""Names for the demo store: its shops (customers) and its products, each unique however many
are made (millions of shops, the most products seed_demo allows), and plausible.

Unique by construction, not by luck: row i's name is the i-th combination of the word lists
below, in an order the seed shuffles (ShopNames; products: shapes.product_spec), so no two rows
share one and row i is the same whatever the count.
"""

import random

PLACE_WORDS = (
    "Blue", "Cedar", "Maple", "Oak", "Pine", "Willow", "Birch", "Aspen", "Elm", "Spruce",
    "Juniper", "Magnolia", "Cypress", "Hickory", "Walnut", "Cherry", "Laurel", "Holly", "Sage",
    "Copper", "Silver", "Iron", "Granite", "Stone", "Red", "Green", "Golden", "Clear", "North",
    "South", "East", "West", "High", "Old", "Fox", "Deer", "Eagle", "Hawk", "Bear", "Elk",
    "Heron", "Otter", "Sun", "Sand", "Mill", "Bell", "Lake", "River", "Spring", "Summit",
    "Prairie", "Harbor", "Meadow", "Timber", "Rose", "Quail", "Raven", "Crystal", "Amber", "Twin",
)  # fmt: skip
PLACE_ENDS = (
    "Creek", "Ridge", "Hollow", "Valley", "Hill", "Point", "Springs", "Falls", "Brook", "Meadow",
    "Grove", "Bend", "Crossing", "Landing", "Harbor", "Lake", "Bluff", "Canyon", "Field", "Glen",
    "Haven", "Heights", "Mesa", "Mill", "Park", "Peak", "Pines", "Shore", "Trail", "Woods",
    "Gate", "Bay", "Station", "Square", "Corner", "Junction", "Ford", "Run", "Rapids", "Flats",
)  # fmt: skip
TOWNS = (
    "Asheville", "Bend", "Boise", "Burlington", "Duluth", "Flagstaff", "Missoula", "Portland",
    "Santa Fe", "Savannah", "Taos", "Traverse City", "Bozeman", "Madison", "Chattanooga",
    "Ames", "Athens", "Bar Harbor", "Billings", "Bismarck", "Boulder", "Charleston", "Cody",
    "Durango", "Eugene", "Fargo", "Galena", "Helena", "Ithaca", "Jackson", "Juneau", "Keene",
    "Laramie", "Lexington", "Marquette", "Moab", "Mystic", "Napa", "Nashua", "Ogden", "Olympia",
    "Paducah", "Pueblo", "Rapid City", "Reno", "Roanoke", "Salem", "Sedona", "Sheridan",
    "Sitka", "Spokane", "Stowe", "Tahoe City", "Tucson", "Tupelo", "Walla Walla", "Wausau",
    "Whitefish", "Yakima", "Ypsilanti",
)  # fmt: skip
SURNAMES = (
    "Miller", "Anderson", "Carter", "Hughes", "Bennett", "Foster", "Dalton", "Hayes", "Porter",
    "Sullivan", "Whitman", "Garza", "Nguyen", "Larsen", "Brooks", "Reyes", "Fischer", "Patel",
    "Murphy", "Kowalski", "Okafor", "Chen", "Schmidt", "Romero", "Yamamoto", "Novak", "Alvarez",
    "Becker", "Castillo", "Donovan", "Erikson", "Ferreira", "Gallagher", "Hansen", "Ibarra",
    "Jensen", "Kaplan", "Lindgren", "Mahoney", "Nakamura", "O'Brien", "Petrov", "Quinn",
    "Rasmussen", "Santos", "Tran", "Underwood", "Vance", "Walsh", "Yilmaz", "Zimmerman",
    "Abbott", "Bishop", "Coleman", "Delgado", "Ellison", "Fontaine", "Gupta", "Holloway", "Kim",
)  # fmt: skip
FIRST_NAMES = (
    "James", "Mary", "Robert", "Linda", "Michael", "Susan", "David", "Karen", "Carlos", "Maria",
    "Wei", "Mei", "Ahmed", "Amira", "Raj", "Anita", "Kevin", "Laura", "Jamal", "Tanya", "Erik",
    "Ingrid", "Patrick", "Colleen", "Luis", "Rosa", "Daniel", "Hannah", "Tyler", "Megan", "Olga",
    "Sven", "Priya", "Diego", "Fatima", "Noah", "Grace", "Omar", "Leah", "Hiro", "Chloe", "Ben",
)  # fmt: skip
SHOP_TRADES = (
    "Hardware", "Gifts", "Outfitters", "Home & Garden", "Supply", "Mercantile", "General Store",
    "Boutique", "Farm & Ranch", "Hardware & Lumber", "Kitchen Store", "Pet Supply",
    "Trading Post", "Feed & Seed", "Garden Center", "Gift Shop", "Variety", "Home Center",
    "Marine Supply", "Craft Supply", "Jewelers", "Candle Shop", "Emporium", "Country Store",
    "Lumber Yard", "Nursery", "Pet Shop", "Cookware", "Home Goods", "Paint & Hardware",
    "Building Supply", "Tack & Feed", "Florist", "Market", "Provisions", "Outdoor Supply",
    "Bead Shop", "Kitchen & Bath", "Housewares", "Dry Goods", "Apothecary", "Hobby Shop",
    "Home & Hearth", "Garden Supply", "Animal Supply", "Lighting", "Fly Shop", "Hearth & Home",
)  # fmt: skip
# No "& Co." or "& Sons": many trades hold an "&" already ("Home & Garden").
SHOP_SUFFIXES = ("", " LLC", " Inc.", " Co.", " Corp.")


def places() -> list[str]:
    """Two-word places ("Cedar Creek", "Fox Hollow"), leaving out "Lake Lake", "Mill Mill" and
    "Spring Springs", then the towns themselves ("Bozeman Hardware")."""
    pairs = [
        f"{word} {end}"
        for word in PLACE_WORDS
        for end in PLACE_ENDS
        if not (end.startswith(word) or word.startswith(end))
    ]
    return pairs + list(TOWNS)


def owners(surname: str) -> tuple[str, str, str]:
    """A family business: "Garza's", "Garza Brothers", "Garza Family"."""
    owned = f"{surname}'" if surname.endswith("s") else f"{surname}'s"
    return owned, f"{surname} Brothers", f"{surname} Family"


class ShopNames:
    """Shop names: first every "<lead> <trade><suffix>" (Cedar Creek Hardware LLC, Garza's
    Gifts; about 630,000 of them), then each of those with a town ("… of Bozeman"), 38 million
    more.

    Shop i's number, as digits (lead, trade, suffix, town), picks one of each list: the leads
    in an order the seed shuffles, each later digit turned by an amount its lead decides. Each
    digit is a one-to-one function of the number given the digits before it, so two shops
    never get the same name, and the first shops all have leads of their own.
    """

    def __init__(self, rng: random.Random) -> None:
        self.leads = places() + [form for surname in SURNAMES for form in owners(surname)]
        rng.shuffle(self.leads)
        self.turns = [
            (
                rng.randrange(len(SHOP_TRADES)),
                rng.randrange(len(SHOP_SUFFIXES)),
                rng.randrange(len(TOWNS)),
            )
            for _ in self.leads
        ]
        self.plain = len(self.leads) * len(SHOP_TRADES) * len(SHOP_SUFFIXES)

    def __call__(self, index: int) -> tuple[str, str]:
        """Shop `index`'s business name and the e-mail domain that goes with it."""
        number = index - self.plain if index >= self.plain else index
        number, lead = divmod(number, len(self.leads))
        number, trade = divmod(number, len(SHOP_TRADES))
        town, suffix = divmod(number, len(SHOP_SUFFIXES))
        if town >= len(TOWNS):
            raise ValueError(f"No more than {self.plain * (1 + len(TOWNS))} shop names.")
        trade_turn, suffix_turn, town_turn = self.turns[lead]
        trade = (trade + trade_turn) % len(SHOP_TRADES)
        suffix = (suffix + suffix_turn + trade) % len(SHOP_SUFFIXES)
        base = f"{self.leads[lead]} {SHOP_TRADES[trade]}"
        if index >= self.plain:
            base += f" of {TOWNS[(town + town_turn + trade) % len(TOWNS)]}"
        domain = "".join(char for char in base.lower() if char.isalnum())
        return base + SHOP_SUFFIXES[suffix], f"{domain}.example"


def contact_name(rng: random.Random) -> tuple[str, str]:
    """A buyer's first and last name (people's names repeat, as they do)."""
    return rng.choice(FIRST_NAMES), rng.choice(SURNAMES)


# Makers that tell apart products that are otherwise alike ("Hillcrest Brass Wood Screw, …"),
# alone and then with a collection ("Hillcrest Heritage Brass Wood Screw, …").
MAKERS = (
    "Hillcrest", "Northwind", "Copperleaf", "Stonebridge", "Bluewater", "Redfern", "Ironwood",
    "Larkspur", "Meridian", "Oakhaven", "Pioneer", "Silverline", "Tidewater", "Windham",
    "Ashford", "Brightwater", "Canfield", "Driftwood", "Fairmont", "Greystone", "Harwell",
    "Kingsley", "Lakeshore", "Whitlock",
)  # fmt: skip
COLLECTIONS = ("Classic", "Heritage", "Pro", "Select", "Signature", "Studio", "Artisan",
               "Essentials", "Reserve", "Craft")  # fmt: skip
VARIANTS = ("", *MAKERS, *(f"{maker} {line}" for line in COLLECTIONS for maker in MAKERS))


def variant(round_number: int) -> str:
    """What goes before the n-th product of the same kind, size and pack: nothing, then a maker."""
    if round_number >= len(VARIANTS):
        raise ValueError(f"No more than {len(VARIANTS)} products of one kind, size and pack.")
    return VARIANTS[round_number]
