"""JupyterLab as ``onionwatch notebooks`` starts it, in a real browser: Debian's Chromium driven by
Playwright (no browser download). The command runs from an unrelated folder with an isolated home
and no ``ONIONWATCH_*`` variables; the vendor investigation notebook runs in JupyterLab and its
ipysigma graph widget renders, with no request leaving 127.0.0.1. A screenshot of the widget is
saved in ``test-artifacts/notebooks/`` (ignored by git).
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from onionwatch.app.lab import jupyterlab_missing

from onionwatch.core.datadir import pointer_file, state_dir
from tests.browser import chromium, needs

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "test-artifacts" / "notebooks"
#: JupyterLab's user settings in the test's home: no autosave (the notebook run in the browser is
#: never written back), the notebook's own kernel started without asking, no news prompt.
SETTINGS = {"docmanager-extension/plugin.jupyterlab-settings": '{"autosave": false}',
            "notebook-extension/tracker.jupyterlab-settings": '{"autoStartDefaultKernel": true}',
            "apputils-extension/notification.jupyterlab-settings": '{"fetchNews": "false"}'}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def lab_home(demo_home: Path, folder: Path) -> Path:
    """A fresh home for JupyterLab: the demo's pointer to its data, and autosave off."""
    home = folder / "home"
    pointer = pointer_file({"HOME": str(home)})
    pointer.parent.mkdir(parents=True)
    shutil.copy(pointer_file({"HOME": str(demo_home)}), pointer)
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
    for plugin, value in SETTINGS.items():
        path = settings / plugin
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(value, encoding="utf-8")
    return home


def start_lab(home: Path, cwd: Path, port: int, *options: str) -> tuple[subprocess.Popen, str, list[str]]:
    """``onionwatch notebooks`` as a user runs it; returns the process, the address it printed
    and its output lines (read on a thread)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONIONWATCH_", "XDG_", "JUPYTER"))}
    env["HOME"] = str(home)
    process = subprocess.Popen([sys.executable, "-m", "onionwatch.app.cli", "notebooks", "--port", str(port), *options],
                               cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        found = [re.search(r"open: (\S+)", line) for line in list(lines)]
        if any(found):
            return process, next(m.group(1) for m in found if m), lines
        time.sleep(0.2)
    stop(process)
    raise AssertionError("onionwatch notebooks printed no address:\n" + "".join(lines))


def wait_until_up(url: str, process: subprocess.Popen, lines: list[str], timeout: float = 120) -> None:
    parts = urlsplit(url)
    status = f"{parts.scheme}://{parts.netloc}/api/status?{parts.query}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "JupyterLab exited:\n" + "".join(lines)
        try:
            with urllib.request.urlopen(status, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("JupyterLab did not answer in time:\n" + "".join(lines))


def stop(process: subprocess.Popen) -> None:
    """Stop the command and JupyterLab with its kernels (one session, started here)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def browser():
    with chromium() as browser:
        yield browser


@contextmanager
def running_lab(home: Path, cwd: Path, *options: str):
    """``onionwatch notebooks`` started from ``cwd`` with ``home``; yields its address and output."""
    needs("JupyterLab and ipysigma (the notebooks extra)", jupyterlab_missing() is None)
    process, url, lines = start_lab(home, cwd, _free_port(), *options)
    try:
        wait_until_up(url, process, lines)
        yield url, lines
    finally:
        stop(process)


