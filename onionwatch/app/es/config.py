"""The node's configuration: ``elasticsearch.yml`` and the JVM heap, rendered on every start."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from onionwatch.app.es.base import CLUSTER_NAME, HOST, NodeError
from onionwatch.app.es.layout import Layout

__all__ = ["validate_heap", "render_yml", "write_config"]


def validate_heap(heap: str) -> str:
    if not re.fullmatch(r"[1-9]\d*[mMgG]", heap):
        raise NodeError(f"bad --heap {heap!r}", hint="use e.g. 512m or 1g")
    return heap.lower()


def render_yml(layout: Layout, dist: Path) -> str:
    q = json.dumps  # a JSON string is a valid YAML scalar
    lines = [
        "# written by onionwatch es (onionwatch/app/es/config.py) on every start; edit that, not this file",
        f"cluster.name: {CLUSTER_NAME}",
        f"node.name: onionwatch-es-{layout.port}",
        "discovery.type: single-node",
        f"network.host: {HOST}",
        f"http.port: {layout.port}",
        "transport.port: 9300-9399",
        f"path.data: {q(str(layout.data))}",
        f"path.logs: {q(str(layout.logs))}",
        f"path.repo: [{q(str(layout.snapshots))}]",
        "bootstrap.memory_lock: false",
        "cluster.routing.allocation.disk.threshold_enabled: false",
        "action.destructive_requires_name: false",
    ]
    if (dist / "modules" / "x-pack-security").is_dir():
        lines.append("xpack.security.enabled: false")
    return "\n".join(lines) + "\n"


def write_config(layout: Layout, dist: Path, heap: str) -> None:
    for d in (layout.node, layout.config, layout.config / "jvm.options.d", layout.data, layout.logs, layout.tmp, layout.snapshots):
        d.mkdir(parents=True, exist_ok=True)
    # Refresh the distribution's own config files (keeps the node's keystore).
    for src in (dist / "config").iterdir():
        if src.is_file() and src.name != "elasticsearch.yml":
            shutil.copyfile(src, layout.config / src.name)
    (layout.config / "elasticsearch.yml").write_text(render_yml(layout, dist))
    (layout.config / "jvm.options.d" / "onionwatch.options").write_text(
        f"# written by onionwatch es (onionwatch/app/es/config.py)\n-Xms{heap}\n-Xmx{heap}\n")
