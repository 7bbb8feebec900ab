"""The public library API of the extraction stage: load the pipeline, extract records and files.

Each result is a JSON-safe dict (see :data:`RESULT_KEYS`); facts not extracted yet are null,
``[]`` or ``{}``. Every ``span`` is ``[start, end]`` in the text the pipeline ran on, which is
``title + "\\n" + body`` when there is a title, else ``body`` (:func:`build_text`); the body is
``text`` if given, else the text of ``html`` (:func:`extract.html.html_to_text`), else
``description``. A text longer than ``nlp.max_length`` is analysed in pieces and the pieces'
facts merged, their spans still indexing the whole text (:mod:`extract.chunks`).

A record that cannot be read gives ``{"id", "source", "error": {"code", "message"}}`` (codes in
:mod:`extract.errors`) and the batch goes on.

>>> nlp = load_pipeline()
>>> r = extract_record(nlp, id="l1", source="doc", title="Tramadol 50 mg x 100", text="Price: $45")
>>> r["drugs"][0]["name"], r["quantities"][0]["value"], r["price"]["usd"]
('tramadol', 100, 45.0)
>>> extract_record(nlp, id="l2", source="doc", text="   ")["error"]["code"]
'empty_input'
"""
from __future__ import annotations

import logging
import os
import re
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.util import load_config, load_model_from_config

import extract.components  # noqa: F401  (registers the factories even without the entry points)
from extract.chunks import SINGLE_FACTS, merge_results, split_text
from extract.components._doc import doc_text
from extract.components._pipe import collector_paused
from extract.classify.combine import lexicon_classes
from extract.classify.component import DRUG_MODEL_ENV, DrugClassifier, add_drug_classifier, with_title
from extract.errors import ErrorCode, ExtractError, error_record
from extract.crawl_records import from_crawl_record, html_title, is_crawl_record, stock_fact
from extract.html import html_to_text
from extract.label_fields import apply_label_facts, label_facts_of_html, label_facts_of_text
from onionwatch.core.jsonl import MAX_LINE_BYTES, BadLine, numbered_jsonl, open_regular
from onionwatch.core.layout import data_dir_of_records
from onionwatch.evidence.read import page_text

__all__ = [
    "DEFAULT_CONFIG", "MAX_INPUT_BYTES", "MAX_TEXT_CHARS", "RESULT_KEYS",
    "load_pipeline", "build_text", "extract_record", "extract_many", "extract_path", "result_from_doc", "result_from_pieces",
    "details_from_doc",
]

log = logging.getLogger(__name__)

DEFAULT_CONFIG = Path(__file__).with_name("config.cfg")
#: Largest raw input (a page's HTML or text, in bytes or characters) read for one record.
MAX_INPUT_BYTES = 10_000_000
#: Largest text analysed for one record; texts over ``nlp.max_length`` are analysed in pieces.
MAX_TEXT_CHARS = 10_000_000
#: The keys of every result, in order.
RESULT_KEYS = (
    "id", "source", "vendor", "title", "stock", "drugs", "quantities", "price", "price_tiers", "ships_from",
    "ships_to", "escrow", "finalize_early", "pgp_keys", "crypto_addresses", "contacts", "spans",
    "drug_classes", "drug_class_model", "currencies", "label_fields",
)
_SPAN_KEYS = ("vendor", "price", "ships_from", "ships_to", "escrow")
_SUFFIXES = {".html": "html", ".htm": "html", ".txt": "text", ".jsonl": "jsonl"}


