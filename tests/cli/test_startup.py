"""`cosec` start-up stays light: building the command tree imports no heavy stack.

Every invocation, `cosec --help` included, imports `cosec.cli`. The database (SQLAlchemy,
Alembic), the Microsoft cloud clients (azure-identity, MSAL, httpx), the simulator server
(uvicorn, Starlette), report rendering (Jinja2, WeasyPrint, matplotlib) and the product
packages built on them are imported by the commands that use them, not at start-up.
Each check runs in a fresh interpreter: this test process has imported all of them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY_PACKAGES = {
    "sqlalchemy",
    "alembic",
    "azure",
    "msal",
    "httpx",
    "uvicorn",
    "starlette",
    "weasyprint",
    "matplotlib",
    "jinja2",
}
HEAVY_COSEC = (
    "cosec.graph",
    "cosec.store",
    "cosec.simulator.server",
    "cosec.simulator.api",
    "cosec.controls",
    "cosec.reports",
    "cosec.collect",
)

# Prints, as JSON, the heavy modules imported once `setup` has run.
PROBE = """
import json, sys
{setup}
heavy, prefixes = set(json.loads(sys.argv[1])), tuple(json.loads(sys.argv[2]))
print(json.dumps(sorted(
    m for m in sys.modules if m.split(".")[0] in heavy or m.startswith(prefixes)
)))
"""

# Every command's --help: the root callback runs and every signature is evaluated.
EVERY_HELP = """
import typer.main
from typer.testing import CliRunner
from cosec.cli import app

runner = CliRunner()

def walk(command, path):
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, (path, result.output)
    for name, sub in getattr(command, "commands", {}).items():
        walk(sub, [*path, name])

walk(typer.main.get_command(app), [])
"""


def _heavy_modules_after(setup: str) -> list[str]:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.format(setup=setup),
            json.dumps(sorted(HEAVY_PACKAGES)),
            json.dumps(HEAVY_COSEC),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    found: list[str] = json.loads(proc.stdout.splitlines()[-1])
    return found


@pytest.mark.parametrize("setup", ["import cosec.cli", EVERY_HELP], ids=["import", "every-help"])
def test_startup_imports_no_heavy_module(setup: str) -> None:
    assert _heavy_modules_after(setup) == []
