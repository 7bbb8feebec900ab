"""Property-based tests (hypothesis): for any input, no exception and every span inside the text.

Modules, one a public surface:

- ``test_extract_parsers.py``: the extraction parsers (prices, shipping, quantities, terms);
- ``test_query_parser.py`` (to come, with issue 14 item 7): the search query parser;
- ``test_web_routes.py`` (to come, with issue 14 item 6): every route of the search page.

The settings profile is chosen in ``tests/conftest.py``: ``ci`` (when ``CI`` is set) is
derandomised with a fixed example budget, so the whole property suite stays under about a minute;
``dev`` explores at random. Choose another with ``--hypothesis-profile NAME``.
"""
