"""Known vulnerabilities in the pinned dependencies (pip-audit), when its database answers.

Fails on a known vulnerability; when the vulnerability database cannot be reached (a closed
network, a registry mirror without PyPI's JSON API), says so and passes: CI must not depend
on a service outside the package registries.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

VENV = Path(sys.executable).parent


def pinned() -> str:
    frozen = subprocess.run(
        [VENV / "pip", "freeze", "--exclude-editable"], capture_output=True, text=True, check=True
    ).stdout
    return "".join(line + "\n" for line in frozen.splitlines() if "==" in line)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        requirements, report = Path(folder, "requirements.txt"), Path(folder, "audit.json")
        requirements.write_text(pinned())
        run = subprocess.run(
            [VENV / "pip-audit", "-r", requirements, "--no-deps", "--disable-pip"]
            + ["--progress-spinner", "off", "-f", "json", "-o", report],
            capture_output=True,
            text=True,
        )
        if not report.exists() or not report.read_text().strip():
            print(f"ci: pip-audit could not run, skipped: {run.stderr.strip()[-300:]}")
            return 0
        dependencies = json.loads(report.read_text())["dependencies"]
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        print(f"ci: pip-audit reached no vulnerability database; {len(dependencies)} not audited.")
        return 0
    vulnerable = [d for d in audited if d.get("vulns")]
    for d in vulnerable:
        ids = ", ".join(v["id"] for v in d["vulns"])
        print(f"ci: {d['name']} {d['version']} has known vulnerabilities: {ids}")
    print(f"ci: pip-audit checked {len(audited)} of {len(dependencies)} pinned packages.")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