def load_pipeline(config_path: str | os.PathLike | None = None, *,
                  drug_model: str | os.PathLike | None = None) -> Language:
    """Build the pipeline from ``config_path`` (default: the packaged ``extract/config.cfg``).

    A folder saved with ``nlp.to_disk`` is loaded with :func:`spacy.load` instead. With
    ``drug_model`` (a folder trained by ``onionwatch train``), or when the environment variable
    ``ONIONWATCH_DRUG_MODEL`` names one, the trained drug classifier is added after ``drugs``
    (:mod:`extract.classify`); without either the pipeline is lexicon-only.

    >>> load_pipeline().pipe_names
    ['drugs', 'quantities', 'prices', 'price_units', 'shipping', 'vendor', 'terms', 'pgp_keys', 'crypto_addresses', 'contacts']
    """
    path = Path(config_path) if config_path is not None else DEFAULT_CONFIG
    nlp = spacy.load(path) if path.is_dir() else load_model_from_config(load_config(path), auto_fill=True)
    model = drug_model or os.environ.get(DRUG_MODEL_ENV) or None
    if model and not _has_drug_classifier(nlp):
        add_drug_classifier(nlp, model)
    return nlp


def _has_drug_classifier(nlp: Language) -> bool:
    """Whether a drug classifier is in the pipeline, whichever factory name (versioned or older) built it."""
    return any(isinstance(component, DrugClassifier) for _, component in nlp.components)


def build_text(title: str | None, body: str) -> str:
    """The text the pipeline runs on: ``title + "\\n" + body``, or ``body`` without a title.

    >>> build_text("Title", "Body"), build_text(None, "Body")
    ('Title\\nBody', 'Body')
    """
    return f"{title}\n{body}" if title else body


def _decode(value: Any, field: str, max_input_bytes: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value)
        if len(value) > max_input_bytes:
            raise ExtractError(ErrorCode.INPUT_TOO_LARGE, f"{field} is {len(value):,} bytes, over the limit of "
                               f"{max_input_bytes:,}; raise max_input_bytes to read it")
        if b"\x00" in value[:65536]:
            raise ExtractError(ErrorCode.BINARY_INPUT, f"{field} holds NUL bytes: not a text page")
        value = page_text(value)  # its declared charset, else UTF-8, else windows-1252 (as Scrapy reads pages)
    if not isinstance(value, str):
        raise ExtractError(ErrorCode.BAD_RECORD, f"{field} must be a string or bytes, not {type(value).__name__}")
    if len(value) > max_input_bytes:
        raise ExtractError(ErrorCode.INPUT_TOO_LARGE, f"{field} is {len(value):,} characters, over the limit of "
                           f"{max_input_bytes:,}; raise max_input_bytes to read it")
    _check_textual(value, field)
    return value


#: Control characters other than blanks, and U+FFFD (what a decoder puts for bytes it cannot read).
_NOT_TEXT_RE = re.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")


def _check_textual(value: str, field: str) -> None:
    sample = value[:65536]
    if "\x00" in sample:
        raise ExtractError(ErrorCode.BINARY_INPUT, f"{field} holds NUL characters: not a text page")
    control = len(_NOT_TEXT_RE.findall(sample))  # one scan in C, not a Python step per character
    if sample and control / len(sample) > 0.05:
        raise ExtractError(ErrorCode.BINARY_INPUT, f"{field} is {control / len(sample):.0%} control or "
                           "replacement characters: not a text page")


def _prepare(record: Any, max_input_bytes: int, max_text_chars: int,
             labels: bool = True) -> tuple[dict[str, Any], str]:
    """Validate one record, build its text and, with ``labels``, read its labelled fields
    (:mod:`extract.label_fields`: from the page's structure, else from the text's lines); raises
    :class:`ExtractError`."""
    if not isinstance(record, dict):
        raise ExtractError(ErrorCode.BAD_RECORD, f"a record must be a dict, not {type(record).__name__}")
    rid = record.get("id")
    if rid is None or not isinstance(rid, (str, int)) or isinstance(rid, bool) or rid == "":
        raise ExtractError(ErrorCode.BAD_RECORD, "a record needs an 'id' (a non-empty string or an integer)")
    fields = {k: _decode(record.get(k), k, max_input_bytes) for k in ("title", "text", "description", "html")}
    if fields["text"] is not None:
        body = fields["text"]
    elif fields["html"] is not None:
        try:
            body = html_to_text(fields["html"])
        except ValueError as exc:
            raise ExtractError(ErrorCode.BAD_HTML, str(exc)) from None
    else:
        body = fields["description"] or ""
    title = (fields["title"] or "").strip() or None
    text = build_text(title, body)
    shown_title = title or (html_title(fields["html"]) if fields["html"] is not None else None)
    if not text.strip():
        raise ExtractError(ErrorCode.EMPTY_INPUT, "no text to extract from: give title, text, description or html")
    if len(text) > max_text_chars:
        raise ExtractError(ErrorCode.TEXT_TOO_LONG, f"text is {len(text):,} characters, over the limit of "
                           f"{max_text_chars:,}; raise max_text_chars to analyse it")
    _check_textual(text, "text")
    labelled = None
    if labels:
        labelled = label_facts_of_html(fields["html"]) if fields["text"] is None and fields["html"] is not None \
            else label_facts_of_text(body)
    return {"id": rid, "source": record.get("source"), "title": shown_title, "stock": record.get("stock"),
            "labels": labelled}, text


