"""Extraction on several processes, each returning facts (small dicts) rather than Docs.

``nlp.pipe(n_process=N)`` sends every finished Doc back to the parent serialised, span groups and
extension values included; for pages of a few kilobytes that copying costs about as much as the
work, so two processes can be slower than one. :func:`extract_parallel` splits the records into
chunks, runs :func:`extract.api.extract_many` on each chunk in a worker that holds its own
pipeline (inherited by ``fork`` where the platform has it, else loaded once by each worker), and
sends back only the JSON-ready result dicts, in input order.

>>> from extract import load_pipeline
>>> records = [{"id": i, "text": "Price: $45\\nShips from: Holland"} for i in range(3)]
>>> [r["ships_from"] for r in extract_parallel(records, processes=2, nlp=load_pipeline(), chunk_size=2)]
['NL', 'NL', 'NL']
"""
from __future__ import annotations

import multiprocessing
from itertools import islice
from typing import Any, Iterable, Iterator

from spacy.language import Language

from extract.api import extract_many, load_pipeline

__all__ = ["extract_parallel"]

_WORKER_NLP: Language | None = None


def _init_worker(nlp: Language | None) -> None:
    global _WORKER_NLP
    _WORKER_NLP = nlp if nlp is not None else load_pipeline()


def _work(args: tuple[list[dict[str, Any]], int, bool]) -> list[dict[str, Any]]:
    chunk, batch_size, details = args
    return list(extract_many(_WORKER_NLP, chunk, batch_size=batch_size, details=details))


def _chunks(records: Iterable[dict[str, Any]], size: int, batch_size: int,
            details: bool) -> Iterator[tuple[list[dict[str, Any]], int, bool]]:
    it = iter(records)
    while chunk := list(islice(it, size)):
        yield chunk, batch_size, details


def extract_parallel(records: Iterable[dict[str, Any]], *, processes: int = 2, nlp: Language | None = None,
                     batch_size: int = 64, chunk_size: int = 256, details: bool = False) -> Iterator[dict[str, Any]]:
    """Like :func:`extract.api.extract_many` (one result or error object per record, in order) on
    ``processes`` worker processes. ``nlp`` is the pipeline to use (loaded when None); with one
    process no worker is started."""
    if processes <= 1:
        yield from extract_many(nlp if nlp is not None else load_pipeline(), records, batch_size, details=details)
        return
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        context, initarg = multiprocessing.get_context("fork"), nlp if nlp is not None else load_pipeline()
    else:  # workers load their own pipeline rather than unpickling the parent's
        context, initarg = multiprocessing.get_context("spawn"), None
    with context.Pool(processes, initializer=_init_worker, initargs=(initarg,)) as pool:
        for results in pool.imap(_work, _chunks(records, max(1, chunk_size), batch_size, details)):
            yield from results
