"""Download handlers: how bytes are fetched (through the SOCKS5 proxy, see :mod:`crawlers.downloader.socks`)."""
