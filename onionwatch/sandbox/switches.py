"""Per-market switches: the defences a market puts up and the faults it suffers. All off by default.

Both are plain frozen values kept on the :class:`~onionwatch.sandbox.model.Market`; the server reads
them on every request, so a test may switch them while the market is being served::

    market.defences = Defences(login=True, captcha=True)
    market.faults = Faults(latency=0.2, error_rate=0.1)

How each defence looks on the wire, and how a client passes it, is documented in
``onionwatch.sandbox.runtime`` (and summarised in every family module's docstring).

>>> Defences().any(), Defences(queue=True).any(), Faults().any()
(False, True, False)
"""
from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = ["Defences", "Faults", "ALL_DEFENCES"]


@dataclass(frozen=True)
class Defences:
    """Which defences a market puts up.

    - ``login``: every page but the login, registration and CAPTCHA pages needs a session cookie,
      which expires ``session_ttl`` seconds of sandbox-clock time after login.
    - ``captcha``: the login form carries an image CAPTCHA (needs ``login``).
    - ``queue``: a "DDoS protection" queue page before entry, and again on ``queue_rate`` of later
      requests; the pass link works after ``queue_wait`` real seconds.
    - ``rate_limit``: more than ``rate_limit`` requests in ``rate_window`` real seconds from one
      client gives ``429 Too Many Requests`` with ``Retry-After``.
    - ``tokens``: every page carries a fresh token and a timestamp (never byte-identical).
    - ``mirrors``: the market answers on this many extra addresses; one address is retired each
      ``mirror_period`` seconds of clock time (its connections are dropped), in rotation.
    """

    login: bool = False
    captcha: bool = False
    queue: bool = False
    rate_limit: int = 0
    tokens: bool = False
    mirrors: int = 0
    session_ttl: float = 3600.0
    queue_rate: float = 0.0
    queue_wait: float = 1.0
    rate_window: float = 1.0
    mirror_period: float = 86_400.0

    def any(self) -> bool:
        return bool(self.login or self.captcha or self.queue or self.rate_limit or self.tokens
                    or self.mirrors)


@dataclass(frozen=True)
class Faults:
    """Faults a market suffers; ``*_rate`` values are the share of page requests hit (0 to 1).

    - ``latency`` seconds (+ up to ``jitter``) before every response, as over Tor;
    - ``error_rate``: a request starts a burst of ``burst`` ``5xx`` answers (502, 503, 500, 504);
    - ``truncate_rate``: the body is cut at half its declared ``Content-Length`` and the
      connection closed;
    - ``malformed_rate``: unclosed and stray tags, bare ``&`` and ``<``, as broken markets serve;
    - ``oversize_rate``: the page is padded with a comment to ``oversize_bytes``;
    - ``injection_rate``: that share of listings carry raw, *unescaped* script and markup in
      their text (the market fails to escape; chosen per listing, so stable across requests);
    - ``charset_rate``: the body is UTF-8 but headers and ``<meta>`` claim ``windows-1252``.
    """

    latency: float = 0.0
    jitter: float = 0.0
    error_rate: float = 0.0
    burst: int = 3
    truncate_rate: float = 0.0
    malformed_rate: float = 0.0
    oversize_rate: float = 0.0
    oversize_bytes: int = 3_000_000
    injection_rate: float = 0.0
    charset_rate: float = 0.0

    def any(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self)
                   if f.name not in ("burst", "oversize_bytes"))


ALL_DEFENCES = Defences(login=True, captcha=True, queue=True, rate_limit=50, tokens=True,
                        mirrors=2, queue_rate=0.05)
