"""The committed pool of real OpenPGP public keys (``data/pgp_keys.jsonl``).

Made once by ``scripts/make_pgp_fixtures.py`` (a checkout's tool, not shipped); read here through
``importlib.resources`` so it works from an installed package too.

>>> keys = load_pgp_keys()
>>> keys[0].armored.startswith("-----BEGIN PGP PUBLIC KEY BLOCK-----")
True
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from .model import PgpKey

__all__ = ["load_pgp_keys"]

FIXTURE = "data/pgp_keys.jsonl"


@lru_cache(maxsize=1)
def load_pgp_keys() -> tuple[PgpKey, ...]:
    """All keys of the fixture, in file order."""
    text = resources.files(__package__).joinpath(FIXTURE).read_text(encoding="utf-8")
    keys = []
    for line in text.splitlines():
        if line.strip():
            rec = json.loads(line)
            keys.append(PgpKey(uid=rec["uid"], fingerprint=rec["fingerprint"],
                               armored=rec["armored"].strip()))
    return tuple(keys)
