"""Apply a market's fault switches to one response (see ``switches.Faults`` for what each does).

``apply_faults`` returns the response to send and how to send it: ``delay`` seconds to wait first
and, for truncation, how many body bytes to write before closing (``Content-Length`` still says
the full size). Which request is hit is decided by the runtime's seeded dice.

>>> import random
>>> from onionwatch.sandbox.switches import Faults
>>> from onionwatch.sandbox.families.base import Response
>>> r = Response(200, b"<html><head><meta charset=\\"utf-8\\"></head><body>\\xc3\\xa4</body></html>")
>>> out, delay, cut = apply_faults(r, Faults(charset_rate=1), random.Random(1), [0])
>>> out.content_type, b'charset="windows-1252"' in out.body, cut
('text/html; charset=windows-1252', True, None)
"""
from __future__ import annotations

import random
import re

from .families.base import HTML_TYPE, Response
from .switches import Faults

__all__ = ["apply_faults", "malform"]

_STATUSES = (502, 503, 500, 504)


def malform(body: bytes, rng: random.Random) -> bytes:
    """Break markup the way broken markets do: drop closing tags, add stray ones, bare ``&``."""
    text = body.decode("utf-8", errors="replace")
    text = re.sub(r"</(p|li|td|tr|div|dd)>", lambda m: "" if rng.random() < 0.5 else m.group(0),
                  text)
    text = text.replace("<body>", "<body><div><table><tr><td>Sale & more < 50% off", 1)
    text = text.replace("</main>", "</span></div></main>", 1)
    return text.encode("utf-8")


def apply_faults(response: Response, faults: Faults, dice: random.Random,
                 burst: list[int]) -> tuple[Response, float, int | None]:
    """``(response, delay, cut)``; ``burst`` is a one-item list holding the 5xx answers left."""
    delay = faults.latency + (dice.uniform(0, faults.jitter) if faults.jitter else 0.0)
    if not faults.any() or response.content_type != HTML_TYPE:
        return response, delay, None
    if burst[0] > 0 or (faults.error_rate and dice.random() < faults.error_rate):
        burst[0] = (burst[0] or faults.burst) - 1
        status = dice.choice(_STATUSES)
        body = f"<html><body><h1>{status} Bad Gateway</h1><hr>nginx</body></html>".encode()
        return Response(status, body, HTML_TYPE, (("Retry-After", "2"),)), delay, None
    body, ctype = response.body, response.content_type
    if faults.malformed_rate and dice.random() < faults.malformed_rate:
        body = malform(body, dice)
    if faults.oversize_rate and dice.random() < faults.oversize_rate:
        pad = max(0, faults.oversize_bytes - len(body))
        body = body.replace(b"</body>", b"<!-- " + b"x" * pad + b" --></body>", 1)
    if faults.charset_rate and dice.random() < faults.charset_rate:
        body = body.replace(b'charset="utf-8"', b'charset="windows-1252"').replace(
            b"charset=utf-8", b"charset=windows-1252")
        ctype = "text/html; charset=windows-1252"
    cut = None
    if faults.truncate_rate and dice.random() < faults.truncate_rate:
        cut = len(body) // 2
    return Response(response.status, body, ctype, response.headers), delay, cut