def _span_of(fact: dict | None) -> list[int] | None:
    return list(fact["span"]) if fact else None


def details_from_doc(doc) -> dict[str, Any]:
    """Facts beyond the result contract, each with its span: the price per gram/pill/ml, how the
    dollar value was reached, shipping methods, tier spans and how vendor and terms were found."""
    price = doc._.price
    return {
        "per_unit": doc._.unit_price,
        "usd_rate": price["usd_rate"] if price else None,
        "price_tiers": [dict(t) for t in doc._.price_tiers or []],
        "shipping_methods": [dict(m) for m in doc._.shipping_methods or []],
        "vendor": doc._.vendor,
        "escrow": doc._.escrow,
        "finalize_early": doc._.finalize_early,
        "crypto_addresses": [dict(a) for a in doc._.crypto_addresses or []],
        "pgp_keys": [dict(k) for k in doc._.pgp_keys or []],
    }


def result_from_doc(doc, *, id: Any, source: Any, title: str | None, details: bool = False,
                    stock: Any = None) -> dict[str, Any]:
    """The result dict for a Doc the pipeline has run on (see :data:`RESULT_KEYS`); with
    ``details``, a last key ``"details"`` holds :func:`details_from_doc`. ``stock`` is the record's
    own stock text (a profile field), else the text's labelled stock is used."""
    price = doc._.price
    ships_to = doc._.ships_to or []
    to_span = [min(p["span"][0] for p in ships_to), max(p["span"][1] for p in ships_to)] if ships_to else None
    vendor = doc._.vendor
    spans = dict.fromkeys(_SPAN_KEYS)
    spans.update({"vendor": _span_of(vendor), "price": _span_of(price), "ships_from": _span_of(doc._.ships_from),
                  "ships_to": to_span, "escrow": _span_of(doc._.escrow)})
    result = {
        "id": id,
        "source": source,
        "vendor": vendor["name"] if vendor else None,
        "title": title,
        "stock": stock_fact(stock, doc_text(doc)),  # the text the components share, not built again
        "drugs": [dict(d, span=list(d["span"])) for d in doc._.drugs or []],
        "quantities": [dict(q, span=list(q["span"]), strength=dict(q["strength"]) if q["strength"] else None)
                       for q in doc._.quantities or []],
        "price": {"amount": price["amount"], "currency": price["currency"], "usd": price["usd"]} if price else None,
        "price_tiers": [{k: t[k] for k in ("quantity", "unit", "amount", "currency")} for t in doc._.price_tiers or []],
        "ships_from": doc._.ships_from["code"] if doc._.ships_from else None,
        "ships_to": [p["code"] for p in ships_to],
        "escrow": doc._.escrow["value"] if doc._.escrow else None,
        "finalize_early": doc._.finalize_early["value"] if doc._.finalize_early else None,
        "pgp_keys": [{"fingerprint": k["fingerprint"], "user_ids": list(k["user_ids"]), "span": list(k["span"])}
                     for k in doc._.pgp_keys or []],
        "crypto_addresses": [{"currency": a["currency"], "address": a["address"], "role": a.get("role"),
                              "span": list(a["span"])}
                             for a in doc._.crypto_addresses or []],
        "contacts": [dict(c, span=list(c["span"])) for c in doc._.contacts or []],
        "spans": spans,
        # the final class list (the lexicon's, plus the trained model's where it was adopted) and
        # the model's own class and confidence; null without a model (extract.classify)
        "drug_classes": list(doc._.drug_classes) if doc._.drug_classes is not None else lexicon_classes(doc._.drugs),
        "drug_class_model": dict(doc._.drug_class_model) if doc._.drug_class_model else None,
        # filled by the label reader (extract.label_fields): the coins accepted, and per fact the
        # label and value text it was read from
        "currencies": None,
        "label_fields": {},
    }
    if details:
        result["details"] = details_from_doc(doc)
    return result


