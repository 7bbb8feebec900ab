#!/usr/bin/env python3
"""Run a real single-node Elasticsearch on 127.0.0.1 for onionwatch's tests (``make es``, ``make test``).

A thin wrapper: the runner is :mod:`onionwatch.app.es` (``onionwatch es`` or
``python -m onionwatch.app.es``), so it works from an installed package too. Usage:

    python scripts/es_node.py start|status|stop|fetch [--port 9200] [--home DIR] [--heap 512m] [--fresh]
"""
import sys
from pathlib import Path

# Run by the system python3 from `make` (no virtualenv needed): the runner is standard library only,
# so the checkout's own package is put first on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from onionwatch.app.es.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
