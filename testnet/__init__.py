"""A private Tor network on 127.0.0.1 for onionwatch's end-to-end tests and benchmarks (a checkout's test
helper, not shipped: ``scripts/tor_testnet.py``, ``make tor-testnet`` and ``tests/tor`` use it).

Three directory authorities (keys from ``tor-gencert``), relays that are never exits, one v3 onion
service a sandbox market and a client whose SOCKS port isolates circuits by SOCKS credentials.
Every torrc is checked to stay on loopback and in the private network before tor runs with it; a
connection sampler watches the processes for any non-loopback connection. The modules that start
processes import nothing at import time that opens a connection.

>>> from testnet import check_torrc, UnsafeTorrc
>>> try:
...     check_torrc("SocksPort 9050\\n")
... except UnsafeTorrc as exc:
...     print(exc)
TestingTorNetwork 1 is missing
"""
from __future__ import annotations

from .leaks import ConnectionSampler, LeakDetected, is_loopback
from .network import TorNetwork, TorNetworkError, TorProcess, find_tor, free_ports
from .torrc import UnsafeTorrc, check_torrc

__all__ = [
    "ConnectionSampler", "LeakDetected", "TorNetwork", "TorNetworkError", "TorProcess", "UnsafeTorrc",
    "check_torrc", "find_tor", "free_ports", "is_loopback",
]
