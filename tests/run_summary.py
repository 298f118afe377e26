"""The few lines `make test` ends with (tests/conftest.py's pytest_terminal_summary): how many
passed and failed, the skips grouped by reason with a count each, and the coverage total with
the file holding the per-file table (pytest-cov's Markdown report, `make test` names it)."""

from collections import Counter
from collections.abc import Iterable
from typing import Any

SKIPPED_PREFIX = "Skipped: "


def skip_reason(report: Any) -> str:
    """A skipped test's reason, as pytest.skip() was given it."""
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix(SKIPPED_PREFIX)


def skips_by_reason(skipped: Iterable[Any]) -> list[tuple[int, str]]:
    """(count, reason) for each reason, the most common first, then alphabetically."""
    counts = Counter(skip_reason(report) for report in skipped)
    return sorted(((count, reason) for reason, count in counts.items()), key=_most_first)


def _most_first(item: tuple[int, str]) -> tuple[int, str]:
    return (-item[0], item[1])


def count_line(stats: dict[str, list[Any]]) -> str:
    """ "760 passed, 3 skipped", then what went wrong, if anything did."""
    parts = [f"{len(stats.get('passed', []))} passed", f"{len(stats.get('skipped', []))} skipped"]
    for outcome in ("failed", "error", "xfailed", "xpassed"):
        if found := len(stats.get(outcome, [])):
            parts.append(f"{found} {outcome}")
    return ", ".join(parts)


def coverage_line(plugin: Any) -> str | None:
    """The total pytest-cov measured, and where its per-file table went (None: not measured)."""
    total = getattr(plugin, "cov_total", None)
    if total is None:
        return None
    reports = getattr(plugin.options, "cov_report", None) or {}
    table = reports.get("markdown") if isinstance(reports, dict) else None
    where = f"the per-file table is in {table}" if table else "no per-file table written"
    floor = getattr(plugin.options, "cov_fail_under", None) or 0
    below = f", below the floor of {floor:g} %, which fails the run" if total < floor else ""
    return f"Coverage: {total:.2f} % of lines and branches{below}; {where}"


def summary_lines(stats: dict[str, list[Any]], cov_plugin: Any) -> list[str]:
    lines = [count_line(stats)]
    skips = skips_by_reason(stats.get("skipped", []))
    lines += [f"  {count:>4} skipped: {reason}" for count, reason in skips]
    if cov_plugin is not None and (coverage := coverage_line(cov_plugin)):
        lines.append(coverage)
    return lines


def write_summary(terminalreporter: Any, config: Any) -> None:
    terminalreporter.write_sep("=", "summary")
    cov_plugin = config.pluginmanager.getplugin("_cov")
    for line in summary_lines(terminalreporter.stats, cov_plugin):
        terminalreporter.write_line(line)