def _piece_input(nlp: Language, meta: dict, offset: int, piece: str) -> Any:
    """A piece of a record's text as the pipeline reads it: a Doc that knows where the title ends when
    the drug classifier (which reads the title) is in the pipeline; the title is in the first piece."""
    if not _has_drug_classifier(nlp):
        return piece
    return with_title(nlp.make_doc(piece), meta["title"] if offset == 0 else None)


def _run_batch(nlp: Language, batch: list[tuple[dict, str]]) -> list[Any]:
    """For each record its Doc, or ``[(offset, Doc), ...]`` for a text analysed in pieces (longer
    than ``nlp.max_length``); when a component raises, retry one by one so only that record fails."""
    pieces = [split_text(text, nlp.max_length) for _, text in batch]
    texts = [_piece_input(nlp, meta, offset, piece) for (meta, _), record in zip(batch, pieces)
             for offset, piece in record]
    try:
        docs = iter(nlp.pipe(texts, batch_size=len(texts)))
        return [_grouped(record, [next(docs) for _ in record]) for record in pieces]
    except Exception:
        log.warning("a component failed in a batch of %d; retrying record by record", len(texts), exc_info=True)
    out: list[Any] = []
    for (meta, _), record in zip(batch, pieces):
        try:
            out.append(_grouped(record, [nlp(_piece_input(nlp, meta, offset, piece)) for offset, piece in record]))
        except Exception as exc:
            log.exception("extraction failed for record %r", meta["id"])
            out.append(ExtractError(ErrorCode.PIPELINE_ERROR, f"{type(exc).__name__}: {exc} (a bug: please report it "
                                    "with the record)"))
    return out


def _source(fact: Any) -> str | None:
    """Where a fact came from ("label", "text"...): a list of places has it on each place."""
    if isinstance(fact, list):
        fact = fact[0] if fact else None
    return fact.get("source") if isinstance(fact, dict) else None


def _grouped(record: list[tuple[int, str]], docs: list[Any]) -> Any:
    return docs[0] if len(docs) == 1 else [(offset, doc) for (offset, _), doc in zip(record, docs)]


def result_from_pieces(pieces: list[tuple[int, Any]], *, id: Any, source: Any, title: str | None,
                       details: bool = False) -> dict[str, Any]:
    """The result for a text analysed in pieces: ``(offset, Doc)`` pairs in text order (see
    :mod:`extract.chunks`)."""
    parts = []
    for offset, doc in pieces:
        sources = {key: _source(getattr(doc._, attr)) for key, (_, _, attr) in SINGLE_FACTS.items()}
        parts.append((offset, result_from_doc(doc, id=id, source=source, title=title, details=details), sources))
    return merge_results(parts)


