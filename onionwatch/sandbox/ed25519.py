"""Just enough Ed25519 arithmetic to make real public keys: ``scalar * B``, encoded (RFC 8032).

Monero's spend and view public keys are Ed25519 points. Sandbox addresses use genuine points made
from seeded secret scalars, so a validator that decompresses the keys accepts them too.

>>> publickey_from_scalar(1).hex()
'5866666666666666666666666666666666666666666666666666666666666666'
"""
from __future__ import annotations

__all__ = ["L", "publickey_from_scalar", "is_on_curve"]

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493  # order of the base point
_D = -121665 * pow(121666, -1, P) % P
_I = pow(2, (P - 1) // 4, P)  # sqrt(-1)

_BY = 4 * pow(5, -1, P) % P


def _recover_x(y: int, sign: int) -> int | None:
    x2 = (y * y - 1) * pow(_D * y * y + 1, -1, P) % P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P:
        x = x * _I % P
    if (x * x - x2) % P:
        return None
    return P - x if (x & 1) != sign else x


_BX = _recover_x(_BY, 0)
_BASE = (_BX, _BY, 1, _BX * _BY % P)  # extended coordinates (X, Y, Z, T)
_IDENTITY = (0, 1, 1, 0)


def _add(p: tuple[int, int, int, int], q: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    a = (p[1] - p[0]) * (q[1] - q[0]) % P
    b = (p[1] + p[0]) * (q[1] + q[0]) % P
    c = 2 * p[3] * q[3] * _D % P
    d = 2 * p[2] * q[2] % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return e * f % P, g * h % P, f * g % P, e * h % P


_COMB: list[list[tuple[int, int, int, int]]] | None = None


def _comb() -> list[list[tuple[int, int, int, int]]]:
    """``table[j][v] = v * 256**j * B`` for the 32 bytes of a scalar (made once, ~8k additions),
    so a multiplication is 32 additions instead of ~380: addresses at scale stay cheap.

    The table is built whole and then published, so threads building worlds at once never see
    it half made (at worst two of them build it)."""
    global _COMB
    if _COMB is None:
        table, step = [], _BASE
        for _ in range(32):
            row = [_IDENTITY]
            for _ in range(255):
                row.append(_add(row[-1], step))
            table.append(row)
            step = _add(row[-1], step)
        _COMB = table
    return _COMB


def publickey_from_scalar(scalar: int) -> bytes:
    """Encode ``scalar * B`` as 32 bytes: y little-endian, top bit the sign of x."""
    point = _IDENTITY
    table = _comb()
    for j, byte in enumerate((scalar % L).to_bytes(32, "little")):
        if byte:
            point = _add(point, table[j][byte])
    zinv = pow(point[2], -1, P)
    x, y = point[0] * zinv % P, point[1] * zinv % P
    return (y | (x & 1) << 255).to_bytes(32, "little")


def is_on_curve(encoded: bytes) -> bool:
    """Whether 32 bytes decode to a point of the curve (the check wallets make on keys)."""
    if len(encoded) != 32:
        return False
    num = int.from_bytes(encoded, "little")
    y, sign = num & ((1 << 255) - 1), num >> 255
    return y < P and _recover_x(y, sign) is not None
