"""The investigator notebooks run top to bottom as Jupyter runs them, and their key outputs agree
with the sandbox's ground truth.

Each notebook runs from the checkout's ``notebooks/`` folder (the kernel's working directory, as
JupyterLab sets it), with an isolated home and no ``ONIONWATCH_*`` variables: the notebooks find
the session demo's data the way a new user's would, through the pointer the demo left in that
home (onionwatch.core.datadir). Nothing may be written into ``notebooks/``. A probe cell appended
here prints what they computed.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import networkx as nx
import nbformat
import pytest
from nbclient import NotebookClient
from stix2validator import ValidationOptions, validate_string

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.fixture
def as_a_new_user(demo_home, monkeypatch):
    """The kernel's environment: the demo's isolated home, no onionwatch or XDG settings."""
    for name in list(os.environ):
        if name.startswith(("ONIONWATCH_", "XDG_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(demo_home))
    return demo_home


def run_notebook(name: str, probe: str | None = None):
    """Execute a notebook of ``notebooks/`` as Jupyter does (its folder as working directory) and
    check it wrote nothing there."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    if probe:
        nb.cells.append(nbformat.v4.new_code_cell(probe))
    before = _tree(NOTEBOOKS)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    assert _tree(NOTEBOOKS) == before, "a notebook wrote into notebooks/"
    assert not (NOTEBOOKS / "onionwatch-data").exists()
    return nb


def probe_output(nb) -> dict:
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return json.loads(text.strip().splitlines()[-1])


def _actor_accounts(truth: list[dict], me: str) -> set[str]:
    actor_of = {f"{r['market']}/{r['handle']}": r["actor_id"] for r in truth if r["type"] == "vendor"}
    return {a for a, actor in actor_of.items() if actor == actor_of[me]}


def test_notebooks_are_stored_without_outputs():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells
                   if c.cell_type == "code"), path.name
    assert not (NOTEBOOKS / "onionwatch-data").exists()  # no stray data directory in the checkout


def test_fentanyl_watch(as_a_new_user, demo_dir, true_watch_actors, check_top_watch_vendors):
    nb = run_notebook("fentanyl_watch.ipynb",
                      "import json; print(json.dumps({'vendors': vendors['vendor'].tolist(), 'data': str(data.config.data_dir),"
                      " 'actors': [a.split(', ') for a in actors['accounts']], 'leads': str(leads_path)}))")
    found = probe_output(nb)
    assert Path(found["data"]).resolve() == demo_dir.resolve()  # found through the demo's pointer
    check_top_watch_vendors(found["vendors"])
    # by resolved actor, across markets: the same leader and 4 of the true top 5, account for account
    expected = true_watch_actors[:5]
    actors = [set(accounts) for accounts in found["actors"][:5]]
    assert actors[0] == expected[0], (actors, expected)
    assert sum(1 for a in actors if a in expected) >= 4, (actors, expected)
    leads_path = Path(found["leads"])
    assert leads_path.resolve().parent == (demo_dir / "exports").resolve()  # in the data, not in notebooks/
    leads = leads_path.read_text(encoding="utf-8").splitlines()
    assert leads[0].startswith("market,vendor,listing_id") and len(leads) > 1


def test_market_overview(as_a_new_user, demo_dir, truth):
    nb = run_notebook("market_overview.ipynb",
                      "import json; print(json.dumps(insights.market_overview(data)"
                      "[['market', 'listings']].values.tolist()))")
    expected = [[m["market"], m["listings"]] for m in truth if m["type"] == "market"]
    assert sorted(probe_output(nb)) == sorted(expected)
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) >= 4


