"""Settings from the environment (juniperadmin.env): a bad value stops every command and the WSGI
application with one line naming the variable, no traceback; good values reach the settings."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from juniperadmin.env import env_bool, env_int, env_list, env_time_zone

RETENTION_ABC = "CART_RETENTION_DAYS must be a whole number from 1 to 3650, not 'abc'"


def run(code: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "juniperadmin.settings", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )


def test_a_bad_number_stops_manage_py_with_one_line():
    done = run(["manage.py", "check"], CART_RETENTION_DAYS="abc")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"Configuration error: {RETENTION_ABC}"]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        ("CART_JOB_CHUNK", "0", "CART_JOB_CHUNK must be a whole number from 1 to 100000, not '0'"),
        ("DEBUG", "maybe", "DEBUG must be true or false (or 1/0, yes/no), not 'maybe'"),
        ("LOGIN_FAILURE_LIMIT", "-1", "LOGIN_FAILURE_LIMIT must be a whole number from 1 to"),
        ("TIME_ZONE", "Mars/Olympus", "TIME_ZONE must be a time zone name"),
        ("DATABASE_URL", "nosuch://db", "DATABASE_URL must be a URL such as postgres://"),
        ("EMAIL_URL", "pigeon://loft", "EMAIL_URL must start with smtp://, submission://"),
        ("EMAIL_URL", "smtp://host:port", "EMAIL_URL is not an e-mail URL"),
        ("RECOVERY_EMAIL_PER_MINUTE", "0", "RECOVERY_EMAIL_PER_MINUTE must be a whole number"),
    ],
)
def test_each_bad_setting_names_itself(name, value, line):
    done = run(["manage.py", "check"], **{name: value})
    last = done.stderr.strip().splitlines()[-1]
    assert done.returncode == 2 and last.startswith(f"Configuration error: {line}")
    assert "Traceback" not in done.stderr


def test_a_bad_setting_stops_the_wsgi_application_so_gunicorn_stops_too():
    done = run(["-c", "import juniperadmin.wsgi"], CART_RETENTION_DAYS="abc")
    assert done.returncode == 4  # gunicorn's "App failed to load": no endless worker restarts
    assert done.stderr.strip().splitlines() == [f"Configuration error: {RETENTION_ABC}"]


def test_good_values_reach_the_settings():
    names = "AXES_FAILURE_LIMIT AXES_COOLOFF_TIME STAFF_SESSION_MAX_HOURS DEBUG ALLOWED_HOSTS"
    code = f"from django.conf import settings as s; print([getattr(s, n) for n in {names.split()}])"
    done = run(
        ["-c", f"import django; django.setup(); {code}"],
        LOGIN_FAILURE_LIMIT="3",
        LOGIN_LOCKOUT_MINUTES="2",
        STAFF_SESSION_MAX_HOURS=" 8 ",
        DEBUG="yes",
        ALLOWED_HOSTS="a.example, ,b.example",
    )
    assert done.returncode == 0, done.stderr
    printed = "[3, datetime.timedelta(seconds=120), 8, True, ['a.example', 'b.example']]"
    assert done.stdout.strip() == printed


MAIL = "EMAIL_BACKEND EMAIL_HOST EMAIL_PORT EMAIL_HOST_USER EMAIL_HOST_PASSWORD EMAIL_USE_TLS"


def mail_settings(**env: str) -> str:
    code = f"from django.conf import settings as s; print([getattr(s, n) for n in {MAIL.split()}])"
    done = run(["-c", f"import django; django.setup(); {code}"], **env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_email_url_sets_the_mail_server():
    url = "submission://carts%40example.com:s3cret@smtp.example.com:587"
    assert mail_settings(EMAIL_URL=url, DEBUG="true") == str(
        [
            "django.core.mail.backends.smtp.EmailBackend",
            "smtp.example.com",
            587,
            "carts@example.com",
            "s3cret",
            True,
        ]
    )


def test_development_prints_emails_on_the_console_unless_a_server_is_set():
    assert mail_settings(DEBUG="true", EMAIL_URL="", EMAIL_HOST="").startswith(
        "['django.core.mail.backends.console.EmailBackend'"
    )
    on_host = mail_settings(DEBUG="true", EMAIL_URL="", EMAIL_HOST="mx.example", EMAIL_PORT="2525")
    assert on_host.startswith("['django.core.mail.backends.smtp.EmailBackend', 'mx.example', 2525")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, 30), ("", 30), ("1", 1), ("3650", 3650), (" 7 ", 7), ("+5", 5)],
)
def test_env_int_takes_whole_numbers_within_bounds(monkeypatch, value, expected):
    if value is not None:
        monkeypatch.setenv("SOME_DAYS", value)
    assert env_int("SOME_DAYS", 30, minimum=1, maximum=3650) == expected


@pytest.mark.parametrize("value", ["abc", "0", "3651", "1.5", "1e3", "1_000", "9" * 40])
def test_env_int_refuses_anything_else(monkeypatch, value):
    monkeypatch.setenv("SOME_DAYS", value)
    with pytest.raises(ImproperlyConfigured) as refused:
        env_int("SOME_DAYS", 30, minimum=1, maximum=3650)
    assert str(refused.value) == f"SOME_DAYS must be a whole number from 1 to 3650, not {value!r}"


def test_env_int_without_a_maximum_says_so(monkeypatch):
    monkeypatch.setenv("SOME_LIMIT", "0")
    with pytest.raises(
        ImproperlyConfigured, match="^SOME_LIMIT must be a whole number of at least 1"
    ):
        env_int("SOME_LIMIT", 5, minimum=1)
    monkeypatch.setenv("SOME_LIMIT", "10000000")
    assert env_int("SOME_LIMIT", 5, minimum=1) == 10_000_000


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("TRUE", True), ("1", True), ("yes", True), ("on", True), ("false", False)]
    + [("0", False), ("No", False), ("off", False), ("", True)],
)
def test_env_bool_takes_the_usual_words(monkeypatch, value, expected):
    monkeypatch.setenv("SOME_SWITCH", value)
    assert env_bool("SOME_SWITCH", True) is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("SOME_SWITCH", "sometimes")
    with pytest.raises(ImproperlyConfigured, match="^SOME_SWITCH must be true or false"):
        env_bool("SOME_SWITCH")


def test_env_list_and_time_zone(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", " a , ,b,")
    assert env_list("SOME_HOSTS") == ["a", "b"]
    assert env_list("NO_SUCH_HOSTS", "x,y") == ["x", "y"]
    monkeypatch.setenv("SOME_ZONE", "Europe/Berlin")
    assert env_time_zone("SOME_ZONE", "UTC") == "Europe/Berlin"
    monkeypatch.setenv("SOME_ZONE", "../../etc/passwd")
    with pytest.raises(ImproperlyConfigured, match="^SOME_ZONE must be a time zone name"):
        env_time_zone("SOME_ZONE", "UTC")
