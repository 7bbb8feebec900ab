"""The sandbox is a self-contained oracle: it imports nothing from the pipeline it judges."""
from __future__ import annotations

import ast
from pathlib import Path

import onionwatch.sandbox

SANDBOX = Path(onionwatch.sandbox.__file__).parent
FORBIDDEN_TOP = ("crawlers", "extract", "graph", "search_index")
FORBIDDEN_MODULES = ("onionwatch.core.models",)


def _is_forbidden(module: str) -> bool:
    return (module.split(".")[0] in FORBIDDEN_TOP
            or any(module == m or module.startswith(m + ".") for m in FORBIDDEN_MODULES))


def _package_of(path: Path) -> str:
    """Dotted package a sandbox file belongs to (what its relative imports are relative to)."""
    parts = ["onionwatch", "sandbox", *path.relative_to(SANDBOX).parent.parts]
    return ".".join(parts)


def _imported_modules(source: str, package: str) -> list[str]:
    """Absolute names of every module ``source`` imports, relative imports resolved. ``from X
    import y`` gives both ``X`` and ``X.y`` (y may be a submodule); ``import_module("x")`` and
    ``__import__("x")`` with a literal count too."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            found.append(module)
            found += [f"{module}.{alias.name}" for alias in node.names]
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and getattr(node.func, "attr", getattr(node.func, "id", None))
              in ("import_module", "__import__")):
            found.append(node.args[0].value)
    return found


def test_sandbox_modules_are_all_checked():
    names = {p.name for p in SANDBOX.rglob("*.py")}
    assert {"vocab.py", "generator.py", "server.py", "truth.py", "table.py"} <= names


def test_no_sandbox_module_imports_the_pipeline():
    offenders = {}
    for path in sorted(SANDBOX.rglob("*.py")):
        modules = _imported_modules(path.read_text(encoding="utf-8"), _package_of(path))
        if bad := [m for m in modules if _is_forbidden(m)]:
            offenders[str(path.relative_to(SANDBOX))] = bad
    assert offenders == {}


def test_the_rule_catches_every_spelling():
    source = ("from ...models import Listing\n"
              "from onionwatch import models\n"
              "import extract.components\n"
              "from graph import build\n"
              "import importlib\n"
              "importlib.import_module('search_index.sqlite')\n"
              "from . import vocab\n"
              "from ..model import World\n")
    modules = _imported_modules(source, "onionwatch.sandbox.families")
    assert [m for m in modules if _is_forbidden(m)] == [
        "onionwatch.core.models", "onionwatch.core.models.Listing", "onionwatch.core.models",
        "extract.components", "graph", "graph.build", "search_index.sqlite"]
    assert "onionwatch.sandbox.families.vocab" in modules
    assert "onionwatch.sandbox.model" in modules