def test_vendor_investigation(as_a_new_user, demo_dir, truth):
    nb = run_notebook("vendor_investigation.ipynb",
                      "import json; print(json.dumps({'account': [market, handle],"
                      " 'aliases': alias_table['account'].tolist(), 'direct': int(alias_table['direct'].sum()),"
                      " 'evidence_rows': len(insights.alias_evidence(data, market, handle)),"
                      " 'listing_accounts': sorted(set(listings['market'] + '/' + listings['vendor'])),"
                      " 'linked': sorted(n for n in view.graph if view.graph.nodes[n].get('type') == 'account'),"
                      " 'digest': evidence['digest_checked'],"
                      " 'exports': {k: str(v) for k, v in exports.files.items()}}))")
    found = probe_output(nb)
    me = "/".join(found["account"])
    same_actor = _actor_accounts(truth, me)
    assert len(same_actor) > 1, "the notebook's default account should be one of an actor's several accounts"
    assert set(found["aliases"]) == same_actor - {me}  # the scored aliases are exactly the true ones
    assert found["direct"] >= 1 and found["evidence_rows"] >= found["direct"]
    assert same_actor <= set(found["linked"])  # the ego view shows every account of this actor
    assert set(found["listing_accounts"]) <= same_actor and me in found["listing_accounts"]
    html = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", [])
            if "text/html" in o.get("data", {}) and "ow-graph" in o["data"]["text/html"]]
    assert html and "<script" in html[0] and "src=" not in html[0]
    assert "stroke-dasharray" in html[0]  # alias links are drawn
    assert found["digest"].startswith("sha256:")
    check_graph_widget(nb, me, same_actor)
    check_exports(nb, found["exports"], demo_dir, me, same_actor)


def check_graph_widget(nb, me: str, same_actor: set[str]) -> None:
    """The ipysigma widget's graph, as the notebook stores it for JupyterLab: the account, its
    true aliases, their markets, and every alias link with a score and evidence."""
    views = [o["data"][WIDGET_VIEW] for c in nb.cells for o in c.get("outputs", []) if WIDGET_VIEW in o.get("data", {})]
    assert len(views) == 1, views
    model = nb.metadata.widgets[WIDGET_STATE]["state"][views[0]["model_id"]]
    assert model["model_name"] == "SigmaModel" and model["state"]["clickable_edges"] is True
    graph = model["state"]["data"]
    kinds = {n["key"]: n["attributes"]["kind"] for n in graph["nodes"]}
    assert kinds[me] == "this account"
    assert {n for n, k in kinds.items() if k == "alias"} == same_actor - {me}
    assert {n for n, k in kinds.items() if k == "market"} == {"market:" + a.split("/")[0] for a in same_actor}
    alias_links = [e for e in graph["edges"] if e["attributes"]["kind"] == "alias"]
    pairs = {frozenset((e["source"], e["target"])) for e in alias_links}
    assert all(pair <= same_actor for pair in pairs)  # no link to another actor's account
    assert set().union(*pairs) == same_actor  # every account of the actor is linked in
    for link in alias_links:
        attrs = link["attributes"]
        assert 0 < attrs["score"] <= 1 and attrs["label"] == f"alias {attrs['score']:.2f}"
        assert attrs["signals"] and attrs["evidence"] and "sha256:" in attrs["records"]


def check_exports(nb, files: dict[str, str], demo_dir: Path, me: str, same_actor: set[str]) -> None:
    """GEXF and GraphML of the ego network and the actor's STIX bundle, in the data directory,
    offered as download links beside the widget."""
    assert set(files) == {"gexf", "graphml", "stix"}
    for path in files.values():
        assert Path(path).resolve().parent == (demo_dir / "exports").resolve()
    links = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", [])
             if "Exports of" in o.get("data", {}).get("text/html", "")]
    assert links and links[0].count('download="') == 3
    for reader, fmt in ((nx.read_gexf, "gexf"), (nx.read_graphml, "graphml")):
        G = reader(files[fmt])
        aliases = {n for n, d in G.nodes(data=True) if d.get("kind") == "alias"}
        assert aliases == same_actor - {me}, fmt
    text = Path(files["stix"]).read_text(encoding="utf-8")
    assert validate_string(text, ValidationOptions(version="2.1")).is_valid
    bundle = json.loads(text)
    actors = [o for o in bundle["objects"] if o["type"] == "threat-actor"]
    accounts = {o["user_id"] for o in bundle["objects"] if o["type"] == "user-account" and "user_id" in o}
    assert len(actors) == 1 and accounts == same_actor
    assert set(actors[0]["aliases"]) == {a.split("/", 1)[1] for a in same_actor}
