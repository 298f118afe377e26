"""Order numbers: a submitted order's number of its own, from one PostgreSQL sequence (one store
per deployment), so orders count up in the order they came in, whatever cart they were.

A number is taken at submit (carts.services.customer.submit_cart); a submit that then fails
leaves a gap, never a duplicate. Orders loaded in bulk (seed_demo) are numbered afterwards, by
their submit time, past every number already handed out.
"""

from django.db import connection

SEQUENCE = "carts_cart_order_number_seq"
FIRST_ORDER_NUMBER = 1001

# Orders without a number, numbered by submit time after the highest number handed out (the
# sequence's last value counts: a number taken by a submit that failed is never reused).
NUMBER_ORDERS_SQL = f"""
    WITH handed_out AS (
        SELECT greatest(
            (SELECT max(order_number) FROM carts_cart),
            pg_sequence_last_value('{SEQUENCE}'),
            {FIRST_ORDER_NUMBER - 1}
        ) AS top
    ), unnumbered AS (
        SELECT id, row_number() OVER (ORDER BY submitted_at, id) AS position
        FROM carts_cart
        WHERE status = 'submitted' AND order_number IS NULL
    )
    UPDATE carts_cart AS cart SET order_number = handed_out.top + unnumbered.position
    FROM unnumbered, handed_out
    WHERE cart.id = unnumbered.id
"""
# The sequence goes on after the highest number; it never goes back.
CATCH_UP_SQL = f"""
    SELECT setval('{SEQUENCE}', top)
    FROM (SELECT max(order_number) AS top FROM carts_cart) AS numbers
    WHERE top > coalesce(pg_sequence_last_value('{SEQUENCE}'), 0)
"""


def next_order_number() -> int:
    """The next order number; safe for any number of submits at once (nextval never repeats)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [SEQUENCE])
        (number,) = cursor.fetchone()
    return int(number)


def number_orders() -> int:
    """Number every submitted order that has no number yet, oldest submit first; returns how
    many. Lock the carts first if submits may run meanwhile (seed_demo's load holds them)."""
    with connection.cursor() as cursor:
        cursor.execute(NUMBER_ORDERS_SQL)
        numbered: int = cursor.rowcount
        cursor.execute(CATCH_UP_SQL)
    return numbered