def _labelled(result: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """The result with the record's labelled facts over the text's readings; a profile's own stock
    field (the record's ``stock``) stays above a labelled one."""
    found = dict(meta.get("labels") or {})
    stock = result.get("stock")
    if isinstance(stock, dict) and stock.get("source") == "field":
        found.pop("stock", None)
    return apply_label_facts(result, found) if found else result


def extract_many(nlp: Language, records: Iterable[dict[str, Any]], batch_size: int = 64, *,
                 max_input_bytes: int = MAX_INPUT_BYTES, max_text_chars: int = MAX_TEXT_CHARS,
                 details: bool = False, labels: bool = True) -> Iterator[dict[str, Any]]:
    """Extract facts from records (dicts with ``id``, ``source`` and some of ``title``, ``text``,
    ``description``, ``html``), yielding one result or error object per record, in order.

    With ``labels`` (the default), the record's labelled fields (:mod:`extract.label_fields`)
    win over what the pipeline reads in its text; ``labels=False`` measures the text alone.

    Records are read lazily, ``batch_size`` at a time, and run through ``nlp.pipe``.

    >>> nlp = load_pipeline()
    >>> [r.get("error", {}).get("code") for r in extract_many(nlp, [{"id": 1, "text": "1g MDMA"}, {"text": "x"}])]
    [None, 'bad_record']
    """
    it = iter(records)
    while True:
        chunk = list(islice(it, max(1, batch_size)))
        if not chunk:
            return
        with collector_paused():
            results = list(_chunk_results(nlp, chunk, max_input_bytes, max_text_chars, labels, details))
        yield from results


def _chunk_results(nlp: Language, chunk: list, max_input_bytes: int, max_text_chars: int, labels: bool,
                   details: bool) -> Iterator[dict[str, Any]]:
    prepared: list[tuple[dict, str] | dict] = []
    for record in chunk:
        try:
            prepared.append(_prepare(record, max_input_bytes, max_text_chars, labels))
        except ExtractError as exc:
            rid = record.get("id") if isinstance(record, dict) else None
            src = record.get("source") if isinstance(record, dict) else None
            prepared.append(error_record(rid, src, exc.code, exc.message))
    good = [p for p in prepared if isinstance(p, tuple)]
    docs = iter(_run_batch(nlp, good)) if good else iter(())
    for item in prepared:
        if isinstance(item, dict):
            yield item
            continue
        meta, _ = item
        doc = next(docs)
        if isinstance(doc, ExtractError):
            yield error_record(meta["id"], meta["source"], doc.code, doc.message)
        elif isinstance(doc, list):
            yield _labelled(result_from_pieces(doc, id=meta["id"], source=meta["source"], title=meta["title"],
                                               details=details), meta)
        else:
            yield _labelled(result_from_doc(doc, id=meta["id"], source=meta["source"], title=meta["title"],
                                            details=details, stock=meta["stock"]), meta)


def extract_record(nlp: Language, *, id: Any, source: Any, text: str | bytes | None = None,
                   title: str | bytes | None = None, description: str | bytes | None = None,
                   html: str | bytes | None = None, max_input_bytes: int = MAX_INPUT_BYTES,
                   max_text_chars: int = MAX_TEXT_CHARS, details: bool = False, labels: bool = True) -> dict[str, Any]:
    """Extract facts from one record; see the module docstring for the text it runs on."""
    record = {"id": id, "source": source, "text": text, "title": title, "description": description, "html": html}
    return next(extract_many(nlp, [record], 1, max_input_bytes=max_input_bytes, max_text_chars=max_text_chars,
                             details=details, labels=labels))


def _looks_like_html(path: Path) -> bool:
    try:
        with open_regular(path) as fh:
            head = fh.read(2048).lstrip().lower()
    except OSError:
        return False
    return head.startswith((b"<!doctype html", b"<html", b"<!--", b"<head", b"<body"))


def _expand(paths: str | os.PathLike | Iterable[str | os.PathLike]) -> Iterator[Path]:
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and not any(x.startswith(".") for x in f.parts))
        else:
            yield p


class _Failed(dict):
    """An error object made while reading files, passed through without extraction."""


def _bad_line(bad: BadLine, source: Any) -> "_Failed":
    """The error object of a line of a ``.jsonl`` file that is not a record, with ``file:line`` as its id."""
    if bad.reason.startswith("longer than"):
        code = ErrorCode.INPUT_TOO_LARGE
    elif bad.reason.startswith("not UTF-8"):
        code = ErrorCode.INVALID_ENCODING
    elif bad.reason == "not a JSON object":
        code = ErrorCode.BAD_RECORD
    else:
        code = ErrorCode.BAD_JSON
    return _Failed(error_record(f"{bad.path}:{bad.line}", source, code, f"line {bad.line}: {bad.reason}"))