def run_in_lab(browser, url: str, notebook: str, shot: str) -> dict:
    """Open ``notebook`` in JupyterLab, run all its cells, wait for the ipysigma widget to draw,
    screenshot it into ``test-artifacts/notebooks/<shot>.png``; what the page showed and did."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    seen: dict = {"requests": [], "dialogs": []}
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(url.replace("/lab?", f"/lab/tree/{notebook}?"))
    page.locator(".jp-Notebook").first.wait_for(timeout=120_000)
    select = page.locator(".jp-Dialog").get_by_role("button", name="Select", exact=True)
    try:  # the setting in the test's home should spare this dialog; answer it if it comes
        select.wait_for(timeout=10_000)
        select.click()
    except PlaywrightTimeout:
        pass
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=120_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    widget = page.locator(".ipysigma-widget").first
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:  # cells far below the fold are laid out only when scrolled to: attached, not visible
        widget.wait_for(state="attached", timeout=240_000)
    finally:
        page.screenshot(path=str(ARTIFACTS / f"{shot}-page.png"))
    widget.scroll_into_view_if_needed()
    widget.locator("canvas").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # let sigma draw its first frame
    seen["description"] = widget.locator(".ipysigma-graph-description").inner_text()
    seen["legend"] = widget.locator(".ipysigma-legend").inner_text()
    seen["info"] = widget.locator(".ipysigma-information-contents").inner_text()  # the selected account
    seen["injected"] = widget.locator("img[src='x'], script, [onerror]").count()
    seen["text"] = widget.text_content()  # the search box's hidden list of nodes too
    seen["pwned"] = page.evaluate("() => window.__pwned === undefined ? null : window.__pwned")
    seen["errors"] = page.locator("text=Error displaying widget").count()
    widget.screenshot(path=str(ARTIFACTS / f"{shot}.png"))
    page.close()
    seen["hosts"] = {urlsplit(u).hostname for u in seen["requests"]
                     if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    return seen


def test_onionwatch_notebooks_serves_the_graph_widget(browser, demo_dir, demo_home, truth, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = _tree(NOTEBOOKS)
    with running_lab(lab_home(demo_home, tmp_path), elsewhere) as (url, lines):
        assert urlsplit(url).hostname == "127.0.0.1" and "token=" in url
        assert any(str(demo_dir.resolve()) in line for line in lines), lines  # pointed at the demo's data
        seen = run_in_lab(browser, url, "vendor_investigation.ipynb", "jupyterlab-vendor-graph")
    assert seen["errors"] == 0 and not seen["dialogs"]
    match = re.search(r"ego network of (\S+)", seen["description"])
    assert match, seen["description"]
    me = match.group(1)
    actor_of = {f"{r['market']}/{r['handle']}": r["actor_id"] for r in truth if r["type"] == "vendor"}
    assert me in actor_of and sum(1 for a in actor_of.values() if a == actor_of[me]) > 1
    assert re.search(r"\d+\s+nodes", seen["description"]) and "alias" in seen["legend"], seen
    assert me in seen["info"] and "this account" in seen["info"] and "sha256:" in seen["info"], seen["info"]
    assert (ARTIFACTS / "jupyterlab-vendor-graph.png").stat().st_size > 10_000
    assert seen["hosts"] == {"127.0.0.1"}, seen["hosts"]  # JupyterLab and the widget work offline
    assert _tree(NOTEBOOKS) == before, "JupyterLab wrote into notebooks/"
    checkpoints = state_dir({"HOME": str(tmp_path / "home")}) / "notebook-checkpoints"
    assert (checkpoints / "vendor_investigation-checkpoint.ipynb").is_file()  # kept in the user's state folder


INJECTION = '<img src=x onerror="window.__pwned = 1">'
HOSTILE = [{"market": "m1", "handle": f"Dr{INJECTION}", "contacts": ["Wickr: whiteline"],
            "profile_text": f"White line. {INJECTION}"},
           {"market": "m2", "handle": "dr\u202eetihw<script>window.__pwned = 2</script>", "contacts": ["Wickr: whiteline"],
            "profile_text": "White line. <script>window.__pwned = 2</script>"}]


def test_hostile_handles_stay_text_in_the_graph_widget(browser, tmp_path):
    """Vendor handles and identifiers carrying markup and bidi controls are drawn and listed as
    text by the widget: nothing runs, no element is injected."""
    import nbformat

    folder = tmp_path / "notebooks"
    folder.mkdir()
    data = tmp_path / "data"
    (data / "items").mkdir(parents=True)
    (data / "items" / "m1-c1.jsonl").write_text("{}\n", encoding="utf-8")
    code = ("from graph.pipeline import build_vendor_graph\nfrom onionwatch.app import insights\n"
            f"G, _ = build_vendor_graph({HOSTILE!r})\n"
            f"insights.vendor_graph_widget(G, 'm1', {HOSTILE[0]['handle']!r})")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / "hostile.ipynb")
    home = tmp_path / "home"
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
    for plugin, value in SETTINGS.items():
        (settings / plugin).parent.mkdir(parents=True, exist_ok=True)
        (settings / plugin).write_text(value, encoding="utf-8")
    with running_lab(home, tmp_path, "--data-dir", str(data), "--notebook-dir", str(folder)) as (url, _):
        seen = run_in_lab(browser, url, "hostile.ipynb", "jupyterlab-hostile-graph")
    assert seen["errors"] == 0
    assert seen["pwned"] is None and not seen["dialogs"] and seen["injected"] == 0, seen
    assert f"Dr{INJECTION}" in seen["info"], seen["info"]  # shown as text, as it is
    assert "\u202e" not in seen["text"] and "dr\\u202eetihw<script>" in seen["text"]  # the override shown, not obeyed
    assert "alias" in seen["legend"] and "5 nodes" in " ".join(seen["description"].split()), seen  # linked
    assert seen["hosts"] == {"127.0.0.1"}, seen["hosts"]
