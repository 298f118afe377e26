"""EXPLAIN ANALYZE of every SELECT a scenario's request runs, for each view."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.scenarios import VIEWS, Scenario


def plan(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {sql}")
        return [line for (line,) in cursor.fetchall()]


def explain(client: Client, scenarios: list[Scenario], label: str) -> None:
    """Prints the plans for every scenario whose label contains `label`."""
    chosen = [s for s in scenarios if label in s.label]
    if not chosen:
        print("No such scenario; the labels are:", *(s.label for s in scenarios), sep="\n  ")
    for scenario in chosen:
        for view, title in VIEWS.items():
            path = scenario.urls[view]
            print(f"\n## {scenario.label}: {title} {path}")
            if not path.startswith("/"):
                continue
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            for query in captured.captured_queries:
                sql = query["sql"]
                if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    print(f"\n    {sql}\n")
                    print("\n".join(f"    {line}" for line in plan(sql)))
