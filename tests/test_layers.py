"""One-way layers: which part of the code may import which, checked over every module.

A part is a top-level package (``crawlers``, ``extract``, ``graph``, ``search_index``, ``testnet``) or
a sub-package of ``onionwatch`` (``onionwatch.core``, ``onionwatch.evidence``, ...); a module belongs
to the longest part its name starts with, so ``onionwatch.app.es`` can have a stricter rule than the
rest of ``onionwatch.app``. Every import counts: at the top of a module, inside a function (the
imports made on use), relative or absolute, and ``import_module("x")`` / ``__import__("x")`` with a
literal name. Data flows one way::

    core <- evidence <- stages (crawlers, extract, graph, search_index) <- pipeline <- app

The sandbox is the oracle the pipeline is judged by: it imports nothing of the project.
"""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]

_BASE = {"onionwatch"}  # the root package: only ``__version__``
_CORE = _BASE | {"onionwatch.core"}
_EVIDENCE = _CORE | {"onionwatch.evidence"}
_STAGES = {"crawlers", "extract", "graph", "search_index"}

#: part -> the other parts it may import. A part not listed here is not allowed to exist: a new
#: package must be given its place.
RULES: dict[str, set[str]] = {
    "onionwatch": set(),
    "onionwatch.core": _BASE,
    "onionwatch.evidence": _CORE,
    "extract": _EVIDENCE,
    "crawlers": _EVIDENCE,
    "search_index": _EVIDENCE,
    "graph": _EVIDENCE | {"extract"},  # graph reads identifiers and drug names with extraction's parsers
    "onionwatch.sandbox": set(),  # the oracle: its vocabulary and data model are its own
    "onionwatch.pipeline": _EVIDENCE | _STAGES | {"onionwatch.sandbox"},
    "onionwatch.app": _EVIDENCE | _STAGES | {"onionwatch.sandbox", "onionwatch.pipeline", "onionwatch.app.es"},
    "onionwatch.app.es": set(),  # standard library only: `make es` runs it with the system python3
    "testnet": set(),  # the tests' private Tor network (not shipped)
}

#: Folders whose modules are checked, and the dotted name each stands for.
CHECKED = ["onionwatch", "crawlers", "extract", "graph", "search_index", "testnet"]
PROJECT_TOPS = set(CHECKED)


def part_of(module: str) -> str | None:
    """The part a dotted module name belongs to (the longest rule key it starts with); ``None`` for
    a module outside the project (the standard library, third-party packages).

    >>> part_of("onionwatch.app.es.node"), part_of("onionwatch.app.cli"), part_of("onionwatch.__version__")
    ('onionwatch.app.es', 'onionwatch.app', 'onionwatch')
    """
    if module.split(".")[0] not in PROJECT_TOPS:
        return None
    keys = [k for k in RULES if module == k or module.startswith(k + ".")]
    if not keys:  # a sub-package of onionwatch without a rule, or a new top-level package
        parts = module.split(".")
        return ".".join(parts[:2]) if parts[0] == "onionwatch" and len(parts) > 1 else parts[0]
    return max(keys, key=len)


def module_name(path: Path) -> tuple[str, str]:
    """The dotted name of a source file and the package its relative imports are relative to."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
        return ".".join(parts), ".".join(parts)
    return ".".join(parts), ".".join(parts[:-1])


def imported_modules(source: str, package: str) -> list[tuple[int, str]]:
    """(line, absolute name) of every module ``source`` imports, relative imports resolved. ``from X
    import y`` gives both ``X`` and ``X.y`` (y may be a submodule); ``import_module("x")`` and
    ``__import__("x")`` with a literal count too."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
        elif (isinstance(node, ast.Call) and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
              and getattr(node.func, "attr", getattr(node.func, "id", None))
              in ("import_module", "__import__")):
            found.append((node.lineno, node.args[0].value))
    return found


def project_imports() -> list[tuple[str, int, str, str, str]]:
    """(file, line, imported module, importing part, imported part) of every import between parts."""
    edges = []
    for top in CHECKED:
        for path in sorted((ROOT / top).rglob("*.py")):
            module, package = module_name(path)
            source_part = part_of(module)
            for line, name in imported_modules(path.read_text(encoding="utf-8"), package):
                target_part = part_of(name)
                if target_part is not None and target_part != source_part:
                    edges.append((str(path.relative_to(ROOT)), line, name, source_part, target_part))
    return edges


