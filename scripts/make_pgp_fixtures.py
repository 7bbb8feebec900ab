"""Regenerate the sandbox's pool of real OpenPGP public keys (``onionwatch/sandbox/data/pgp_keys.jsonl``).

Sandbox vendors publish PGP keys, and the extraction and vendor-linking stages must see real
OpenPGP blocks (parseable packets, true v4 fingerprints), not lookalike text. Making keys at run
time would need GnuPG on every machine and would not be deterministic, so a modest pool is made
once with this script and committed; the generator assigns keys from the pool by seed.

Each line of the fixture is ``{"uid", "fingerprint", "armored"}``. Keys are ed25519 (certify and
sign) with a cv25519 encryption subkey, no passphrase, no expiry, and throwaway identities under
the reserved ``sandbox.invalid`` domain. The secret keys live only in a temporary GNUPGHOME that
is deleted afterwards.

Run (needs ``gpg``; on Debian ``apt-get install -y gnupg``)::

    python scripts/make_pgp_fixtures.py            # writes onionwatch/sandbox/data/pgp_keys.jsonl
    python scripts/make_pgp_fixtures.py --count 8 --out /tmp/keys.jsonl

It is a development tool of the checkout, not shipped: the installed sandbox only reads the pool.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["IDENTITIES", "MAX_KEYS", "identity", "make_keys", "main"]

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "onionwatch" / "sandbox" / "data" / "pgp_keys.jsonl"

#: Throwaway identity names; a key's uid is ``"<name> <name@sandbox.invalid>"``.
IDENTITIES = (
    "drwhite", "bluemoon", "greenleaf", "silkroute", "nightowl", "frostbyte", "candyman",
    "pharmaking", "snowwhite", "icecold", "dutchmaster", "kingpin", "mrnice", "redrum",
    "shadowplug", "cloudnine", "heisen", "bigpharma", "rollingstone", "goldfinger", "blackbird",
    "sugarrush", "magicbus", "quietstorm", "northstar", "oceanic", "tropicana", "wolfpack",
    "ghostship", "moonshine", "stealthkid", "luckyseven", "bamboo", "velvet", "cobalt",
    "emerald", "orchid", "tundra", "voltage", "zenith", "amberlight", "blizzard", "crimson",
    "driftwood", "eclipse", "falcon", "granite", "harbor",
)

#: Most keys the pool may hold: one per actor of the default multi-market world, with room.
MAX_KEYS = 240


def identity(index: int) -> str:
    """The ``index``-th throwaway identity: the names above, then the names again numbered.

    >>> identity(0), identity(48), identity(97)
    ('drwhite', 'drwhite2', 'bluemoon3')
    """
    name = IDENTITIES[index % len(IDENTITIES)]
    return name if index < len(IDENTITIES) else f"{name}{index // len(IDENTITIES) + 1}"


def _gpg(home: str, *args: str) -> str:
    cmd = ["gpg", "--homedir", home, "--batch", "--no-tty", "--pinentry-mode", "loopback",
           "--passphrase", "", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def _fingerprint(home: str, uid: str) -> str:
    for line in _gpg(home, "--with-colons", "--fingerprint", "--list-keys", f"={uid}").splitlines():
        if line.startswith("fpr:"):
            return line.split(":")[9]
    raise RuntimeError(f"gpg made no key for {uid!r}")


def make_keys(names: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
    """Generate one key per name in a throwaway GNUPGHOME and return the fixture records."""
    if shutil.which("gpg") is None:
        raise SystemExit("gpg not found: install GnuPG (Debian: apt-get install -y gnupg)")
    home = tempfile.mkdtemp(prefix="onionwatch-gnupg-")
    try:
        records = []
        for name in names:
            uid = f"{name} <{name}@sandbox.invalid>"
            _gpg(home, "--quick-gen-key", uid, "ed25519", "cert,sign", "never")
            fpr = _fingerprint(home, uid)
            _gpg(home, "--quick-add-key", fpr, "cv25519", "encr", "never")
            armored = _gpg(home, "--armor", "--export-options", "export-minimal", "--export", fpr)
            records.append({"uid": uid, "fingerprint": fpr, "armored": armored.strip() + "\n"})
        return records
    finally:
        subprocess.run(["gpgconf", "--homedir", home, "--kill", "gpg-agent"],
                       check=False, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=MAX_KEYS,
                        help=f"how many keys the file should hold (at most {MAX_KEYS})")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON Lines file to write")
    parser.add_argument("--append", action="store_true",
                        help="keep the keys already in --out and add keys up to --count")
    args = parser.parse_args(argv)
    if not 0 < args.count <= MAX_KEYS:
        parser.error(f"--count must be between 1 and {MAX_KEYS}")
    have = 0
    if args.append and args.out.exists():
        have = sum(1 for line in args.out.read_text(encoding="utf-8").splitlines() if line.strip())
    records = make_keys([identity(i) for i in range(have, args.count)])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a" if args.append else "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} keys to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
