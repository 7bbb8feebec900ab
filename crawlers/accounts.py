"""Market accounts: user names and passwords from a credentials file or the environment.

Secrets never live in profiles, code or logs. A credentials file (YAML or JSON, given with
``--credentials`` or ``$ONIONWATCH_CREDENTIALS``) maps market names to account aliases::

    empire-sandbox:
      analyst1: {username: quietbuyer, password: "..."}

The environment can give one account a market instead: ``ONIONWATCH_<MARKET>_USERNAME`` and
``ONIONWATCH_<MARKET>_PASSWORD`` (market name upper-cased, ``-`` and ``.`` as ``_``).

>>> env = {"ONIONWATCH_EMPIRE_SANDBOX_USERNAME": "u", "ONIONWATCH_EMPIRE_SANDBOX_PASSWORD": "p"}
>>> find_account("empire-sandbox", None, path=None, environ=env)
Account(alias='default', username='u')
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import yaml

__all__ = ["Account", "AccountError", "find_account", "env_prefix"]


class AccountError(ValueError):
    """No usable account for a market that needs one, or an unreadable credentials file."""


@dataclass(frozen=True)
class Account:
    alias: str
    username: str
    password: str = field(repr=False)


def env_prefix(market: str) -> str:
    return "ONIONWATCH_" + re.sub(r"[^A-Z0-9]", "_", market.upper()) + "_"


def find_account(market: str, alias: str | None, *, path: str | Path | None,
                 environ: Mapping[str, str] | None = None) -> Account | None:
    """The account ``alias`` (or the market's first) from the file, else from the environment."""
    environ = os.environ if environ is None else environ
    path = path or environ.get("ONIONWATCH_CREDENTIALS")
    if path:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise AccountError(f"cannot read credentials file {path}: {exc}") from exc
        if not isinstance(data, dict):
            raise AccountError(f"{path}: expected market names mapping to accounts")
        accounts = data.get(market) or {}
        if not isinstance(accounts, dict):
            raise AccountError(f"{path}: {market}: expected account aliases mapping to username/password")
        if alias is not None and alias not in accounts:
            raise AccountError(f"{path}: no account {alias!r} for market {market} "
                               f"(known: {', '.join(sorted(accounts)) or 'none'})")
        for name, entry in accounts.items():
            if alias is None or name == alias:
                if not isinstance(entry, dict) or not entry.get("username") or not entry.get("password"):
                    raise AccountError(f"{path}: {market}.{name}: needs 'username' and 'password'")
                return Account(str(name), str(entry["username"]), str(entry["password"]))
    prefix = env_prefix(market)
    user, password = environ.get(prefix + "USERNAME"), environ.get(prefix + "PASSWORD")
    if user and password:
        return Account(alias or "default", user, password)
    return None
