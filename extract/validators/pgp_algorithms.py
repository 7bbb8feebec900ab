"""Data tables for OpenPGP public-key algorithms and elliptic curves (RFC 9580 sections 9.1, 9.2).

Names follow what GnuPG prints, so analysts see the strings they know.
"""
from __future__ import annotations

__all__ = ["ALGORITHMS", "CURVES", "RSA_IDS", "MPI_KEYED_IDS", "OID_CURVE_IDS", "FIXED_SIZE"]

#: Algorithm id -> short name (modulus-based names get their size appended: ``rsa4096``).
ALGORITHMS: dict[int, str] = {
    1: "rsa",
    2: "rsa",  # encrypt-only, deprecated
    3: "rsa",  # sign-only, deprecated
    16: "elg",
    17: "dsa",
    18: "ecdh",
    19: "ecdsa",
    20: "elg",  # formerly Elgamal encrypt-or-sign
    22: "eddsa",  # EdDSALegacy
    25: "x25519",
    26: "x448",
    27: "ed25519",
    28: "ed448",
}
RSA_IDS = frozenset((1, 2, 3))
#: Algorithms whose first key MPI is the modulus or prime that gives the key size.
MPI_KEYED_IDS = frozenset((1, 2, 3, 16, 17, 20))
#: Algorithms whose key material starts with a curve OID.
OID_CURVE_IDS = frozenset((18, 19, 22))
#: Algorithms with a fixed curve: id -> (curve, bits).
FIXED_SIZE: dict[int, tuple[str, int]] = {
    25: ("curve25519", 255),
    26: ("curve448", 448),
    27: ("ed25519", 255),
    28: ("ed448", 448),
}

#: Curve OID (hex of the encoded OID bytes) -> (GnuPG name, bits).
CURVES: dict[str, tuple[str, int]] = {
    "2a8648ce3d030107": ("nistp256", 256),
    "2b81040022": ("nistp384", 384),
    "2b81040023": ("nistp521", 521),
    "2b8104000a": ("secp256k1", 256),
    "2b2403030208010107": ("brainpoolP256r1", 256),
    "2b240303020801010b": ("brainpoolP384r1", 384),
    "2b240303020801010d": ("brainpoolP512r1", 512),
    "2b06010401da470f01": ("ed25519", 255),
    "2b060104019755010501": ("cv25519", 255),
    "2b6571": ("ed448", 448),
    "2b656f": ("x448", 448),
}
