"""Production settings from the environment: with the README's production example (the block
.ci/run also checks), `manage.py check --deploy` reports nothing; each HTTPS setting is opt-in."""

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

README = settings.BASE_DIR / "README.md"


def production_example() -> dict[str, str]:
    """The KEY=value lines of README.md's block that starts "# Production example"."""
    text = README.read_text(encoding="utf-8")
    block = text.split("# Production example", 1)[1].split("```", 1)[0]
    return dict(re.findall(r"^([A-Z_]+)=(\S+)$", block, flags=re.MULTILINE))


def check_deploy(**changes: str | None) -> subprocess.CompletedProcess:
    # Nothing of the tests' own environment (DEBUG, SECURE_COOKIES...): the example alone.
    env = {"PATH": os.environ["PATH"], **production_example()}
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )


def test_the_readme_has_a_production_example():
    example = production_example()
    assert example["DEBUG"] == "false" and example["SECURE_SSL_REDIRECT"] == "true"
    assert int(example["SECURE_HSTS_SECONDS"]) >= 31_536_000  # a year: what preload asks


def test_the_production_example_passes_the_deploy_check():
    done = check_deploy()
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.parametrize(
    ("name", "value", "warning"),
    [
        ("SECURE_HSTS_SECONDS", None, "security.W004"),
        ("SECURE_SSL_REDIRECT", "false", "security.W008"),
        ("SECURE_COOKIES", "false", "security.W012"),
        ("SECURE_HSTS_PRELOAD", None, "security.W021"),
    ],
)
def test_without_one_of_them_the_check_fails(name, value, warning):
    done = check_deploy(**{name: value})
    assert done.returncode != 0 and warning in done.stderr


def test_the_https_settings_are_off_unless_set():
    # The tests run as a plain-http server would: nothing redirects or pins HTTPS.
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SECURE_HSTS_SECONDS == 0
    assert not hasattr(settings, "SECURE_PROXY_SSL_HEADER") or not settings.SECURE_PROXY_SSL_HEADER


@pytest.mark.django_db
def test_behind_the_proxy_https_is_trusted_and_pinned(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/accounts/login/"
    proxied = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"].startswith("max-age=31536000")
