"""PGP public keys and checksum-valid crypto addresses: spaCy components (factories
``onionwatch_pgp_keys_v1`` and ``onionwatch_crypto_addresses_v1``) over :mod:`extract.validators`.

Only what the validators accept is reported: a key block must parse to OpenPGP public-key packets
(armor with its line breaks stripped is read too); an address must pass its checksum (base58check,
bech32/bech32m, Monero's Keccak checksum, EIP-55 mixed case). With ``require_checksum`` an
Ethereum address written all in one case (it carries no checksum) is left out.

Results: ``doc._.pgp_keys`` (``[{"fingerprint", "key_id", "algorithm", "created", "user_ids",
"span"}]``), ``doc._.crypto_addresses`` (``[{"currency", "address", "network", "kind", "role", "span"}]``,
``role`` being ``"escrow_deposit"`` for a market's escrow address, else ``"vendor"``)
and span groups.

>>> import spacy
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("onionwatch_crypto_addresses_v1")
>>> [a["currency"] for a in nlp("pay to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq or bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx")._.crypto_addresses]
['BTC']
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from extract.components._doc import doc_text, register_extensions, set_span_group
from extract.components._pipe import BatchedPipe
from extract.lexicons.terms import ESCROW_DEPOSIT_LABELS
from extract.parsers.lines import Lines
from extract.validators import find_addresses, find_pgp_keys
from extract.registry import versioned_factory

__all__ = ["PgpKeyRecognizer", "CryptoAddressRecognizer", "make_pgp_key_recognizer", "make_crypto_address_recognizer"]


class PgpKeyRecognizer(BatchedPipe):
    """Parses armored public keys with :func:`extract.validators.find_pgp_keys`."""

    def __init__(self, name: str = "pgp_keys", *, span_key: str = "pgp_keys") -> None:
        register_extensions()
        self.name = name
        self.span_key = span_key

    def __call__(self, doc: Doc) -> Doc:
        facts, items = [], []
        text = doc_text(doc)
        if "PGP" in text or "pgp" in text:  # every armor header says PGP; skip the scan otherwise
            for key, start, end in find_pgp_keys(text):
                facts.append({"fingerprint": key.fingerprint, "key_id": key.key_id, "algorithm": key.algorithm,
                              "created": key.created.isoformat(), "user_ids": list(key.user_ids), "span": [start, end]})
                items.append((start, end, key.fingerprint))
        doc._.pgp_keys = facts
        set_span_group(doc, self.span_key, items)
        return doc


def address_role(text: str, start: int) -> str:
    """``"escrow_deposit"`` when the address's line labels it the market's escrow deposit address
    (an address every vendor page of a market shows, so not the vendor's), else ``"vendor"``.

    >>> address_role("Escrow deposit address: bc1q...", 24), address_role("BTC: bc1q...", 5)
    ('escrow_deposit', 'vendor')
    """
    line_start = text.rfind("\n", 0, start) + 1
    return "escrow_deposit" if _deposit_re().search(text, line_start, start) else "vendor"


class _Roles:
    """:func:`address_role` for many addresses of one text: the deposit labels are found once, and
    each address asks by binary search whether one stands on its line before it (searching the
    line again for every address was quadratic on a long line of addresses)."""

    def __init__(self, text: str) -> None:
        self.lines = Lines(text)
        spans = [m.span() for m in _deposit_re().finditer(text)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def role(self, start: int) -> str:
        i = bisect_left(self.starts, self.lines.start(start))
        return "escrow_deposit" if i < len(self.starts) and self.ends[i] <= start else "vendor"


@lru_cache(maxsize=1)
def _deposit_re() -> re.Pattern:
    return re.compile("|".join(ESCROW_DEPOSIT_LABELS), re.IGNORECASE)


class CryptoAddressRecognizer(BatchedPipe):
    """Finds checksum-valid addresses with :func:`extract.validators.find_addresses`."""

    def __init__(self, name: str = "crypto_addresses", *, span_key: str = "crypto_addresses",
                 require_checksum: bool = True, networks: list[str] | tuple[str, ...] = ("mainnet",)) -> None:
        register_extensions()
        self.name = name
        self.span_key = span_key
        self.require_checksum = require_checksum
        self.networks = tuple(networks)

    def __call__(self, doc: Doc) -> Doc:
        facts, items = [], []
        text = doc_text(doc)
        roles = None  # the deposit labels are looked for only on a page with an address
        for info, start, end in find_addresses(text, require_checksum=self.require_checksum):
            if self.networks and info.network not in self.networks:
                continue
            roles = roles or _Roles(text)
            facts.append({"currency": info.currency, "address": info.address, "network": info.network,
                          "kind": info.kind, "role": roles.role(start), "span": [start, end]})
            items.append((start, end, info.currency))
        doc._.crypto_addresses = facts
        set_span_group(doc, self.span_key, items)
        return doc


@versioned_factory("onionwatch_pgp_keys_v1", alias="onionwatch_pgp_keys", assigns=["doc._.pgp_keys", "doc.spans"],
                   default_config={"span_key": "pgp_keys"})
def make_pgp_key_recognizer(nlp: Language, name: str, span_key: str) -> PgpKeyRecognizer:
    """Factory for ``onionwatch_pgp_keys_v1`` (entry point in setup.cfg)."""
    return PgpKeyRecognizer(name, span_key=span_key)


@versioned_factory("onionwatch_crypto_addresses_v1", alias="onionwatch_crypto_addresses",
                   assigns=["doc._.crypto_addresses", "doc.spans"],
                   default_config={"span_key": "crypto_addresses", "require_checksum": True, "networks": ["mainnet"]})
def make_crypto_address_recognizer(nlp: Language, name: str, span_key: str, require_checksum: bool,
                                   networks: list[str]) -> CryptoAddressRecognizer:
    """Factory for ``onionwatch_crypto_addresses_v1`` (entry point in setup.cfg)."""
    return CryptoAddressRecognizer(name, span_key=span_key, require_checksum=require_checksum, networks=networks)
