"""The validators' error codes now live in the extraction stage's one table, :mod:`extract.errors`
(``ErrorCode.PGP003`` and the others); this module keeps the old import path working.

>>> ValidatorError("PGP003").code
'PGP003'
"""
from __future__ import annotations

from extract.errors import ERRORS, ValidatorError

__all__ = ["ERRORS", "ValidatorError"]
