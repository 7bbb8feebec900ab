"""The top layer, what a person uses: the ``onionwatch`` command (:mod:`~onionwatch.app.cli` and its
:mod:`~onionwatch.app.commands`), the search page (:mod:`~onionwatch.app.web`), the notebooks'
analyses (:mod:`~onionwatch.app.insights`), the report (:mod:`~onionwatch.app.report`) and the local
Elasticsearch node (:mod:`~onionwatch.app.es`). Nothing below imports it."""
