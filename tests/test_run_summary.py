"""`make test` ends with a short summary: passed, skipped grouped by reason with a count each,
and the coverage total naming the file with the per-file table (tests/run_summary.py)."""

from types import SimpleNamespace

from tests.run_summary import coverage_line, skips_by_reason

pytest_plugins = ["pytester"]

A_SUITE = """
import pytest

@pytest.mark.parametrize("step", range(3))
def test_needs_a_printer(step):
    pytest.skip("No printer here")

@pytest.fixture
def scanner():
    pytest.skip("No scanner here")

def test_needs_a_scanner(scanner):
    pass

@pytest.mark.skipif(True, reason="Not on Tuesdays")
def test_not_today():
    pass

@pytest.mark.parametrize("step", range(4))
def test_on_the_server(step):
    pass
"""


def run(pytester, *options: str):
    pytester.makeconftest("from tests.conftest import pytest_terminal_summary  # noqa: F401")
    pytester.makepyfile(test_suite=A_SUITE)
    # In-process, without the plugins this outer run has set up (Django and Playwright).
    plugins = ("django", "playwright", "cov", "env", "cacheprovider")
    return pytester.runpytest(*(f"-pno:{name}" for name in plugins), *options)


def test_the_run_ends_with_counts_and_skips_grouped_by_reason(pytester):
    result = run(pytester, "-rfE")
    result.assert_outcomes(passed=4, skipped=5)
    lines = result.stdout.lines
    start = next(n for n, line in enumerate(lines) if "= summary =" in line)
    assert lines[start + 1 : -1] == [
        "4 passed, 5 skipped",
        "     3 skipped: No printer here",
        "     1 skipped: No scanner here",
        "     1 skipped: Not on Tuesdays",
    ]
    # The skips are not listed one by one as well (-rfE, as make test runs).
    assert not any(line.startswith("SKIPPED") for line in lines)


def test_failures_are_counted_and_still_listed(pytester):
    pytester.makepyfile(test_broken="def test_broken():\n    assert 1 == 2\n")
    result = run(pytester, "-rfE")
    result.assert_outcomes(passed=4, skipped=5, failed=1)
    assert "4 passed, 5 skipped, 1 failed" in result.stdout.lines
    assert any(
        line.startswith("FAILED test_broken.py::test_broken") for line in result.stdout.lines
    )


def report(reason):
    return SimpleNamespace(longrepr=("test_x.py", 3, f"Skipped: {reason}"))


def test_reasons_are_counted_most_common_first_then_alphabetically():
    reports = [report("b"), report("a"), report("c"), report("c"), report("b"), report("c")]
    assert skips_by_reason(reports) == [(3, "c"), (2, "b"), (1, "a")]
    assert skips_by_reason([]) == []


def test_the_coverage_line_names_the_total_and_the_table_file():
    measured = SimpleNamespace(
        cov_total=96.734, options=SimpleNamespace(cov_report={"markdown": "t.md"})
    )
    assert coverage_line(measured) == (
        "Coverage: 96.73 % of lines and branches; the per-file table is in t.md"
    )
    on_terminal = SimpleNamespace(
        cov_total=50.0, options=SimpleNamespace(cov_report={"term": None})
    )
    assert coverage_line(on_terminal).endswith("no per-file table written")
    below = SimpleNamespace(
        cov_total=12.3, options=SimpleNamespace(cov_report={"markdown": "t.md"}, cov_fail_under=96)
    )
    assert coverage_line(below) == (
        "Coverage: 12.30 % of lines and branches, below the floor of 96 %, which fails the run; "
        "the per-file table is in t.md"
    )
    not_measured = SimpleNamespace(cov_total=None, options=SimpleNamespace(cov_report={}))
    assert coverage_line(not_measured) is None
