"""The exit statuses of ``onionwatch`` commands, named once for the CLI, the crawler and the scheduler.

The scheduler runs every crawl as an ``onionwatch crawl`` process and reads its exit status back
(a market that is down is recorded as ``down``, not as a failure), and scripts around the tool
read them too: the numbers are an interface and never change.

>>> MARKET_DOWN, CAPTCHA
(4, 3)
>>> print(describe([OK, CAPTCHA]))
exit status: 0 done; 3 a crawl paused on a CAPTCHA (answer it: `onionwatch captcha list`)
"""
from __future__ import annotations

from typing import Iterable

__all__ = ["OK", "FAILED", "ERROR", "CAPTCHA", "MARKET_DOWN", "MEANINGS", "describe"]

#: The work is done.
OK = 0
#: The work ran and what it checked or crawled failed: a WARC file that does not verify, a profile
#: whose rules take no page, a scheduled run that did not finish, every demo crawl failing.
FAILED = 1
#: Nothing (or not all) was done: bad usage or input, or an error the message explains with what
#: to do (argparse's own usage errors exit 2 as well).
ERROR = 2
#: A crawl paused on a CAPTCHA; a person answers it, then the crawl resumes.
CAPTCHA = 3
#: The market is down, or marked down by an earlier crawl; it is tried again later.
MARKET_DOWN = 4

#: What each status means, as ``--help`` says it.
MEANINGS: dict[int, str] = {
    OK: "done",
    FAILED: "done, but what was checked or crawled failed",
    ERROR: "an error the message explains, or bad usage",
    CAPTCHA: "a crawl paused on a CAPTCHA (answer it: `onionwatch captcha list`)",
    MARKET_DOWN: "the market is down or marked down (it is tried again later)",
}


def describe(statuses: Iterable[int] = tuple(MEANINGS)) -> str:
    """One line for a command's ``--help``: its exit statuses and what they mean."""
    return "exit status: " + "; ".join(f"{status} {MEANINGS[status]}" for status in statuses)
