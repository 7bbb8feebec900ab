"""Data tables the graph code reads: signal weights, handle affixes, leetspeak, drug classes.

Kept apart from the logic so an analyst can read (and a notebook can override) every number the
alias resolver uses without reading code.

>>> SIGNAL_WEIGHTS["pgp"] > SIGNAL_WEIGHTS["handle"]
True
"""
from __future__ import annotations

__all__ = ["SIGNAL_WEIGHTS", "STRONG_SIGNALS", "WEAK_SIGNALS", "IDENTIFIER_KINDS", "LEET",
           "HANDLE_AFFIXES", "FENTANYL_CLASSES", "REGIONS"]

#: How much one agreeing signal, alone and at full strength, says that two accounts are one actor.
#: Signals combine by noisy-OR (``1 - prod(1 - w * s)``), so one strong identifier links two
#: accounts, and weak signals link them only when several agree.
SIGNAL_WEIGHTS: dict[str, float] = {
    "pgp": 0.995,       # a shared OpenPGP fingerprint
    "btc": 0.97,        # a shared Bitcoin address
    "xmr": 0.97,        # a shared Monero address
    "crypto": 0.97,     # any other checksum-valid address (LTC, ETH)
    "contact": 0.95,    # a shared messenger handle (Wickr, Telegram, Session, Jabber)
    "email": 0.95,      # a shared e-mail address
    "photo": 0.6,       # a reused listing photo (perceptual hash)
    "text": 0.7,        # near-duplicate listing text (MinHash over text without template sentences)
    "handle": 0.6,      # similar handles (dr.white / DrWhite_)
    "style": 0.35,      # similar writing style (character n-gram profile)
}

#: Identifier kinds that are nodes of the graph and blocking keys; "origin" is a node only.
IDENTIFIER_KINDS = ("pgp", "btc", "xmr", "crypto", "contact", "email", "photo", "origin")
STRONG_SIGNALS = ("pgp", "btc", "xmr", "crypto", "contact", "email")
WEAK_SIGNALS = ("photo", "text", "handle", "style")

#: Characters that handles write for letters (``DrWh1te`` is ``drwhite``).
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "$": "s",
                      "@": "a", "!": "i"})

#: Words vendors add around their name on a second market (``TheDrWhite``, ``drwhite_official``).
HANDLE_AFFIXES = ("the", "official", "real", "original", "store", "shop", "plug", "team",
                  "market", "vendor", "direct", "uk", "us", "usa", "eu", "nl", "de", "au", "ca")

#: Drug classes (as the extraction lexicon names them) an analyst means by "fentanyl-class".
#: Counterfeit pressed pills (class ``pressed_pill``) usually contain fentanyl: pass
#: ``FENTANYL_CLASSES + ("pressed_pill",)`` to include them.
FENTANYL_CLASSES = ("fentanyl",)

#: Regions listings ship to, and the countries each covers (``WW`` covers every country).
REGIONS: dict[str, frozenset[str]] = {
    "EU": frozenset({"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU",
                     "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES",
                     "SE"}),
}
