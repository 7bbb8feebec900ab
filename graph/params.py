"""The numbers alias resolution uses, in one frozen object (:class:`ResolveParams`).

Every function of :mod:`graph.blocking` and :mod:`graph.resolve` takes one, so a notebook or an
evaluation changes a setting by making a new object, never by passing fifteen keywords or by
changing a module's table::

    >>> p = ResolveParams(threshold=0.8, signals={"pgp", "contact"})
    >>> p.threshold, sorted(p.used), p.weights["pgp"]
    (0.8, ['contact', 'pgp'], 0.995)
    >>> ResolveParams().threshold == DEFAULT_PARAMS.threshold == 0.9
    True
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping

from .tables import SIGNAL_WEIGHTS

__all__ = ["ResolveParams", "DEFAULT_PARAMS"]


@dataclass(frozen=True)
class ResolveParams:
    """How candidate pairs are found, scored and linked.

    - ``weights``: each signal's weight in the noisy-OR (default :data:`graph.tables.SIGNAL_WEIGHTS`);
    - ``threshold``: pairs scoring at least this are linked;
    - ``signals``: the signals used (default: every one in ``weights``);
    - ``actor_accounts``: an identifier shown by up to this many accounts has full weight, one
      shown by ``n`` more has ``actor_accounts / n`` (handle blocks too);
    - ``common_share``, ``common_min``: an identifier on more than ``common_share`` of a market's
      accounts (and at least ``common_min`` of them) is common and links nothing;
    - ``max_block``: blocks of more accounts are skipped;
    - ``handle_similarity``, ``text_similarity``, ``photo_distance`` (bits), ``style_floor``: the
      least a handle, text, photo or writing-style comparison must give to count;
    - ``max_evidence``: evidence items kept a signal on each pair.
    """

    weights: Mapping[str, float] = field(default_factory=lambda: SIGNAL_WEIGHTS, hash=False)
    threshold: float = 0.9
    signals: frozenset[str] | None = None
    actor_accounts: int = 4
    common_share: float = 0.3
    common_min: int = 3
    max_block: int = 50
    handle_similarity: float = 0.88
    text_similarity: float = 0.6
    photo_distance: int = 4
    style_floor: float = 0.6
    max_evidence: int = 3

    def __post_init__(self) -> None:
        if self.signals is not None and not isinstance(self.signals, frozenset):
            object.__setattr__(self, "signals", frozenset(self.signals))

    @property
    def used(self) -> frozenset[str]:
        """The signals used: ``signals``, or every signal that has a weight."""
        return self.signals if self.signals is not None else frozenset(self.weights)

    def replace(self, **changes: float | int | Iterable[str] | Mapping[str, float] | None) -> ResolveParams:
        """A copy with some values changed (:func:`dataclasses.replace`)."""
        return replace(self, **changes)


#: The parameters used when none are given.
DEFAULT_PARAMS = ResolveParams()
