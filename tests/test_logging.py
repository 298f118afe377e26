"""The logging config (`settings.LOGGING`): one line per event, and a 4xx without a traceback."""

import io
import logging
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.utils.log import configure_logging

from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(monkeypatch) -> io.StringIO:
    """Everything the configured handlers print, with the settings' LOGGING applied the way
    Django applies it at start-up (its defaults first, then ours)."""
    printed = io.StringIO()
    monkeypatch.setattr(sys, "stderr", printed)
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    yield printed
    monkeypatch.undo()
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings) -> bool:
    # Django's own console handler prints only under DEBUG: both ways must print once.
    settings.DEBUG = request.param
    return request.param


def test_it_logs_a_403_as_one_warning_line_without_a_traceback(client, console, debug):
    client.force_login(make_staff("no-permissions"))
    assert client.get("/carts/").status_code == 403
    lines = console.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert re.fullmatch(r"WARNING django\.request: Forbidden.*: /carts/", lines[0])


def test_it_logs_a_404_once(client, console, debug):
    assert client.get("/no-such-page/").status_code == 404
    assert console.getvalue().splitlines() == ["WARNING django.request: Not Found: /no-such-page/"]


def test_it_prints_each_dev_server_request_line_once(console, debug):
    logging.getLogger("django.server").info(
        '"%s" %s %s', "GET /carts/ HTTP/1.1", "200", "5120", extra={"status_code": 200}
    )
    lines = console.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert re.fullmatch(r'\[.+\] "GET /carts/ HTTP/1\.1" 200 5120', lines[0])


def test_it_keeps_the_traceback_of_a_server_error(console):
    try:
        raise RuntimeError("the database went away")
    except RuntimeError:
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", "/carts/", exc_info=True, extra={"status_code": 500}
        )
    printed = console.getvalue()
    assert printed.startswith("ERROR django.request: Internal Server Error: /carts/\n")
    assert "Traceback" in printed and "RuntimeError: the database went away" in printed


def test_it_leaves_out_info_lines_below_the_configured_level(console):
    logging.getLogger("django.template").info("nothing to see")
    logging.getLogger("carts").warning("a cart looks odd")
    assert console.getvalue().splitlines() == ["WARNING carts: a cart looks odd"]


def test_it_refuses_an_unknown_log_level():
    started = subprocess.run(
        [sys.executable, "-c", "import juniperadmin.settings"],
        env={**os.environ, "LOG_LEVEL": "loud"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert started.returncode != 0
    assert "LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL." in started.stderr
