"""Run a real Elasticsearch on 127.0.0.1 for onionwatch: one node, or a local cluster of several.

Standard library only. The distribution is Elastic's integration-test zip, fetched
from Maven Central with ``mvn`` (Elastic's own download site is not needed). It works from an
installed package as from a checkout (``scripts/es_node.py`` and ``make es`` call it):

    onionwatch es start|status|stop [--port 9200] [--nodes 3]
    python -m onionwatch.app.es start  [--port 9200] [--home DIR] [--heap 512m] [--fresh]
    python -m onionwatch.app.es status [--port 9200] [--home DIR]
    python -m onionwatch.app.es stop   [--port 9200] [--home DIR]
    python -m onionwatch.app.es fetch                     # download + unzip only
    python -m onionwatch.app.es start|status|stop --nodes 3 [--port 9210] [--transport-port 9310]

One module a concern: :mod:`.base` (the pinned release, defaults, errors), :mod:`.layout` (paths,
locks), :mod:`.dist` (fetch and unzip), :mod:`.java` (finding a JDK), :mod:`.users` (dropping root),
:mod:`.config` (elasticsearch.yml and heap), :mod:`.process` (pid, health, stopping), :mod:`.node`
(the actions), :mod:`.cluster` (several nodes as one local cluster) and :mod:`.cli`.

``start`` is idempotent: if this node already runs it reports and exits 0.
Exit codes: 0 ok; 1 failure (message says what to do); 2 usage; 3 (status) not running.

Layout (defaults; each is configurable):
  cache  ~/.cache/onionwatch/es/elasticsearch-<v>.zip          --cache / ONIONWATCH_ES_CACHE
  home   <checkout>/.onionwatch/es/ (installed: ~/.local/share/onionwatch/es/)  --home / ONIONWATCH_ES_HOME
           dist/elasticsearch-<v>/     unzipped once, root-owned, world-readable
                                       (ONIONWATCH_ES_DIST: use an already unzipped one)
           node-<port>/config|data|logs|tmp|snapshots, es.pid, launcher.log (one a node of a cluster)
Java 21+ is needed (9.x): --java-home / ONIONWATCH_ES_JAVA_HOME / ES_JAVA_HOME, else the
newest JDK found under /usr/lib/jvm/* (or ONIONWATCH_ES_JVM_DIRS, ':'-separated).
Elasticsearch refuses to run as root: when run as root the node runs as the system user
``onionwatch-es`` (--user / ONIONWATCH_ES_USER), created with ``useradd --system`` if missing;
when run as a normal user it runs as that user.

What the integ-test zip lacks (no analysis-common, painless, reindex, ingest-common,
mapper-extras, percolator, ...): see the notes in :mod:`onionwatch.app.es.dist`.
"""
from __future__ import annotations

from onionwatch.app.es.base import DEFAULT_PORT, ES_VERSION, HOST, NodeError
from onionwatch.app.es.cli import build_parser, main
from onionwatch.app.es.config import render_yml, validate_heap, write_config
from onionwatch.app.es.dist import ensure_dist, fetch_zip, unzip_dist
from onionwatch.app.es.java import find_java, parse_java_version
from onionwatch.app.es.layout import Layout, Ports, default_cache, default_home
from onionwatch.app.es.process import health, running_pid, terminate

__all__ = ["DEFAULT_PORT", "ES_VERSION", "HOST", "NodeError", "build_parser", "main", "render_yml", "validate_heap",
           "write_config", "ensure_dist", "fetch_zip", "unzip_dist", "find_java", "parse_java_version", "Layout", "Ports",
           "default_cache", "default_home", "health", "running_pid", "terminate"]
