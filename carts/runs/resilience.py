"""What a database error means for a job (carts.runs.jobs): one that passes (the connection
dropped, the server restarting, a deadlock, a serialization failure, a lock timeout) or one that
would come back.

A chunk is one transaction, so after a passing error it changed nothing and can simply run
again: a few times, after a pause that doubles (`retry_after`). If the error outlasts the
retries, the job stops with a reason that says it may go on (`reason`, `PASSING`), and
`carts.runs.recovery` hands such a job out again; one stopped by a refusal or another error is
left for a person.
"""

import logging
import time

from django.db import InterfaceError, OperationalError, close_old_connections, connection

from carts.services import CartActionRefused

logger = logging.getLogger(__name__)

# Pauses before each new try of a chunk after a passing database error.
RETRY_DELAYS = (0.5, 1.0, 2.0)
# SQLSTATE classes and codes that pass: connection exception (08), transaction rollback
# (40: serialization failure, deadlock), insufficient resources (53), operator intervention
# (57: the server shutting down, a connection terminated), lock not available (55P03).
PASSING_STATES = ("08", "40", "53", "57", "55P03")
# In the message of a job stopped by a passing error: how recovery tells it from the others.
PASSING = "a passing database error"


def is_passing(error: BaseException) -> bool:
    """Whether `error` is a database error that goes away by itself: a lost or refused
    connection (no SQLSTATE), or one of PASSING_STATES."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    state = getattr(error.__cause__, "sqlstate", None)
    return state is None or state.startswith(PASSING_STATES)


def retry_after(error: Exception, attempt: int) -> bool:
    """Whether to run a job's chunk again after `error` (its `attempt`-th failure, from 0):
    yes for a passing database error while tries are left, after the pause, with a broken
    connection closed so the next try opens a new one. Never inside an outer transaction,
    whose work a new try could not redo."""
    if attempt >= len(RETRY_DELAYS) or connection.in_atomic_block or not is_passing(error):
        return False
    pause = RETRY_DELAYS[attempt]
    logger.warning("A cart job's chunk failed (%s); it runs again in %s s", error, pause)
    close_old_connections()
    time.sleep(pause)
    return True


def reason(error: Exception) -> str:
    """Why a job stopped, for its message: a refusal's own words; a passing database error
    that outlasted the retries, saying the job can go on; anything else as unexpected."""
    if isinstance(error, CartActionRefused):
        return str(error)
    if is_passing(error):
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "no detail"
        return f"{PASSING} ({first_line}): Resume goes on from here, as a starting worker does"
    return f"unexpected error: {error}"
