"""Redraw docs/images/vendor-graph.png: the vendor graph view of the demo's most spread actor,
screenshotted by headless Chromium (Debian's /usr/bin/chromium).

    .venv/bin/onionwatch demo --data-dir /tmp/demo
    .venv/bin/python docs/images/vendor_graph_png.py /tmp/demo
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from onionwatch.app import insights

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", help="a demo data directory")
    parser.add_argument("--out", default=str(Path(__file__).with_name("vendor-graph.png")))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    with insights.Data.open(args.data_dir) as data:
        actors = insights.actor_table(data, n=None)
        spread = actors.assign(n_markets=actors["markets"].str.count(",") + 1)
        best = spread.sort_values(["n_markets", "size", "watch_listings"], ascending=False).iloc[0]
        account = sorted(best["accounts"].split(", "))[0]
        market, _, handle = account.partition("/")
        view = insights.vendor_ego_view(data, market, handle)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "view.html"
        view.save(page)
        subprocess.run([args.chromium, *FLAGS, f"--screenshot={Path(args.out).resolve()}",
                        "--window-size=800,620", page.as_uri()], check=True, capture_output=True, timeout=120)
    print(f"{args.out}: the ego network of {account}")


if __name__ == "__main__":
    main()
