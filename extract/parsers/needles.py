"""A cheap test before a costly search: can a case-insensitive pattern match this text at all?

A pattern whose every match must hold one of a few fixed strings ("half", "qp", "threema") cannot
match a text that holds none of them, and ``needle in text.lower()`` answers that in one fast scan,
where the regular expression tries its whole alternation at every word of the page.

Case-insensitive matching in :mod:`re` and :meth:`str.lower` agree on every ASCII character but
"i" and "s" ("İ", "ı" and "ſ" match them but lower-case to something else), so needles are ASCII
without either letter (:class:`Needles` refuses others; a test checks the agreement). Needles are a necessary condition only: when one
is present the pattern still decides.

>>> amounts = Needles("half", "qp")
>>> amounts("Ships in 2 days"), amounts("1 QP of kush")
(False, True)
"""
from __future__ import annotations

__all__ = ["Needles", "FoldedNeedles", "fold_case"]


class Needles:
    """Fixed strings one of which every match of some pattern holds (lower-case ASCII, no "i" or "s")."""

    def __init__(self, *needles: str) -> None:
        for needle in needles:
            if not needle or not needle.isascii() or needle != needle.lower() or {"i", "s"} & set(needle):
                raise ValueError(f"needle {needle!r} must be non-empty lower-case ASCII without 'i' or 's' "
                                 "(see extract.parsers.needles)")
        self.needles = needles

    def __call__(self, text: str) -> bool:
        """False only when no needle occurs in ``text``, whatever the case."""
        return self.in_lowered(text.lower())

    def in_lowered(self, low: str) -> bool:
        """As calling, for a text already lower-cased with :meth:`str.lower`."""
        return any(needle in low for needle in self.needles)


#: The characters beyond upper and lower case that ``re.IGNORECASE`` matches to an ASCII "i" or "s"
#: and that :meth:`str.lower` does not lower to it (:data:`extract.parsers.branches.CASE_EXTRAS`;
#: the Kelvin sign lowers to "k").
_FOLDS = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def fold_case(text: str) -> str:
    """``text`` in lower case, with the characters that ``re.IGNORECASE`` matches to "i" and "s"
    written so: where a case-insensitive pattern matches lower-case ASCII letters and digits, the
    folded text holds them.

    >>> fold_case("HİTS ſheet")
    'hits sheet'
    """
    return text.lower() if text.isascii() else text.translate(_FOLDS).lower()


class FoldedNeedles:
    """As :class:`Needles`, for needles of any lower-case ASCII letters and digits ("i" and "s"
    too): the text is folded with :func:`fold_case` first.

    >>> forms = FoldedNeedles("hit", "tab")
    >>> forms("10 HİTS"), forms("stealth shipping")
    (True, False)
    """

    def __init__(self, *needles: str) -> None:
        for needle in needles:
            if not needle or not needle.isascii() or not needle.isalnum() or needle != needle.lower():
                raise ValueError(f"needle {needle!r} must be non-empty lower-case ASCII letters and digits")
        self.needles = needles

    def __call__(self, text: str) -> bool:
        """False only when no needle occurs in ``text``, whatever the case."""
        folded = fold_case(text)
        return any(needle in folded for needle in self.needles)
