"""The code that joins the stages: it imports crawlers, extract, graph and search_index, which never
import it or each other upward.

- :mod:`~onionwatch.pipeline.indexing`: crawl records -> extraction -> the search store;
- :mod:`~onionwatch.pipeline.warc_source`: which records files and archived crawls feed a rebuild;
- :mod:`~onionwatch.pipeline.rebuild`: rebuild the search store from the data directory;
- :mod:`~onionwatch.pipeline.schedule`: crawl markets on a schedule, index, run the watches;
- :mod:`~onionwatch.pipeline.demo`: the whole pipeline over the sandbox markets.
"""
