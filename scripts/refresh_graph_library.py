#!/usr/bin/env python3
"""Refresh the search page's graph library from the npm registry, without Node (``make web-graph-library``).

Downloads the package tarball that the registry lists for the pinned version (see
``onionwatch/app/web/assets.py``), checks it against the registry's ``dist.integrity`` (SHA-512), and
extracts the minified distribution file and the licence into ``onionwatch/app/web/static/``. Prints
the SHA-256 of each file: put them into ``PINNED`` in assets.py (the asset test checks them).

    python scripts/refresh_graph_library.py [VERSION]
"""
import base64
import hashlib
import importlib.util
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "onionwatch" / "app" / "web" / "static"
FILES = {"package/dist/cytoscape.min.js": "cytoscape.min.js", "package/LICENSE": "cytoscape.LICENSE"}


def main(argv: list[str]) -> int:
    # assets.py is read on its own (standard library only), so the system python3 runs this without
    # the project's dependencies installed.
    spec = importlib.util.spec_from_file_location("assets", STATIC.parent / "assets.py")
    assets = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(assets)
    GRAPH_LIBRARY, GRAPH_LIBRARY_VERSION = assets.GRAPH_LIBRARY, assets.GRAPH_LIBRARY_VERSION
    version = argv[0] if argv else GRAPH_LIBRARY_VERSION
    with urllib.request.urlopen(f"https://registry.npmjs.org/{GRAPH_LIBRARY}/{version}", timeout=60) as response:
        meta = json.load(response)
    tarball, integrity = meta["dist"]["tarball"], meta["dist"]["integrity"]
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        print(f"unexpected integrity algorithm {algorithm!r} for {GRAPH_LIBRARY}@{version}", file=sys.stderr)
        return 1
    with urllib.request.urlopen(tarball, timeout=120) as response:
        data = response.read()
    if base64.b64encode(hashlib.sha512(data).digest()).decode() != expected:
        print(f"{tarball} does not match the registry's integrity hash: nothing written", file=sys.stderr)
        return 1
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member, name in FILES.items():
            content = archive.extractfile(member).read()
            (STATIC / name).write_bytes(content)
            print(f'    "{name}": "{hashlib.sha256(content).hexdigest()}",')
    print(f"{GRAPH_LIBRARY}@{version} written to {STATIC}: update GRAPH_LIBRARY_VERSION and PINNED in"
          " onionwatch/app/web/assets.py")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
