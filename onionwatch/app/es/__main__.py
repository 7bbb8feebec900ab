"""``python -m onionwatch.app.es``: the node runner's command line (see :mod:`onionwatch.app.es`)."""
import sys

from onionwatch.app.es.cli import main

sys.exit(main())
