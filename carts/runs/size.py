"""How a run goes, by its size: up to CART_ACTION_INLINE_LIMIT carts inline (one chunk, in the
request); more as a job, CART_JOB_CHUNK carts a transaction. Confirmations say which."""

from django.conf import settings


def runs_as_job(count: int, limit: int | None = None) -> bool:
    """Whether an action on `count` carts runs as a job rather than in the request (past its
    own `limit`, if it has one, else CART_ACTION_INLINE_LIMIT)."""
    inline: int = settings.CART_ACTION_INLINE_LIMIT if limit is None else limit
    return count > inline


def chunk_size() -> int:
    chunk: int = settings.CART_JOB_CHUNK
    return chunk


def in_background(count: int, limit: int | None = None) -> dict[str, object]:
    """What a confirmation needs to say that (and how) `count` carts run in the background."""
    inline: int = settings.CART_ACTION_INLINE_LIMIT if limit is None else limit
    return {
        "runs_as_job": runs_as_job(count, inline),
        "inline_limit": f"{inline:,}",
        "chunk": f"{chunk_size():,}",
    }