def _jsonl_records(path: Path, source: Any, max_line_bytes: int) -> Iterator[dict[str, Any]]:
    """The records of a ``.jsonl`` file, read by the core reader: each bad line an error object in
    its place. A crawl's records file reads its pages from the data directory it belongs to."""
    bad: list[BadLine] = []
    data_dir = data_dir_of_records(path)
    for _, record in numbered_jsonl(path, on_error=bad, max_line_bytes=max_line_bytes):
        while bad:
            yield _bad_line(bad.pop(0), source)
        if is_crawl_record(record):  # a crawl's records file: its archived page is read
            record = from_crawl_record(record, data_dir=data_dir)
        record.setdefault("source", source)
        yield record
    while bad:
        yield _bad_line(bad.pop(0), source)


def _records_from_path(path: Path, source: Any, max_input_bytes: int) -> Iterator[dict[str, Any]]:
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind is None and not path.suffix and _looks_like_html(path):
        kind = "html"
    if kind is None:
        yield _Failed(error_record(str(path), source, ErrorCode.UNSUPPORTED_FILE,
                                   f"{path.suffix or 'no suffix'}: give .html, .htm, .txt or .jsonl files"))
        return
    try:
        if kind == "jsonl":
            yield from _jsonl_records(path, source, max(MAX_LINE_BYTES, max_input_bytes))
            return
        with open_regular(path) as fh:  # a named pipe or a device is refused, not waited on
            data = fh.read(max_input_bytes + 1)
        if len(data) > max_input_bytes:
            yield _Failed(error_record(str(path), source, ErrorCode.INPUT_TOO_LARGE,
                                       f"{path.stat().st_size:,} bytes, over the limit of {max_input_bytes:,}; "
                                       "raise max_input_bytes to read it"))
            return
        yield {"id": str(path), "source": source, kind: data}
    except OSError as exc:
        yield _Failed(error_record(str(path), source, ErrorCode.UNREADABLE_FILE,
                                   f"{exc.strerror or exc}: check the path and its permissions"))


def extract_path(nlp: Language, paths: str | os.PathLike | Iterable[str | os.PathLike], *, source: Any = None,
                 batch_size: int = 64, max_input_bytes: int = MAX_INPUT_BYTES,
                 max_text_chars: int = MAX_TEXT_CHARS, details: bool = False,
                 labels: bool = True) -> Iterator[dict[str, Any]]:
    """Extract from files: ``.html``/``.htm`` (id = path), ``.txt`` (id = path), ``.jsonl`` (one
    record a line, with ``id`` and ``title``, ``description`` and/or ``html``; or a crawl's records
    file, see :mod:`extract.crawl_records`). Folders are read
    recursively in name order; a file without a suffix is read as HTML when it starts like HTML.
    Pages are decoded by their declared charset, else UTF-8, else windows-1252; ``.jsonl`` files
    must be UTF-8 (a line that is not is an error object naming it). A path that is not a regular
    file (a named pipe, a device) is an ``unreadable_file`` error, never waited on.
    """
    def records() -> Iterator[dict[str, Any]]:
        for path in _expand(paths):
            for record in _records_from_path(path, source, max_input_bytes):
                yield record

    pending: list[dict[str, Any]] = []
    for record in records():
        if isinstance(record, _Failed):
            yield from extract_many(nlp, pending, batch_size, max_input_bytes=max_input_bytes,
                                    max_text_chars=max_text_chars, details=details, labels=labels)
            pending = []
            yield dict(record)
            continue
        pending.append(record)
        if len(pending) >= batch_size:
            yield from extract_many(nlp, pending, batch_size, max_input_bytes=max_input_bytes,
                                    max_text_chars=max_text_chars, details=details, labels=labels)
            pending = []
    yield from extract_many(nlp, pending, batch_size, max_input_bytes=max_input_bytes, max_text_chars=max_text_chars,
                            details=details, labels=labels)
