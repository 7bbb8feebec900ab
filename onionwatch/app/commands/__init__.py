"""The subcommands of ``onionwatch``, one module an area; each module has ``register(commands, common)``.

A module adds its subparsers to ``commands`` (use ``parents=[common]`` for the shared ``--data-dir``)
and sets ``run`` on each to a function ``(args) -> int``. Keep commands thin: the work is done by a
library function that notebooks and tests call too.
"""
from __future__ import annotations

import pkgutil
from importlib import import_module

__all__ = ["ORDER", "register_all"]

#: Modules listed first in ``onionwatch --help``, in this order; any other module follows by name.
ORDER = ("demo", "sandbox", "crawl", "extract", "search")


def register_all(commands, common) -> None:
    found = {m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")}
    for name in [n for n in ORDER if n in found] + sorted(found - set(ORDER)):
        import_module(f"{__name__}.{name}").register(commands, common)
