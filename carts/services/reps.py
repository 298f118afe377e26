"""Carts carry their customer's rep number, so Open Carts sorts and filters by rep on an index
of its own. PostgreSQL keeps it in step (migration 0007), whatever moves customers: the store
set-up, a shell's save(), an update() of many, an import. When customers move to another rep,
or a rep is renumbered, their carts that are not submitted (open or deleted) take the new
number in the same statement, with one audit entry per cart moved. A submitted order is never
changed. A new cart takes its customer's rep's number, whatever its maker passed.

The audit entries name whoever `customers.audit.acting_as` names for the transaction, or
"store set-up".

Locks, in one order so no two writers wait on each other in a circle: a move locks its
customers (the UPDATE itself), then the reps they leave and join (FOR SHARE: a renumbering in
flight finishes first, and one that follows waits, then sees the move), then the carts in id
order, then the tallies (their own triggers, as for every change to carts). A renumbering
locks its rep, then the carts in id order.
"""

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

# `moves` is a query of (customer_id, customer_number, rep_number): where those customers'
# carts belong now. Carts already there are left alone and recorded nowhere.
FOLLOW = """
    WITH stale AS (
        SELECT cart.id, cart.rep_number AS rep_before, moves.rep_number AS rep_after,
            moves.customer_number
        FROM ({moves}) AS moves (customer_id, customer_number, rep_number)
        JOIN carts_cart AS cart ON cart.customer_id = moves.customer_id
        WHERE cart.status <> 'submitted' AND cart.rep_number <> moves.rep_number
        ORDER BY cart.id
        FOR UPDATE OF cart
    ),
    moved AS (
        UPDATE carts_cart AS cart SET rep_number = stale.rep_after
        FROM stale WHERE cart.id = stale.id
        RETURNING cart.id, cart.price_level_id, cart.total, stale.rep_before, stale.rep_after,
            stale.customer_number
    )
    INSERT INTO carts_cartevent (cart_id, cart_number, customer_number, action, actor_id,
        actor_name, created_at, level_before, level_after, total_before, total_after, detail)
    SELECT id, id, customer_number, 'rep_changed',
        nullif(current_setting('juniperadmin.actor_id', true), '')::integer,
        coalesce(nullif(current_setting('juniperadmin.actor_name', true), ''), 'store set-up'),
        now(), price_level_id, price_level_id, total, total,
        format('Rep # %s → %s.', rep_before, rep_after)
    FROM moved
    ORDER BY id
"""

# The rows a statement changed in a way that moves carts, from its transition tables.
CUSTOMERS_MOVED = """
    old_customers AS prior JOIN new_customers AS customer
        ON customer.id = prior.id AND customer.sales_rep_id <> prior.sales_rep_id
"""
REPS_RENUMBERED = """
    old_reps AS prior JOIN new_reps AS rep
        ON rep.id = prior.id AND rep.rep_number <> prior.rep_number
"""
REP_OF_CUSTOMER = "JOIN customers_salesrep AS rep ON rep.id = customer.sales_rep_id"
CUSTOMERS_OF_REP = "JOIN customers_customer AS customer ON customer.sales_rep_id = rep.id"

# What FOLLOW takes as `moves`: customers (`customer`) and the rep they have now (`rep`).
MOVES = "SELECT customer.id, customer.customer_number, rep.rep_number FROM {}"
CUSTOMER_MOVES = MOVES.format(f"{CUSTOMERS_MOVED} {REP_OF_CUSTOMER}")
RENUMBER_MOVES = MOVES.format(f"{REPS_RENUMBERED} {CUSTOMERS_OF_REP}")
EVERY_CUSTOMER = MOVES.format(f"customers_customer AS customer {REP_OF_CUSTOMER}")

# The reps customers leave and join, locked in id order before any cart, so a renumbering
# and a move never cross unseen (the foreign key's own check on the rep runs after this
# trigger: too late). FOUND is false when the statement moved nobody (a rename, a new price
# level): then nothing more is done.
LOCK_REPS_OF_MOVES = f"""
    PERFORM FROM customers_salesrep
    WHERE id IN (
        SELECT unnest(ARRAY[prior.sales_rep_id, customer.sales_rep_id]) FROM {CUSTOMERS_MOVED}
    )
    ORDER BY id
    FOR SHARE
"""

# A new cart takes its customer's rep's number as the database has it, whatever the caller
# passed: the customer first (FOR SHARE: a move in flight finishes first), then their rep (a
# renumbering in flight finishes first), each in a statement of its own so the second sees
# what the first waited for. A customer starting a cart holds their own row already
# (carts.services.customer), so this adds nothing to the lock order above.
REP_OF_NEW_CART = f"""
    DECLARE rep_now integer;
    BEGIN
        PERFORM FROM customers_customer WHERE id = NEW.customer_id FOR SHARE;
        SELECT rep.rep_number INTO rep_now
        FROM customers_customer AS customer {REP_OF_CUSTOMER}
        WHERE customer.id = NEW.customer_id
        FOR SHARE OF rep;
        IF FOUND THEN
            NEW.rep_number := rep_now;
        END IF;
        RETURN NEW;
    END
"""


def statement_function(body: str) -> str:
    return f"BEGIN {body} RETURN NULL; END"


TRIGGERS = {
    # name: (table, when it fires, what the function runs)
    "carts_follow_customer_rep": (
        "customers_customer",
        "AFTER UPDATE ON customers_customer "
        "REFERENCING OLD TABLE AS old_customers NEW TABLE AS new_customers FOR EACH STATEMENT",
        statement_function(
            f"{LOCK_REPS_OF_MOVES}; IF FOUND THEN {FOLLOW.format(moves=CUSTOMER_MOVES)}; END IF;"
        ),
    ),
    "carts_follow_rep_number": (
        "customers_salesrep",
        "AFTER UPDATE ON customers_salesrep "
        "REFERENCING OLD TABLE AS old_reps NEW TABLE AS new_reps FOR EACH STATEMENT",
        statement_function(
            f"IF EXISTS (SELECT FROM {REPS_RENUMBERED}) THEN "
            f"{FOLLOW.format(moves=RENUMBER_MOVES)}; END IF;"
        ),
    ),
    "carts_rep_of_new_cart": (
        "carts_cart",
        "BEFORE INSERT ON carts_cart FOR EACH ROW",
        REP_OF_NEW_CART,
    ),
}


def install(db: BaseDatabaseWrapper = connection) -> None:
    """Create (or re-create) the functions and triggers, then bring every cart that is not
    submitted in step with its customer's rep (none is out of step unless something moved
    customers while the triggers were not there)."""
    with db.cursor() as cursor:
        for name, (table, when, body) in TRIGGERS.items():
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ {body} $$"
            )
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION {name}()")
        cursor.execute(FOLLOW.format(moves=EVERY_CUSTOMER))


def uninstall(db: BaseDatabaseWrapper = connection) -> None:
    with db.cursor() as cursor:
        for name, (table, _, _) in TRIGGERS.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