def test_every_part_has_a_rule():
    parts = {part_of(module_name(p)[0]) for top in CHECKED for p in (ROOT / top).rglob("*.py")}
    assert parts - set(RULES) == set(), "give each new package its place in RULES"
    assert {"onionwatch.core", "onionwatch.evidence", "onionwatch.pipeline", "onionwatch.app",
            "onionwatch.sandbox", "onionwatch.app.es"} <= parts


def test_the_rule_table_is_one_way():
    table = nx.DiGraph((part, allowed) for part, allowed_set in RULES.items() for allowed in allowed_set)
    assert list(nx.simple_cycles(table)) == []


def test_every_import_follows_the_layers():
    offenders = [f"{file}:{line} imports {name} ({source} may not import {target})"
                 for file, line, name, source, target in project_imports() if target not in RULES.get(source, set())]
    assert offenders == [], "imports against the layers:\n" + "\n".join(offenders)


def test_no_cycle_between_parts():
    G = nx.DiGraph()
    for file, line, name, source, target in project_imports():
        G.add_edge(source, target, where=f"{file}:{line} imports {name}")
    cycles = list(nx.simple_cycles(G))
    described = ["  " + " -> ".join(cycle + cycle[:1]) + "  (" + "; ".join(
        G.edges[a, b]["where"] for a, b in zip(cycle, cycle[1:] + cycle[:1])) + ")" for cycle in cycles]
    assert cycles == [], "import cycles between parts:\n" + "\n".join(described)


def _exists(module: str) -> bool:
    """Whether a dotted name is a module or package of the checkout."""
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_every_project_import_names_a_module_that_exists():
    """A moved module leaves no import behind (a relative import inside a function is only run when
    called): each imported name is a module of the checkout, or a name in one."""
    missing = []
    for top in CHECKED:
        for path in sorted((ROOT / top).rglob("*.py")):
            for line, name in imported_modules(path.read_text(encoding="utf-8"), module_name(path)[1]):
                if part_of(name) is not None and not _exists(name) and not _exists(name.rpartition(".")[0]):
                    missing.append(f"{path.relative_to(ROOT)}:{line} imports {name}, which does not exist")
    assert missing == [], "\n".join(missing)


def test_the_whole_tree_is_checked():
    names = {module_name(p)[0] for top in CHECKED for p in (ROOT / top).rglob("*.py")}
    assert {"onionwatch.sandbox.vocab", "onionwatch.sandbox.families.table", "onionwatch.core.config",
            "onionwatch.evidence.warc", "onionwatch.pipeline.rebuild", "onionwatch.app.cli",
            "crawlers.spiders.market", "search_index.sqlite_store", "testnet.network"} <= names


@pytest.mark.parametrize("source, package, expected", [
    ("from ...core.models import Listing\n", "onionwatch.sandbox.families",
     ["onionwatch.core.models", "onionwatch.core.models.Listing"]),
    ("from onionwatch import app\n", "crawlers", ["onionwatch", "onionwatch.app"]),
    ("import extract.components\n", "graph", ["extract.components"]),
    ("def f():\n    from search_index import open_store\n", "crawlers", ["search_index", "search_index.open_store"]),
    ("import importlib\nimportlib.import_module('search_index.sqlite_store')\n", "crawlers",
     ["importlib", "search_index.sqlite_store"]),
    ("from . import vocab\n", "onionwatch.sandbox.families", ["onionwatch.sandbox.families",
                                                              "onionwatch.sandbox.families.vocab"]),
    ("from ..model import World\n", "onionwatch.sandbox.families", ["onionwatch.sandbox.model",
                                                                   "onionwatch.sandbox.model.World"]),
])
def test_the_rule_catches_every_spelling(source, package, expected):
    assert [name for _, name in imported_modules(source, package)] == expected


def test_a_forbidden_import_is_reported():
    [(line, name)] = [(ln, n) for ln, n in imported_modules("x = 1\nfrom onionwatch.app.cli import main\n", "crawlers")
                      if n == "onionwatch.app.cli"]
    assert (line, part_of(name)) == (2, "onionwatch.app")
    assert part_of(name) not in RULES["crawlers"]
    assert part_of("onionwatch.core.models") not in RULES["onionwatch.sandbox"]
