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
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from onionwatch.core.datadir import pointer_file, state_dir

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "test-artifacts" / "notebooks"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
#: JupyterLab's user settings in the test's home: no autosave (the notebook run in the browser is
#: never written back), the notebook's own kernel started without asking, no news prompt.
SETTINGS = {"docmanager-extension/plugin.jupyterlab-settings": '{"autosave": false}',
            "notebook-extension/tracker.jupyterlab-settings": '{"autoStartDefaultKernel": true}',
            "apputils-extension/notification.jupyterlab-settings": '{"fetchNews": "false"}'}


def needs(what: str, ok: bool) -> None:
    if not ok:
        message = f"{what} is missing: `make test` installs it"
        if os.environ.get("CI") or os.environ.get("ONIONWATCH_TEST_ES_URL"):
            pytest.fail(message)
        pytest.skip(message)


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


def start_lab(home: Path, cwd: Path, port: int) -> tuple[subprocess.Popen, str, list[str]]:
    """``onionwatch notebooks`` as a user runs it; returns the process, the address it printed
    and its output lines (read on a thread)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONIONWATCH_", "XDG_", "JUPYTER"))}
    env["HOME"] = str(home)
    process = subprocess.Popen([sys.executable, "-m", "onionwatch.app.cli", "notebooks", "--port", str(port)],
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
def lab(demo_dir, demo_home, tmp_path):
    needs("JupyterLab and ipysigma (the notebooks extra)",
          all(shutil.which(n, path=os.path.dirname(sys.executable)) for n in ("jupyter-lab",)))
    home = lab_home(demo_home, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    process, url, lines = start_lab(home, elsewhere, _free_port())
    try:
        wait_until_up(url, process, lines)
        yield url, lines
    finally:
        stop(process)


def test_onionwatch_notebooks_serves_the_graph_widget(lab, demo_dir, truth, tmp_path):
    needs("Debian's chromium", os.path.exists(CHROMIUM))
    try:
        from playwright.sync_api import TimeoutError as PlaywrightTimeout
        from playwright.sync_api import sync_playwright
    except ImportError:
        needs("the playwright package", False)
    url, lines = lab
    assert urlsplit(url).hostname == "127.0.0.1" and "token=" in url
    assert any(str(demo_dir.resolve()) in line for line in lines), lines  # pointed at the demo's data
    before = _tree(NOTEBOOKS)
    notebook = url.replace("/lab?", "/lab/tree/vendor_investigation.ipynb?")
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(notebook)
            page.locator(".jp-Notebook").first.wait_for(timeout=120_000)
            select = page.locator(".jp-Dialog").get_by_role("button", name="Select", exact=True)
            try:  # the setting above should spare this dialog; answer it if it comes
                select.wait_for(timeout=10_000)
                select.click()
            except PlaywrightTimeout:
                pass
            page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=120_000)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            widget = page.locator(".ipysigma-widget").first
            try:  # cells far below the fold are laid out only when scrolled to: attached, not visible
                widget.wait_for(state="attached", timeout=240_000)
            finally:
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "jupyterlab-after-run-all.png"))
            widget.scroll_into_view_if_needed()
            widget.locator("canvas").first.wait_for(timeout=60_000)
            page.wait_for_timeout(1500)  # let sigma draw its first frame
            description = widget.locator(".ipysigma-graph-description").inner_text()
            legend = widget.locator(".ipysigma-legend").inner_text()
            info = widget.locator(".ipysigma-information-contents").inner_text()  # the selected account
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            widget.screenshot(path=str(ARTIFACTS / "jupyterlab-vendor-graph.png"))
            widget.screenshot(path=str(tmp_path / "jupyterlab-vendor-graph.png"))
            errors = page.locator("text=Error displaying widget").count()
        finally:
            browser.close()
    assert errors == 0
    match = re.search(r"ego network of (\S+)", description)
    assert match, description
    me = match.group(1)
    actor_of = {f"{r['market']}/{r['handle']}": r["actor_id"] for r in truth if r["type"] == "vendor"}
    assert me in actor_of and sum(1 for a in actor_of.values() if a == actor_of[me]) > 1
    assert re.search(r"\d+\s+nodes", description) and "alias" in legend, (description, legend)
    assert me in info and "this account" in info and "sha256:" in info, info
    assert (ARTIFACTS / "jupyterlab-vendor-graph.png").stat().st_size > 10_000
    hosts = {urlsplit(u).hostname for u in requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {"127.0.0.1"}, hosts  # JupyterLab and the widget work offline
    assert _tree(NOTEBOOKS) == before, "JupyterLab wrote into notebooks/"
    checkpoints = state_dir({"HOME": str(tmp_path / "home")}) / "notebook-checkpoints"
    assert (checkpoints / "vendor_investigation-checkpoint.ipynb").is_file()  # kept in the user's state folder
