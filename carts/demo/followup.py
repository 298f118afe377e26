"""Demo follow-up: staff contacts on some carts and the orders they recovered, so the Recovery
page of a demo (and of the bench's million carts) has something to show.

Written in SQL after the carts are loaded: a call, e-mail or visit on every eighth cart that is
not deleted, up to 19 days before its submit (an order) or up to 29 days after its start (an
open cart), never ahead of now; then, for each order with one of them within the window before
its submit, the recovery `submit_cart` would have credited (the last such contact and the rep
it counts for, the cart's: demo contacts have no author).
"""

from django.conf import settings
from django.db import connection

CONTACTS = """
INSERT INTO carts_cartcontact (cart_id, author_id, author_name, kind, contacted_at, outcome,
                               created_at)
SELECT c.id, NULL, COALESCE(r.name, 'Store staff'),
       (ARRAY['phone', 'email', 'visit'])[c.id / 8 % 3 + 1],
       LEAST(now(), COALESCE(c.submitted_at - (c.id % 20) * interval '1 day',
                             c.created_at + (c.id % 30) * interval '1 day')), '', now()
FROM carts_cart c LEFT JOIN customers_salesrep r ON r.rep_number = c.rep_number
WHERE c.id % 8 = 0 AND c.status <> 'deleted'
"""
RECOVERIES = """
INSERT INTO carts_cartrecovery (cart_id, contact_id, contact_kind, contacted_at,
    credited_user_id, credited_user_name, rep_number, rep_name, submitted_at, order_number,
    total, currency)
SELECT DISTINCT ON (c.id) c.id, k.id, k.kind, k.contacted_at, k.author_id, k.author_name,
       k.rep_number, COALESCE(r.name, ''), c.submitted_at, c.order_number, c.total, l.currency
FROM carts_cart c
JOIN carts_cartcontact k ON k.cart_id = c.id AND k.kind IN ('phone', 'email', 'visit')
     AND k.contacted_at <= c.submitted_at AND k.contacted_at >= c.submitted_at - %s::interval
JOIN pricing_pricelevel l ON l.number = c.price_level_id
LEFT JOIN customers_salesrep r ON r.rep_number = k.rep_number
WHERE c.status = 'submitted' AND c.order_number IS NOT NULL
ORDER BY c.id, k.contacted_at DESC, k.id DESC
"""


def seed_follow_up() -> tuple[int, int]:
    """Add the demo contacts and recoveries; returns how many of each."""
    window = f"{settings.RECOVERY_WINDOW_DAYS} days"
    with connection.cursor() as cursor:
        cursor.execute(CONTACTS)
        contacts = cursor.rowcount
        cursor.execute(RECOVERIES, [window])
        return contacts, cursor.rowcount
