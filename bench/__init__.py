"""Benchmarks and evaluations: each prints a ratio against a baseline run in the same process.

They are run from the checkout's root as modules, with onionwatch installed (``make install``,
or ``pip install -e .`` in a virtualenv)::

    .venv/bin/python -m bench.graph_eval --world multi
    .venv/bin/python -m bench.extract_speed --docs 2000

so they import the packages as a user's code does and each other as ``bench.<name>``; none edits
``sys.path``. The checkout's root is on the path (``-m`` puts the working directory there), which
is how :mod:`bench.tor_crawl` reaches the test-only private Tor network (``testnet/``), which is
not installed. See each module's docstring for its options and goals.
"""
