"""Without Chromium the browser tests skip and the run still passes: its last line but the
totals says so, loudly (`pytest_terminal_summary` in tests/conftest.py)."""

from tests.conftest import CHROMIUM, chromium_missing_line

pytest_plugins = ["pytester"]

A_SUITE = f"""
import pytest

@pytest.fixture(scope="session")
def chromium():
    pytest.skip("Chromium not found at {CHROMIUM}: sudo apt-get install -y chromium")

@pytest.mark.parametrize("step", range(3))
def test_in_the_browser(chromium, step):
    pass

def test_on_the_server():
    pass

def test_skipped_for_another_reason():
    pytest.skip("Not today")
"""


def run(pytester, suite: str):
    pytester.makeconftest("from tests.conftest import pytest_terminal_summary  # noqa: F401")
    pytester.makepyfile(test_suite=suite)
    # In-process, without the plugins this outer run has set up (Django and Playwright).
    plugins = ("django", "playwright", "cov", "env", "cacheprovider")
    return pytester.runpytest(*(f"-pno:{name}" for name in plugins), "-rs")


def test_a_run_without_chromium_ends_with_one_loud_line(pytester):
    result = run(pytester, A_SUITE)
    result.assert_outcomes(passed=1, skipped=4)
    lines = result.stdout.lines
    loud = [number for number, line in enumerate(lines) if "did not run" in line]
    assert len(loud) == 1
    assert "3 browser tests did not run" in lines[loud[0]]
    assert "Install it with: sudo apt-get install -y chromium" in lines[loud[0]]
    # After the short summary, which lists the skips; only the totals follow.
    assert loud[0] == len(lines) - 2 and "SKIPPED [3]" in "\n".join(lines[: loud[0]])


def test_a_run_with_every_browser_test_run_says_nothing_more(pytester):
    result = run(pytester, A_SUITE.replace('pytest.skip("Chromium', 'print("Chromium'))
    result.assert_outcomes(passed=4, skipped=1)
    assert not any("did not run" in line for line in result.stdout.lines)


def test_the_line_counts_in_words():
    assert chromium_missing_line(1).startswith("1 browser test did not run: Chromium not found")
    assert chromium_missing_line(10).startswith("10 browser tests did not run")
