"""The code stays in rooms of a readable size: no module over 300 lines, no function over 40
(migrations aside: Django writes those)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("juniperadmin", "common", "carts", "customers", "pricing", "shop", "bench", "tests")
MAX_FILE_LINES = 300
MAX_FUNCTION_LINES = 40


def python_files() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := node.end_lineno - node.lineno + 1) > MAX_FUNCTION_LINES
    ]


def test_it_finds_the_code_it_measures():
    files = python_files()
    assert ROOT / "carts" / "listing" / "views.py" in files
    assert not any("migrations" in path.parts for path in files)


def test_no_module_is_over_300_lines():
    too_long = [
        f"{path.relative_to(ROOT)} ({lines} lines)"
        for path in python_files()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_FILE_LINES
    ]
    assert too_long == []


def test_no_function_is_over_40_lines():
    assert [found for path in python_files() for found in long_functions(path)] == []
