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

:func:`required_needles` works needles out of a pattern itself: the literal words any match must
hold, each a :class:`Needles` (an alternation of words gives one of several).

>>> [n.needles for n in required_needles(r"(?:full|100[ \t]*%|always)[ \t]+escrow")]
[('full', '100', 'alway'), ('crow',)]

:func:`finditer_near` searches such a pattern only near its needles, where it can match.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator
from re import _parser as sre_parse  # the standard library's own parse of a pattern (its syntax tree)

__all__ = ["Needles", "FoldedNeedles", "fold_case", "required_needles", "finditer_near"]


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


_LITERAL, _NOT_WORD = sre_parse.LITERAL, frozenset("is")
_REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT)


def required_needles(pattern: str, flags: int = 0) -> tuple[Needles, ...]:
    """Needles every match of ``pattern`` holds, one of each :class:`Needles` (all of them hold one
    when the pattern matches). Read from the pattern's syntax tree: runs of literal characters the
    pattern cannot match without (not those in an optional part or a look-around), cut at the
    characters a needle may not hold, the longest piece of each run; an alternation gives one
    needle of each alternative, or nothing when one alternative has none. A pattern with no such
    run gives ``()``, which passes every text."""
    return tuple(Needles(*clause) for clause in _clauses(sre_parse.parse(pattern, flags).data))


def _clauses(items) -> list[list[str]]:
    clauses: list[list[str]] = []
    run: list[str] = []

    def end_run() -> None:
        pieces = "".join(run).split("\0")
        best = max(pieces, key=len)
        if len(best) >= 2:  # a single character is in nearly every text
            clauses.append([best])
        run.clear()

    for op, av in items:
        if op is _LITERAL:
            ch = chr(av).lower()
            run.append(ch if ch.isascii() and ch not in _NOT_WORD else "\0")  # "\0" cuts the run
            continue
        end_run()
        if op is sre_parse.SUBPATTERN:
            clauses += _clauses(av[-1])
        elif op is sre_parse.ATOMIC_GROUP:
            clauses += _clauses(av)
        elif op in _REPEATS and av[0] >= 1:
            clauses += _clauses(av[2])
        elif op is sre_parse.BRANCH:
            each = [_clauses(alternative) for alternative in av[1]]
            if all(each):  # one clause of each alternative (the one whose shortest needle is longest)
                chosen = [max(alt, key=lambda clause: min(map(len, clause))) for alt in each]
                clauses.append(list(dict.fromkeys(needle for clause in chosen for needle in clause)))
    end_run()
    return clauses


def finditer_near(pattern: re.Pattern, text: str, low: str, needles: Iterable[str],
                  before: int) -> Iterator[re.Match]:
    """``pattern.finditer(text)``, searching only near the needles: for a pattern that never matches
    the empty string and each of whose matches holds one of ``needles`` (as :class:`Needles`, found
    in ``low``, the text lower-cased) starting at most ``before`` characters after the match starts.

    Each search starts ``before`` characters ahead of the next needle, so the text between needles
    is skipped instead of tried at every character; the search then finds the same leftmost match
    (none can start earlier) and sees the text before it, as look-behinds need. Linear: the needles
    are each looked for once along the text, and the searches cover parts of it that do not overlap.

    >>> email = re.compile(r"[a-z0-9.]{1,8}@[a-z]+[.][a-z]{2,}")
    >>> text = "mail bob@ex.com or a.b@xy.org"
    >>> [m.group() for m in finditer_near(email, text, text.lower(), ("@",), 8)]
    ['bob@ex.com', 'a.b@xy.org']
    """
    if len(low) != len(text):  # "İ" lower-cases to two characters: positions in low are not text's
        yield from pattern.finditer(text)
        return
    ahead = {needle: low.find(needle) for needle in needles}  # each needle's next place, -1 when none is left
    pos = 0
    while True:
        for needle, at in ahead.items():
            if 0 <= at < pos:
                ahead[needle] = low.find(needle, pos)
        nearest = min((at for at in ahead.values() if at >= 0), default=-1)
        if nearest < 0:
            return
        match = pattern.search(text, max(pos, nearest - before))
        if match is None:
            return
        if match.end() == match.start():
            raise ValueError(f"finditer_near needs a pattern that never matches the empty string: {pattern.pattern!r}")
        yield match
        pos = match.end()
