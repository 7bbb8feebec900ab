"""What the command modules share: the help formatter and error reporting."""
from __future__ import annotations

import argparse
import sys

from onionwatch.core.exits import ERROR

__all__ = ["Formatter", "fail", "say"]


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of descriptions and examples."""


def fail(message: str) -> int:
    """Print an error that says what went wrong and what to do; return the exit status
    :data:`~onionwatch.core.exits.ERROR`."""
    print(f"onionwatch: error: {message}", file=sys.stderr)
    return ERROR


def say(message: str) -> None:
    """A progress or status line, on stderr so stdout stays for results."""
    print(message, file=sys.stderr, flush=True)
