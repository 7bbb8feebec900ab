"""``pipe()`` for the components: each one runs over a whole batch of Docs before the next starts.

Without a ``pipe`` method, ``nlp.pipe`` hands every Doc through the tokenizer and all the
components before it takes the next text. Each component then starts cold: its patterns, tables
and code have been pushed out of the processor's caches by the tokenizer and the nine others since
it last ran. Run batch by batch (as spaCy's trained components do), a component reads its state
from the cache for all the Docs of a batch: on the bench (``bench/extract_speed.py``'s texts) the
same pipeline did about 6% more documents a second this way. A component in the pipeline without this
method still runs batch by batch when the components on both sides of it have it.

Results are the same Docs with the same annotations, in the same order; ``nlp(text)`` does not use
``pipe``. Errors go to the error handler, as with spaCy's own components:
``nlp.set_error_handler`` sets it, and the default raises.

>>> import spacy
>>> from extract.components.vendor import VendorRecognizer
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("onionwatch_vendor_v1")
>>> isinstance(nlp.get_pipe("onionwatch_vendor_v1"), BatchedPipe)
True
>>> [doc._.vendor["name"] for doc in nlp.pipe(["Vendor: bob", "Vendor: alice"], batch_size=1)]
['bob', 'alice']
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

from spacy.tokens import Doc
from spacy.util import minibatch, raise_error

__all__ = ["BatchedPipe", "collector_paused"]


class BatchedPipe:
    """Mixin for a component (a ``name`` attribute and ``__call__(doc) -> doc``): ``pipe`` runs it
    over ``batch_size`` Docs at a time, with spaCy's error-handler protocol."""

    name: str
    __call__: Callable[[Doc], Doc]

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 64) -> Iterator[Doc]:
        """Annotate ``docs`` ``batch_size`` at a time, yielding them in order. A Doc whose
        annotation raises goes to the error handler and is not yielded (spaCy's own rule)."""
        handler = self.get_error_handler()
        for batch in minibatch(docs, batch_size):
            done = []
            with collector_paused():
                for doc in batch:
                    try:
                        done.append(self(doc))
                    except Exception as error:  # noqa: BLE001 - spaCy's error-handler protocol: the handler decides
                        handler(self.name, self, [doc], error)
            yield from done

    def set_error_handler(self, error_handler: Callable) -> None:
        """What to do with a Doc that fails: ``error_handler(name, component, [doc], exception)``."""
        self.error_handler = error_handler

    def get_error_handler(self) -> Callable:
        """The handler set with :meth:`set_error_handler`, else spaCy's ``raise_error``."""
        return getattr(self, "error_handler", raise_error)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block (as it was after it).

    Extraction makes many small objects that live as long as their Doc, and each of the
    collector's full passes walks every object alive: on a 1 MB text it took half the time of the
    quantity search, and more the longer the text. The pipeline makes no cyclic garbage of its own
    (reference counting frees what it drops; a test checks), so each component runs a batch with
    the collector off, and :func:`extract.extract_many` a batch of records.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
