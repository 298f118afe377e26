"""The property tests' hypothesis profiles: "properties" (the normal run) tries a few examples
per endpoint; "thorough" tries 1,000, or as many as JUNIPER_PROPERTY_EXAMPLES says (CI sets
it; HYPOTHESIS_PROFILE=thorough also picks it). They apply to these tests only, through
`property_test`, so other hypothesis tests keep their own settings."""

import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

EXAMPLES_VARIABLE = "JUNIPER_PROPERTY_EXAMPLES"
THOROUGH_EXAMPLES = 1000


def examples_asked() -> int | None:
    """How many examples the environment asks for, or None for the normal run."""
    value = os.environ.get(EXAMPLES_VARIABLE, "").strip()
    if not value:
        thorough = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
        return THOROUGH_EXAMPLES if thorough else None
    if value == "thorough":
        return THOROUGH_EXAMPLES
    if not value.isdigit() or int(value) < 1:
        raise pytest.UsageError(f"{EXAMPLES_VARIABLE} must be a whole number ≥ 1, not {value!r}")
    return int(value)


settings.register_profile(
    "properties",
    max_examples=15,
    deadline=None,
    # The store is built once per test; each example runs in a savepoint rolled back after it.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    settings.get_profile("properties"),
    max_examples=examples_asked() or THOROUGH_EXAMPLES,
    print_blob=True,
)
PROFILE = "thorough" if examples_asked() else "properties"


def property_test(test: Callable[..., Any]) -> Callable[..., Any]:
    """The chosen profile's settings, for a @given test (put it above @given)."""
    return settings(settings.get_profile(PROFILE))(test)
