"""Audit a crawl's own network use: every name look-up and every connection the process makes.

Python raises an audit event for each ``socket.getaddrinfo``, ``gethostbyname`` and ``connect``
(PEP 578), whichever library makes the call. :func:`install` records them to a JSON Lines file;
:func:`find_leaks` reads them back and lists every look-up of a name other than the proxy's and
every connection to anything but the proxy: an empty list means the process never went around it.
Run a crawl under audit with ``onionwatch netaudit AUDIT.jsonl -- crawl ...``
(:mod:`onionwatch.app.commands.netaudit`).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterable

from onionwatch.core.jsonl import read_jsonl

__all__ = ["install", "read_events", "find_leaks"]

_EVENTS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.connect",
           "socket.sendto"}


def install(path: str | Path) -> None:
    """Record this process's look-ups and connections to ``path`` from now on (cannot be undone)."""
    out = open(path, "a", buffering=1, encoding="utf-8")

    def hook(event: str, args: tuple) -> None:
        if event not in _EVENTS:
            return
        if event == "socket.getaddrinfo":
            record = {"event": "lookup", "host": _text(args[0]), "port": args[1]}
        elif event.startswith("socket.gethostbyname"):
            record = {"event": "lookup", "host": _text(args[0]), "port": None}
        else:
            address = args[1] if event == "socket.connect" else args[-1]
            if isinstance(address, tuple):
                record = {"event": "connect", "host": _text(address[0]), "port": address[1]}
            else:
                record = {"event": "connect", "host": _text(address), "port": None}
        out.write(json.dumps(record) + "\n")

    sys.addaudithook(hook)


def _text(value) -> str:
    return value.decode("idna") if isinstance(value, bytes) else str(value)


def read_events(path: str | Path) -> list[dict]:
    """The recorded look-ups and connections (a damaged line is an error naming its file and line)."""
    return list(read_jsonl(path))


def find_leaks(events: Iterable[dict], proxy: tuple[str, int]) -> list[str]:
    """Every look-up and connection that was not of or to the proxy, as readable lines.

    >>> find_leaks([{"event": "connect", "host": "127.0.0.1", "port": 9050},
    ...             {"event": "lookup", "host": "market.onion", "port": 80}], ("127.0.0.1", 9050))
    ['looked up market.onion:80 locally']
    """
    host, port = proxy
    leaks = []
    for event in events:
        if event["event"] == "lookup":
            if event["host"] != host:
                leaks.append(f"looked up {event['host']}:{event['port']} locally")
        elif (event["host"], event["port"]) != (host, port) and not event["host"].startswith("/"):
            leaks.append(f"connected to {event['host']}:{event['port']} without the proxy")
    return leaks

