"""The search page's static files: the pinned graph library is the file its hash says, with its
licence; the page's own script and templates give the CSP nothing to allow but ``script-src 'self'``."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from onionwatch.app.web import SearchApp
from onionwatch.app.web.assets import GRAPH_LIBRARY_VERSION, PINNED, SERVED, STATIC, asset
from onionwatch.app.web.server import CSP, SECURITY_HEADERS
from search_index import SqliteStore

TEMPLATES = Path(STATIC).with_name("templates")


@pytest.mark.parametrize("name", sorted(PINNED))
def test_the_committed_third_party_files_match_their_pinned_hash(name):
    assert hashlib.sha256((STATIC / name).read_bytes()).hexdigest() == PINNED[name], (
        f"{name} is not the pinned file: run `make web-graph-library` and update PINNED in assets.py")


def test_the_library_is_the_pinned_version_with_its_licence():
    library = (STATIC / "cytoscape.min.js").read_text(encoding="utf-8")
    assert f'"{GRAPH_LIBRARY_VERSION}"' in library
    licence = (STATIC / "cytoscape.LICENSE").read_text(encoding="utf-8")
    assert "The Cytoscape Consortium" in licence and "Permission is hereby granted, free of charge" in licence  # MIT


def test_the_library_never_evaluates_strings():
    """No eval; its one Function constructor is lodash's global-object fallback, reached only where
    neither ``self`` nor ``global`` exists (never in a browser, and the CSP would refuse it)."""
    library = (STATIC / "cytoscape.min.js").read_text(encoding="utf-8")
    assert not re.search(r"\beval\s*\(", library)
    assert re.findall(r"Function\(", library) == ['Function('] and 'Function("return this")()' in library
    assert "self&&self.Object===Object&&self" in library


def test_the_page_script_sets_text_never_html():
    script = (STATIC / "desk.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function(", "setTimeout(\""):
        assert sink not in script, sink
    assert "textContent" in script


def test_templates_have_no_inline_script_or_handlers_and_load_only_static_scripts():
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert re.fullmatch(r'<script src="/static/[a-z.]+"\s*>', tag), (template.name, tag)
        assert not re.search(r"<script\b[^>]*>\s*[^<\s]", text), template.name  # nothing between the tags
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "{% autoescape false %}" not in text and "|safe" not in text, template.name


def test_the_csp_allows_scripts_from_the_page_itself_and_nothing_more():
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'self'"
    assert "unsafe-eval" not in CSP and "http" not in CSP and "*" not in CSP
    assert SECURITY_HEADERS["Content-Security-Policy"] == CSP


def test_only_the_named_static_files_are_served(tmp_path):
    app = SearchApp(SqliteStore(tmp_path / "s.sqlite3"), "t" * 20)
    for name in SERVED:
        response = app.handle(f"/static/{name}", {})
        assert response.status == 200 and response.body == (STATIC / name).read_bytes()
    for path in ("/static/../app.py", "/static/", "/static/%2e%2e/app.py", "/static/assets.py", "/static//etc/passwd"):
        assert app.handle(path, {}).status == 404, path
    assert asset("desk.js")[0].startswith("text/javascript")
