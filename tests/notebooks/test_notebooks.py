"""The investigator notebooks run top to bottom against fresh demo data, and their key outputs
agree with the sandbox's ground truth. A probe cell appended here prints what they computed."""
from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient


NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def run_notebook(name: str, data_dir: Path, workdir: Path, probe: str | None = None):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    if probe:
        nb.cells.append(nbformat.v4.new_code_cell(probe))
    os.environ["ONIONWATCH_DATA_DIR"] = str(data_dir)  # the notebooks' default data directory
    try:
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(workdir)}}).execute()
    finally:
        del os.environ["ONIONWATCH_DATA_DIR"]
    return nb


def probe_output(nb) -> dict:
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return json.loads(text.strip().splitlines()[-1])


def test_notebooks_are_stored_without_outputs():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells
                   if c.cell_type == "code"), path.name


def test_fentanyl_watch(demo_dir, check_top_watch_vendors, tmp_path):
    nb = run_notebook("fentanyl_watch.ipynb", demo_dir, tmp_path,
                      "import json; print(json.dumps({'vendors': vendors['vendor'].tolist(),"
                      " 'leads': str(leads_path)}))")
    found = probe_output(nb)
    check_top_watch_vendors(found["vendors"])
    leads = (tmp_path / found["leads"]).read_text(encoding="utf-8").splitlines()
    assert leads[0].startswith("market,vendor,listing_id") and len(leads) > 1


def test_market_overview(demo_dir, truth, tmp_path):
    nb = run_notebook("market_overview.ipynb", demo_dir, tmp_path,
                      "import json; print(json.dumps(insights.market_overview(data)"
                      "[['market', 'listings']].values.tolist()))")
    expected = [[m["market"], m["listings"]] for m in truth if m["type"] == "market"]
    assert sorted(probe_output(nb)) == sorted(expected)
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) >= 4


def test_vendor_investigation(demo_dir, truth, tmp_path):
    nb = run_notebook("vendor_investigation.ipynb", demo_dir, tmp_path,
                      "import json; print(json.dumps({'account': [market, handle],"
                      " 'aliases': None if alias_table is None else alias_table['handle'].tolist(),"
                      " 'linked': sorted(n for n in view.graph if view.graph.nodes[n].get('type') == 'account'),"
                      " 'digest': evidence['digest_checked']}))")
    found = probe_output(nb)
    market, handle = found["account"]
    vendors = {r["handle"]: r for r in truth if r["type"] == "vendor"}
    same_actor = {f"{market}/{h}" for h, r in vendors.items() if r["actor_id"] == vendors[handle]["actor_id"]}
    assert same_actor <= set(found["linked"])  # the ego view shows every account of this actor
    html = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", [])
            if "text/html" in o.get("data", {}) and "ow-graph" in o["data"]["text/html"]]
    assert html and "<script" in html[0] and "src=" not in html[0]
    assert found["digest"].startswith("sha256:")
    if found["aliases"] is None:
        pytest.skip("WAITING for the vendor-link graph (issue 7): the alias check runs once it scores aliases")
    assert same_actor - {f"{market}/{handle}"} <= {f"{market}/{h}" for h in found["aliases"]}
