"""`python -m juniperadmin.embedded_db run|psql|url` (see the package's docstring)."""

import argparse
import os
import signal
import subprocess
import sys
from collections.abc import Sequence

from juniperadmin.embedded_db import StartFailed, data_dir, port, url
from juniperadmin.embedded_db.server import (
    Server,
    bin_dir,
    server_major,
    start,
    stop,
    throwaway_server,
)


class Interrupts:
    """Ctrl-C reaches the whole foreground process group: the command gets it and ends as it
    sees fit, while this process only notes it (no KeyboardInterrupt here, whatever it is
    doing: starting the server, waiting, stopping it). A TERM or HUP is passed on to the
    command. A handler, not SIG_IGN: the command starts with Ctrl-C's default."""

    def __init__(self) -> None:
        self.child: subprocess.Popen[bytes] | None = None
        self.interrupted = False
        signal.signal(signal.SIGINT, self.note)
        for passed_on in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(passed_on, self.pass_on)

    def note(self, number: int, frame: object) -> None:
        self.interrupted = True

    def pass_on(self, number: int, frame: object) -> None:
        if self.child is None:
            self.interrupted = True
        else:
            self.child.send_signal(number)

    def run(self, command: Sequence[str], env: dict[str, str]) -> int:
        if self.interrupted:  # Ctrl-C while the server started: nothing to run
            return -signal.SIGINT
        self.child = subprocess.Popen(command, env=env)
        return self.child.wait()


def run(command: Sequence[str], *, throwaway: bool) -> int:
    """Run `command` with DATABASE_URL pointing at the embedded server; stop it afterwards."""
    interrupts = Interrupts()
    if os.environ.get("DATABASE_URL"):
        status = interrupts.run(command, dict(os.environ))
    else:
        server = throwaway_server() if throwaway else start(Server(data_dir(), port()))
        where = "a throwaway folder" if throwaway else server.data
        print(f"Embedded PostgreSQL {server_major()} at {server.url} (data in {where})", flush=True)
        try:
            status = interrupts.run(command, {**os.environ, "DATABASE_URL": server.url})
        finally:
            if server.ours:
                stop(server)
    if status == -signal.SIGINT:  # end as Ctrl-C ended the command, so make says "Interrupt"
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    return status if status >= 0 else 128 - status


def psql() -> int:
    """Print the database's URL and open psql on it (starting make run's server if need be)."""
    interrupts = Interrupts()  # Ctrl-C is psql's (it cancels a query), not a traceback here
    given = os.environ.get("DATABASE_URL", "").split("?")[0]
    server = None if given else start(Server(data_dir(), port()))
    address = given or url(server.port if server else port())
    print(address, flush=True)
    try:
        status = interrupts.run([str(bin_dir() / "psql"), address], dict(os.environ))
        return status if status >= 0 else 128 - status
    finally:
        if server and server.ours:
            stop(server)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m juniperadmin.embedded_db")
    verbs = parser.add_subparsers(dest="verb", required=True)
    running = verbs.add_parser("run", help="start the server, run a command, stop the server")
    running.add_argument("--throwaway", action="store_true", help="a new folder, removed after")
    running.add_argument("command", nargs="+")
    verbs.add_parser("psql", help="print the URL and open psql on it")
    verbs.add_parser("url", help="print the URL")
    arguments = parser.parse_args(argv)
    try:
        if arguments.verb == "run":
            return run(arguments.command, throwaway=arguments.throwaway)
        if arguments.verb == "psql":
            return psql()
        print(os.environ.get("DATABASE_URL") or url(port()))
        return 0
    except StartFailed as failure:
        print(failure, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
