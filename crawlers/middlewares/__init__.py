"""Downloader middlewares: WARC evidence."""
