"""The import rules of DESIGN.md, checked over the source (static imports)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "cosec"
IO_PACKAGES = ("graph", "collect", "store", "web", "cli", "simulator", "jobs", "reports")


def _cosec_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("cosec")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("cosec"):
            found.add(node.module)
    return found


def _modules(package: str) -> list[Path]:
    base = SRC / package
    return sorted(base.rglob("*.py")) if base.is_dir() else [SRC / f"{package}.py"]


def _second_level(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


@pytest.mark.parametrize("package", ["model", "frameworks", "errors"])
def test_foundations_import_nothing_else_of_cosec(package: str) -> None:
    allowed = {package} | ({"errors"} if package != "errors" else set())
    for path in _modules(package):
        bad = {m for m in _cosec_imports(path) if _second_level(m) not in allowed}
        assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


@pytest.mark.parametrize("package", ["controls", "metrics", "detect"])
def test_pure_core_never_imports_io(package: str) -> None:
    for path in _modules(package):
        bad = {m for m in _cosec_imports(path) if _second_level(m) in IO_PACKAGES}
        assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


@pytest.mark.parametrize("package", ["governance", "incidents"])
def test_decision_logic_never_imports_io(package: str) -> None:
    """Their decision modules are pure; only the executor of response actions does I/O."""
    io_modules = {"executor.py"}
    for path in _modules(package):
        if path.name in io_modules:
            continue
        bad = {m for m in _cosec_imports(path) if _second_level(m) in IO_PACKAGES}
        assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


def test_simulator_stands_alone() -> None:
    for path in _modules("simulator"):
        bad = {m for m in _cosec_imports(path) if _second_level(m) != "simulator"}
        assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


def test_graph_does_not_know_the_store() -> None:
    for path in _modules("graph"):
        bad = {m for m in _cosec_imports(path) if _second_level(m) in ("store", "collect")}
        assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"
