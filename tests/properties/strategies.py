"""What fuzzed requests are made of: the real parameter and field names with sensible values,
mixed with garbage (odd text, huge and negative numbers, NUL bytes, unicode, repeated keys).

Values naming the store's own rows are tokens ("@open_a", "@dealer"…) that `World.resolve`
turns into ids, so an example means the same thing in every run."""

import datetime
from urllib.parse import urlencode

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

# Fixed rep numbers (the `world` fixture's), so query strings can name them.
REPS = (701, 702)
ODD_VALUES = (
    *("", " ", "\x00", "%00", "a\x00b", "-1", "0", "-0", "00", "1.5", "1e309", "1e-9"),
    *("NaN", "inf", "-inf", "0x1F", "9" * 40, "-" + "9" * 40, str(2**63), str(-(2**63) - 1)),
    *("é" * 300, "Δ", "🛒", "１２", " 7 ", "'; drop table carts_cart; --", "<b>x</b>"),
    *("\r\nX-Injected: 1", "~", "1~1", "~~", "%ZZ", "None", "[]", "true"),
)
GARBAGE: SearchStrategy[str] = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(max_size=40),
    st.integers().map(str),
    st.decimals().map(str),
)
FLAGS = st.sampled_from(["1", "on", "true", "0", "false", ""])
# Ends of query strings no encoder writes: bad percent escapes, invalid UTF-8, empty keys.
RAW_TAILS = ("", "", "&%ff=%fe", "&q=%C0%AF", "&%zz=1", "&=&&", "&q=%", "&sort=%00", ";page=2")


def mostly(sensible: SearchStrategy[str]) -> SearchStrategy[str]:
    """The sensible value three times in four, garbage otherwise."""
    return st.one_of(sensible, sensible, sensible, GARBAGE)


def refs(*names: str) -> SearchStrategy[str]:
    return st.sampled_from([f"@{name}" for name in names])


def numbers(low: int, high: int) -> SearchStrategy[str]:
    return st.integers(low, high).map(str)


def _cursor() -> SearchStrategy[str]:
    """A paging cursor, "sort value~tie-breaker", of any sort's kind of value."""
    value = st.one_of(
        st.datetimes(timezones=st.none() | st.just(datetime.UTC)).map(datetime.datetime.isoformat),
        st.decimals(min_value=-1, max_value=10**15, places=2).map(str),
        st.text(max_size=12),
        numbers(-(2**70), 2**70),
    )
    return st.tuples(value, numbers(-(2**70), 2**70)).map("~".join)


SORTS = ("created_at", "customer", "customer_number", "price_level", "rep_number", "total")
SORTS += ("days_open", "last_touch", "actions", "cart", "bogus")
MONEY = st.decimals(min_value=-1, max_value=10**13, places=2, allow_nan=False).map(str)
OPEN_CARTS_PARAMS: dict[str, SearchStrategy[str]] = {
    "q": st.sampled_from(["Shop", "T0", "%", "_", "Shop 0000"]) | st.text(max_size=12),
    "rep": st.sampled_from([str(number) for number in REPS] + ["1"]),
    "price_level": st.sampled_from(["0", "1", "2", "3", "20"]),
    **{
        f"{name}_{bound}": numbers(-3, 100_001)
        for name in ("days_open", "last_touch")
        for bound in ("min", "max")
    },
    "total_min": MONEY,
    "total_max": MONEY,
    "page": numbers(-2, 100_001),
    "after": _cursor(),
    "before": _cursor(),
    "last": FLAGS,
    "per_page": st.sampled_from(["25", "50", "100", "10", "0"]),
    "sort": st.tuples(st.sampled_from(["", "-"]), st.sampled_from(SORTS)).map("".join),
    # The Product filter: the world's items, an unknown one, odd text.
    "product": st.sampled_from(["P-1", "NOPE", "a b", ""]) | st.text(max_size=60),
}
DAY = st.dates().map(datetime.date.isoformat)
RECENTLY_DELETED_PARAMS: dict[str, SearchStrategy[str]] = {
    "q": OPEN_CARTS_PARAMS["q"],
    "deleted_by": numbers(-1, 10),
    "rep": OPEN_CARTS_PARAMS["rep"],
    "within_days": numbers(-3, 100_001),
    "deleted_from": DAY,
    "deleted_to": DAY,
    "page": numbers(-2, 100_001),
    "sort": st.sampled_from(["deleted_at", "-deleted_at", "customer", "total", "bogus"]),
}
# Fields no form has (the real ones get garbage values of their own).
JUNK_NAMES = st.sampled_from(["", "q[]", "x", "csrfmiddlewaretoken", "Cart", "action "])
JUNK_PAIR = st.tuples(JUNK_NAMES | st.text(max_size=8), GARBAGE)


def query_pairs(params: dict[str, SearchStrategy[str]]) -> SearchStrategy[list[tuple[str, str]]]:
    """Query parameters of the real names (repeats allowed), now and then a junk one."""
    known = st.sampled_from(sorted(params)).flatmap(
        lambda name: st.tuples(st.just(name), mostly(params[name]))
    )
    return st.lists(st.one_of(known, known, known, JUNK_PAIR), max_size=8)


def query_string(params: dict[str, SearchStrategy[str]]) -> SearchStrategy[str]:
    return st.builds(
        lambda pairs, tail: urlencode(pairs) + tail, query_pairs(params), st.sampled_from(RAW_TAILS)
    )


OPEN_CARTS_QUERY = query_string(OPEN_CARTS_PARAMS)
RECENTLY_DELETED_QUERY = query_string(RECENTLY_DELETED_PARAMS)
CART_REFS = refs("open_a", "open_b", "blocked", "submitted", "deleted", "clash", "clash_new")
CART_REFS |= refs("own_cart", "order")
# A few ids of real carts, mostly; now and then with garbage among them, or more than a
# page holds (a forged post).
SOME_CARTS = st.lists(CART_REFS, max_size=4)
CART_IDS = st.one_of(
    SOME_CARTS,
    SOME_CARTS,
    SOME_CARTS,
    st.lists(mostly(CART_REFS), max_size=4),
    st.integers(101, 110).map(lambda count: ["@open_a"] * count),
)
# Where to go after a restore: same-site paths, and off-site ones the view must turn away.
SAFE_NEXTS = st.sampled_from(
    [
        *("/carts/", "/carts/deleted/", "/carts/deleted/?q=Shop&page=2", "/shop/"),
        *("//evil.example/", "https://evil.example/", "javascript:alert(1)", "/carts/%0d%0a"),
        "/" + "a" * 3000,
    ]
)
# A bare word (not a path) and a header break: issue 11, defect 4.
ODD_NEXTS = st.sampled_from(["foo", "/carts/\r\nX-Injected: 1", "/carts/\x00", "carts"])


def maybe(value: SearchStrategy[str]) -> SearchStrategy[str | None]:
    """The value two times in three; otherwise the field is left out."""
    return st.one_of(value, value, st.none())


def form(fields: dict[str, SearchStrategy]) -> SearchStrategy[list[tuple[str, str]]]:
    """A form body as (name, value) pairs: a list value posts the name once per item, None
    leaves the field out; now and then a junk field too."""
    return st.builds(_pairs, st.fixed_dictionaries(fields), st.lists(JUNK_PAIR, max_size=2))


def _pairs(
    fields: dict[str, str | list[str] | None], junk: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    pairs = [
        (name, value)
        for name, values in fields.items()
        if values is not None
        for value in (values if isinstance(values, list) else [values])
    ]
    return pairs + junk
