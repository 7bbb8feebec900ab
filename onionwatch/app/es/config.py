"""The node's configuration: ``elasticsearch.yml`` and the JVM heap, rendered on every start."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from onionwatch.app.es.base import HOST, NodeError
from onionwatch.app.es.layout import Layout

__all__ = ["validate_heap", "render_yml", "write_config", "NODE_OWNED"]


def validate_heap(heap: str) -> str:
    if not re.fullmatch(r"[1-9]\d*[mMgG]", heap):
        raise NodeError(f"bad --heap {heap!r}", hint="use e.g. 512m or 1g")
    return heap.lower()


def render_yml(layout: Layout, dist: Path, *, bootstrap: bool = False, extra: dict[str, str] | None = None) -> str:
    """The node's ``elasticsearch.yml``. A node of a local cluster finds the others through their
    transport ports; ``bootstrap`` (only for a cluster whose nodes have no data yet) names the
    master-eligible nodes that form it. ``extra`` settings (YAML scalars) come last and win, e.g.
    the security settings of a secured node."""
    q = json.dumps  # a JSON string is a valid YAML scalar
    settings: dict[str, str] = {
        "cluster.name": layout.cluster_name,
        "node.name": layout.node_name,
        "network.host": HOST,
        "http.port": str(layout.port),
    }
    if layout.cluster:
        settings["transport.port"] = str(layout.transport_port)
        settings["discovery.seed_hosts"] = q(layout.cluster.seed_hosts())
        if bootstrap:
            settings["cluster.initial_master_nodes"] = q([f"onionwatch-es-{port}" for port in layout.cluster.http])
    else:
        settings["discovery.type"] = "single-node"
        settings["transport.port"] = "9300-9399"
    settings.update({
        "path.data": q(str(layout.data)),
        "path.logs": q(str(layout.logs)),
        "path.repo": f"[{q(str(layout.snapshots))}]",
        "bootstrap.memory_lock": "false",
        # A developer's disk may be fuller than the default watermarks allow: never block writes on it.
        "cluster.routing.allocation.disk.threshold_enabled": "false",
        "action.destructive_requires_name": "false",
    })
    if (dist / "modules" / "x-pack-security").is_dir():
        settings["xpack.security.enabled"] = "false"
    settings.update(extra or {})
    lines = ["# written by onionwatch es (onionwatch/app/es/config.py) on every start; edit that, not this file"]
    return "\n".join(lines + [f"{key}: {value}" for key, value in settings.items()]) + "\n"


#: Files of the node's config folder that belong to the node (users and roles of the file realm):
#: written once from the distribution, then kept.
NODE_OWNED = {"users", "users_roles", "roles.yml", "role_mapping.yml"}


def write_config(layout: Layout, dist: Path, heap: str, *, bootstrap: bool = False,
                 extra: dict[str, str] | None = None) -> None:
    for d in (layout.node, layout.config, layout.config / "jvm.options.d", layout.data, layout.logs, layout.tmp, layout.snapshots):
        d.mkdir(parents=True, exist_ok=True)
    # Refresh the distribution's own config files (keeps the node's keystore, users and roles).
    for src in (dist / "config").iterdir():
        if src.is_file() and src.name != "elasticsearch.yml":
            if src.name in NODE_OWNED and (layout.config / src.name).exists():
                continue
            shutil.copyfile(src, layout.config / src.name)
    (layout.config / "elasticsearch.yml").write_text(render_yml(layout, dist, bootstrap=bootstrap, extra=extra))
    (layout.config / "jvm.options.d" / "onionwatch.options").write_text(
        f"# written by onionwatch es (onionwatch/app/es/config.py)\n-Xms{heap}\n-Xmx{heap}\n")
