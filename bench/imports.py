"""Import and export of the store set-up at scale (`bench/run.py --import-only`): a wide price
file of 10,000 products x 10 levels (100,000 prices) previewed, imported, imported again
(every row left alone), imported with every price a cent up, then every price exported, each
through the same resources the admin uses (pricing.resources), from the file's bytes. The
process's peak RSS (Django included) is read after each step; it only grows, so each figure is
the peak so far.
"""

import resource
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

PRODUCTS = 10_000
LEVELS = 10
PREFIX = "BENCH-IMP-"


@dataclass(frozen=True)
class Step:
    label: str
    seconds: float
    peak_mb: float
    outcome: str


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def wide_file(change: Decimal = Decimal("0")) -> bytes:
    """The CSV a store's ERP would hand over: item_id, name, level_0 … level_9; `change`
    added to every price (a new price list)."""
    rows = [",".join(["item_id", "name", *(f"level_{n}" for n in range(LEVELS))])]
    for index in range(PRODUCTS):
        base = Decimal(100 + index % 900) + Decimal(index % 100) / 100
        prices = (str(base - level + change) for level in range(LEVELS))
        rows.append(",".join([f"{PREFIX}{index:05d}", f"Bench product {index}", *prices]))
    return ("\n".join(rows) + "\n").encode()


def start_clean() -> None:
    """Ten USD levels, and none of the bench's products from an earlier run."""
    from pricing.models import PriceLevel, Product

    for number in range(LEVELS):
        PriceLevel.objects.get_or_create(
            number=number, defaults={"name": f"Level {number}", "currency": "USD"}
        )
    Product.objects.filter(item_id__startswith=PREFIX).delete()


def timed(label: str, work: Callable[[], str]) -> Step:
    started = time.perf_counter()
    outcome = work()
    return Step(label, time.perf_counter() - started, peak_mb(), outcome)


def import_step(content: bytes, *, dry_run: bool) -> Callable[[], str]:
    def work() -> str:
        from import_export.formats.base_formats import CSV

        from pricing.resources import WidePriceResource

        dataset = CSV(encoding="utf-8").create_dataset(content.decode())
        result = WidePriceResource().import_data(
            dataset, dry_run=dry_run, rollback_on_validation_errors=True
        )
        totals: dict[str, Any] = result.totals
        assert not result.has_errors() and not result.has_validation_errors()
        return f"{totals['new']} new, {totals['update']} changed, {totals['skip']} left alone"

    return work


def export_every_price() -> str:
    from import_export.formats.base_formats import CSV

    from pricing.resources import ProductPriceResource

    dataset = ProductPriceResource().export()
    size = len(CSV().export_data(dataset).encode())
    return f"{len(dataset):,} rows, {size / 1024**2:.1f} MB of CSV"


def measure() -> list[Step]:
    start_clean()
    content = wide_file()
    return [
        timed("preview (dry run)", import_step(content, dry_run=True)),
        timed("import", import_step(content, dry_run=False)),
        timed("the same file again", import_step(content, dry_run=False)),
        timed("every price changed", import_step(wide_file(Decimal("0.01")), dry_run=False)),
        timed("export every price (CSV)", export_every_price),
    ]


def table(steps: list[Step]) -> list[str]:
    lines = [
        f"Import: a wide price file, {PRODUCTS:,} products x {LEVELS} levels "
        f"({PRODUCTS * LEVELS:,} prices)",
        "",
        "| step | seconds | peak RSS so far (MB) | outcome |",
        "| --- | ---: | ---: | --- |",
    ]
    lines += [
        f"| {step.label} | {step.seconds:.1f} | {step.peak_mb:.0f} | {step.outcome} |"
        for step in steps
    ]
    return lines
