"""Accuracy of `onionwatch extract`: per-field precision, recall and F1 on three sources of truth.

Evaluation discipline (:mod:`bench.eval_splits`): every development set has a part that may be read and
tuned on and a part that is only scored, reported side by side with n beside every score.
Agora is split by vendor; the real pages are scored leave-one-market-out (develop on Dream plus the
sandbox, score Apollon, then the reverse), with no market profile. Misses are printed for the
tuning side only. Never add a lexicon entry or a rule because a scored row failed.

1. Real labelled pages (Dream 2018-19, Apollon 2019): ``DATA/real-pages/labels.jsonl``, values
   checked by hand. Goals: vendor, price+currency, ships-from, escrow, PGP key > 0.95.
2. Agora listings (January 2014, ``DATA/agora/*.csv``): the category path gives the drug class of
   each title (goal > 0.95); the raw ships-from/to strings test place normalisation. Drug class
   accuracy (the category's class is among the classes extracted) is reported per class and part,
   lexicon only and with the drug classifier trained at run time on the tuning part
   (:mod:`bench.drug_class_eval`; ``--no-model`` skips it).
3. The sandbox (``onionwatch.sandbox``): a generated world of four market families (table, card
   grid, forum with free-text posts, German) served on 127.0.0.1, its pages fetched over a socket
   and scored per market against the ground truth it writes. It keeps its own vocabulary, so it
   is an independent oracle.

Prices are also parsed with the price-parser library on the same inputs, side by side.

Real data is read from its path (``--data``, default ``../shared/data/dev`` from the repository
root) and never copied; a source that is absent is skipped with a message.

Run from the checkout's root with onionwatch installed (see :mod:`bench`)::

    .venv/bin/python -m bench.extract_eval [--data DIR] [--seed 7] [--listings 300] [--json FILE] [--no-model]

Scoring: a labelled value the extraction got right is a true positive; a wrong value is both a
false positive and a false negative; a value extracted where the label says there is none (null or
false-for-presence) is a false positive; a labelled value not extracted is a false negative.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Iterable

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "dev"

# ---- scoring -------------------------------------------------------------------------------------


class Scores:
    """Per-field counts of true positives, false positives and false negatives."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.n: dict[str, int] = defaultdict(int)  # labelled cases scored per field (pages, rows)

    def add(self, field: str, expected: Any, predicted: Any, same: Callable[[Any, Any], bool] | None = None,
            where: str = "") -> None:
        """One labelled field; ``None`` means "no value"."""
        c = self.counts[field]
        self.n[field] += 1
        if expected is None and predicted is None:
            return
        if expected is not None and predicted is not None and (same or (lambda a, b: a == b))(expected, predicted):
            c[0] += 1
            return
        if predicted is not None:
            c[1] += 1
        if expected is not None:
            c[2] += 1
        self.errors[field].append(f"{where}: expected {expected!r}, got {predicted!r}")

    def add_sets(self, field: str, expected: Iterable, predicted: Iterable, where: str = "") -> None:
        """Item-level counts for a set-valued field."""
        e, p = set(expected), set(predicted)
        c = self.counts[field]
        self.n[field] += 1
        c[0] += len(e & p)
        c[1] += len(p - e)
        c[2] += len(e - p)
        if e != p:
            self.errors[field].append(f"{where}: expected {sorted(e)!r}, got {sorted(p)!r}")

    def table(self) -> dict[str, dict[str, float]]:
        out = {}
        for field, (tp, fp, fn) in sorted(self.counts.items()):
            p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
            r = tp / (tp + fn) if tp + fn else 1.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[field] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn,
                          "n": self.n.get(field, 0)}
        return out

    def print(self, title: str, goals: dict[str, float] | None = None, show_errors: int = 3) -> None:
        print(f"\n== {title}")
        print(f"{'field':<22}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}{'n':>6}  goal")
        for field, s in self.table().items():
            goal = (goals or {}).get(field)
            mark = "" if goal is None else f"> {goal:.2f} {'ok' if s['f1'] > goal else 'MISSED'}"
            print(f"{field:<22}{s['precision']:>7.3f}{s['recall']:>7.3f}{s['f1']:>7.3f}{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}"
                  f"{s['n']:>6}  {mark}")
        for field, errs in sorted(self.errors.items()):
            for e in errs[:show_errors]:
                print(f"   {field} miss {e}")


class Fanout:
    """Adds each labelled case to several :class:`Scores` at once (all rows, and the row's part)."""

    def __init__(self, *scores: Scores) -> None:
        self.scores = scores

    def add(self, *args: Any, **kwargs: Any) -> None:
        for s in self.scores:
            s.add(*args, **kwargs)

    def add_sets(self, *args: Any, **kwargs: Any) -> None:
        for s in self.scores:
            s.add_sets(*args, **kwargs)


def close(a: float, b: float, rel: float = 0.01) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-12)


# ---- place names: the eval's own normaliser (pycountry + a few trade words), not the pipeline's ----

_PLACE_ALIASES = {
    "worldwide": "WW", "world wide": "WW", "world": "WW", "everywhere": "WW", "wolrdwide": "WW", "worlwide": "WW",
    "international": "WW", "eu": "EU", "europe": "EU", "european union": "EU", "usa": "US", "us": "US",
    "united states": "US", "u.s.a.": "US", "u.s.": "US", "uk": "GB", "united kingdom": "GB", "england": "GB", "holland": "NL",
}


def truth_place(raw: str | None) -> str | None:
    """ISO code, WW or EU for a raw place string, None when it names no place (Torland, undeclared)."""
    import pycountry
    if raw is None:
        return None
    key = " ".join(raw.replace(";)", "").split()).lower()
    if not key or key in ("na", "undeclared", "undelcared"):
        return None
    if key in _PLACE_ALIASES:
        return _PLACE_ALIASES[key]
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        return None


# ---- price-parser, side by side ------------------------------------------------------------------

def price_parser_read(text: str) -> tuple[float | None, str | None]:
    from price_parser import Price
    p = Price.fromstring(text)
    return (float(p.amount) if p.amount is not None else None), p.currency


_SYMBOL_CODES = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "฿": "BTC", "EUR": "EUR", "USD": "USD",
                 "BTC": "BTC", "GBP": "GBP", "XMR": "XMR"}


def same_price(expected: tuple[float, str | None], got: tuple[float | None, str | None]) -> bool:
    if got[0] is None or not close(expected[0], got[0], 0.005):
        return False
    return expected[1] is None or _SYMBOL_CODES.get((got[1] or "").strip(), (got[1] or "").strip()) == expected[1]


# ---- 1. real labelled pages ----------------------------------------------------------------------

#: The facts the label reader gives that the real pages label, scored with and without it.
LABEL_READER_FIELDS = ("escrow", "finalize_early", "ships_from", "ships_to", "stock")
#: How the real pages are read for the label reader's contribution: the text alone (labels=False),
#: the label reader alone (the facts it gave), and both (the pipeline as it ships).
LABEL_MODES = ("text only", "labels only", "labels+text")


def _labelled_only(r: dict) -> dict:
    """A result reduced to the facts the label reader gave (the others as not found)."""
    given = r.get("label_fields") or {}
    return {"ships_from": r["ships_from"] if "ships_from" in given else None,
            "ships_to": r["ships_to"] if "ships_to" in given else [],
            "escrow": r["escrow"] if "escrow" in given else None,
            "finalize_early": r["finalize_early"] if "finalize_early" in given else None,
            "stock": r["stock"] if "stock" in given else None}


def _score_terms(s, lab: dict, r: dict, where: str, place: Callable[[Any], Any] = truth_place) -> None:
    """Ships-from, ships-to, escrow, finalize-early and stock of one labelled page (``place`` reads
    a labelled place: the eval's own normaliser for raw names, ``str`` for codes)."""
    if "ships_from" in lab:
        s.add("ships_from", place(lab["ships_from"]) if lab["ships_from"] else None, r["ships_from"], where=where)
    if "ships_to" in lab:
        s.add_sets("ships_to", {place(x) for x in lab["ships_to"]} - {None}, r["ships_to"], where)
    for term in ("escrow", "finalize_early"):
        if term in lab:
            s.add(term, lab[term], r[term], where=where)
    if "quantity_in_stock" in lab:
        stock = r.get("stock")
        s.add("stock", lab["quantity_in_stock"], stock.get("count") if isinstance(stock, dict) else None, where=where)


def eval_real(nlp, root: Path, pp: Scores, show: int) -> Scores | None:
    from extract import extract_path
    from extract.html import html_to_text
    labels_file = root / "labels.jsonl"
    if not labels_file.exists():
        print(f"\n== real pages: skipped ({labels_file} not found; give --data DIR)")
        return None
    labels = [json.loads(line) for line in labels_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    paths = [root / lab["market"] / lab["page"] for lab in labels]
    results = {r["id"]: r for r in extract_path(nlp, paths)}
    text_only = {r["id"]: r for r in extract_path(nlp, paths, labels=False)}
    all_pages = Scores()
    by_market: dict[str, Scores] = {}
    by_mode: dict[tuple[str, str], Scores] = {}  # (market, mode) -> the label reader's fields
    failed = [r for r in results.values() if "error" in r]
    for lab, path in zip(labels, paths):
        r = results[str(path)]
        where = f"{lab['market']}/{lab['page']}"
        if "error" in r:
            continue
        s = Fanout(all_pages, by_market.setdefault(lab["market"], Scores()))
        if "vendor" in lab:
            s.add("vendor", lab["vendor"], r["vendor"], lambda a, b: a.lower() == b.lower(), where)
        price = r["price"]
        if "price" in lab:
            got = (price["amount"], price["currency"]) if price else None
            if lab["price"] is None:
                s.add("price+currency", None, got, where=where)
            elif lab.get("currency"):
                s.add("price+currency", (lab["price"], lab["currency"]), got,
                      lambda a, b: close(a[0], b[0], 0.005) and a[1] == b[1], where)
            else:
                s.add("price (no currency label)", lab["price"], got[0] if got else None, close, where)
            if lab["price"] is not None:
                text = html_to_text(path.read_bytes())
                pp.add("real: ours", (lab["price"], lab.get("currency")), got or (None, None), same_price, where)
                pp.add("real: price-parser", (lab["price"], lab.get("currency")), price_parser_read(text),
                       same_price, where)
        _score_terms(s, lab, r, where)
        for mode, read in zip(LABEL_MODES, (text_only.get(str(path)), _labelled_only(r), r)):
            if read is not None and "error" not in read:
                _score_terms(by_mode.setdefault((lab["market"], mode), Scores()), lab, read, where)
        if "has_pgp_key" in lab:
            s.add("pgp_key", True if lab["has_pgp_key"] else None, True if r["pgp_keys"] else None, where=where)
        for kind, key in (("email", "email"), ("jabber", "jabber")):
            if key in lab:
                got = [c["value"] for c in r["contacts"] if c["kind"] == kind]
                s.add(f"contact:{kind}", lab[key], got[0] if got else None, where=where)
    goals = {"vendor": 0.95, "price+currency": 0.95, "ships_from": 0.95, "ships_to": 0.95, "escrow": 0.95,
             "finalize_early": 0.95, "pgp_key": 0.95}
    all_pages.print(f"real labelled pages ({len(labels)} pages, {len(failed)} extraction errors)", goals, show)
    for market, scores in sorted(by_market.items()):
        scores.print(f"real labelled pages: {market} ({sum(lab['market'] == market for lab in labels)} pages)",
                     goals, 0)
    print_folds(by_market)
    print_label_reader(by_mode)
    all_pages.by_market = by_market
    all_pages.by_part = {f"{market}:{mode}": sc for (market, mode), sc in by_mode.items()}
    return all_pages


def print_folds(by_market: dict[str, Scores]) -> None:
    """Leave-one-market-out: for each fold, the development market's scores beside the scored market's."""
    from bench.eval_splits import REAL_FOLDS
    print("\n== real pages, leave one market out (profiles off: extraction reads the pages without any market "
          "profile; F1 (n labelled))")
    for fold, (developed, scored) in REAL_FOLDS.items():
        dev_markets = [m for m in developed if m in by_market]
        if scored not in by_market:
            print(f"fold {fold!r}: skipped ({scored} has no labelled pages here)")
            continue
        tables = {m: by_market[m].table() for m in [*dev_markets, scored]}
        print(f"fold {fold!r}: developed on {' + '.join(developed)} (sandbox: see its own tables), scored on {scored}")
        print(f"  {'field':<22}" + "".join(f"{f'{m} (dev)':>20}" for m in dev_markets) + f"{f'{scored} (scored)':>20}")
        for field in sorted({f for t in tables.values() for f in t}):
            cells = [f"{tables[m][field]['f1']:>13.3f} ({tables[m][field]['n']:>3})" if field in tables[m]
                     else f"{'-':>20}" for m in [*dev_markets, scored]]
            print(f"  {field:<22}" + "".join(cells))


def print_label_reader(by_mode: dict[tuple[str, str], Scores]) -> None:
    """The label reader's contribution on each held-out market: per field precision, recall and F1
    with n, reading the text only, the labels only, and both (profiles off)."""
    from bench.eval_splits import REAL_FOLDS
    print("\n== label reader, leave one market out (profiles off): the scored market's P / R / F1 (n labelled), "
          "reading the text only, the labelled fields only, and both")
    for fold, (developed, scored) in REAL_FOLDS.items():
        tables = {mode: by_mode[(scored, mode)].table() for mode in LABEL_MODES if (scored, mode) in by_mode}
        if not tables:
            print(f"fold {fold!r}: skipped ({scored} has no labelled pages here)")
            continue
        print(f"fold {fold!r}: developed on {' + '.join(developed)}, scored on {scored}")
        print(f"  {'field':<16}" + "".join(f"{mode:>26}" for mode in LABEL_MODES))
        for field in LABEL_READER_FIELDS:
            cells = []
            for mode in LABEL_MODES:
                t = tables.get(mode, {}).get(field)
                cells.append(f"{t['precision']:>6.3f}{t['recall']:>6.3f}{t['f1']:>6.3f} ({t['n']:>3})" if t
                             else f"{'-':>26}")
            print(f"  {field:<16}" + "".join(f"{c:>26}" for c in cells))


# ---- 2. Agora ------------------------------------------------------------------------------------

#: Agora category path -> drug class. Categories that are not a pharmacological class
#: ("Prescription", "Other", "RCs", "Weight loss") are left out of the drug-class score.
AGORA_CLASSES = {
    ("Benzos",): "benzodiazepine", ("Cannabis",): "cannabis", ("Cannabis", "Synthetics"): "synthetic_cannabinoid",
    ("Disassociatives",): "dissociative", ("Disassociatives", "GBL"): "depressant",
    ("Disassociatives", "GHB"): "depressant", ("Ecstasy",): "empathogen", ("Ecstasy-MDMA",): "empathogen",
    ("Methylone",): "empathogen", ("Opioids",): "opioid", ("Psychedelics",): "psychedelic",
    ("Steroids",): "steroid", ("Stimulants",): "stimulant",
}
#: Classes the pipeline keeps apart that Agora's tree files under a broader one ("Benzos" holds the
#: Z-drugs, which the pipeline calls sedatives).
_BROADER = {"fentanyl": "opioid", "nitazene": "opioid"}
_AGORA_ALSO = {"benzodiazepine": {"sedative"}}


def agora_class(sub: str, subsub: str) -> str | None:
    return AGORA_CLASSES.get((sub, subsub)) or AGORA_CLASSES.get((sub,))


def read_agora(folder: Path, limit: int | None) -> list[dict] | None:
    files = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    if not files:
        return None
    rows = []
    for f in files:
        with open(f, encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    return rows[:limit] if limit else rows


def agora_record(i: int, row: dict) -> dict:
    body = []
    if row["from"].strip() and row["from"].strip() != "NA":
        body.append(f"Ships from: {' '.join(row['from'].split())}")
    if row["to"].strip() and row["to"].strip() != "NA":
        body.append(f"Ships to: {' '.join(row['to'].split())}")
    return {"id": i, "title": row["product"], "text": "\n".join(body), "source": "agora"}


def eval_agora(nlp, folder: Path, show: int, limit: int | None, model: bool = True,
               epochs: int | None = None) -> Scores | None:
    """Agora, all rows and each part of the vendor split (:mod:`bench.eval_splits`), then drug class
    accuracy per class with and without a classifier trained on the tuning part (:mod:`bench.drug_class_eval`)."""
    from extract import extract_many
    from bench.eval_splits import PARTS, agora_part, part_sizes
    rows = read_agora(folder, limit)
    if rows is None:
        print(f"\n== Agora: skipped (no CSV in {folder})")
        return None
    parts = [agora_part(row["vendor"]) for row in rows]
    s = Scores()
    by_part = {p: Scores() for p in PARTS}
    records = [agora_record(i, row) for i, row in enumerate(rows)]
    skipped = 0
    non_drug: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # category -> [titles, titles with a drug]
    started = time.perf_counter()
    results = list(extract_many(nlp, records, batch_size=256))
    plain_seconds = time.perf_counter() - started
    expected_classes: list[str | None] = []
    for row, part, r in zip(rows, parts, results):
        where = row["product"][:60]
        f = Fanout(s, by_part[part])
        expected_classes.append(agora_class(row["subcat"], row["subsubcat"]) if row["cat"] == "Drugs" else None)
        if "error" in r:
            continue
        if row["cat"] != "Drugs":
            # precision guard: a drug named in a non-drug title (books about drugs do name them;
            # a rise here is what a context rule must not cause)
            title_end = len(row["product"].strip())
            non_drug[row["cat"]][0] += 1
            non_drug[row["cat"]][1] += any(d["span"][0] < title_end for d in r["drugs"])
        if row["cat"] == "Drugs":
            expected = agora_class(row["subcat"], row["subsubcat"])
            if expected is None:
                skipped += 1
            else:
                title_end = len(row["product"].strip())
                in_title = [d for d in r["drugs"] if d["span"][0] < title_end]
                got = _BROADER.get(in_title[0]["class"], in_title[0]["class"]) if in_title else None
                f.add("drug_class (title)", expected, got, lambda a, b: a == b or b in _AGORA_ALSO.get(a, ()), where)
        raw_from = row["from"].strip()
        if raw_from and raw_from != "NA":
            f.add("ships_from (raw)", truth_place(raw_from), r["ships_from"], where=f"{raw_from!r}")
        raw_to = " ".join(row["to"].split())
        code = truth_place(raw_to)
        if code:  # only single-place values the eval can normalise on its own
            f.add_sets("ships_to (raw)", {code}, r["ships_to"], where=f"{raw_to!r}")
    s.print(f"Agora ({len(rows)} listings; {skipped} drug listings in non-class categories left out)",
            {"drug_class (title)": 0.95}, show)
    total, flagged = sum(n for n, _ in non_drug.values()), sum(k for _, k in non_drug.values())
    print(f"non-drug listings with a drug in the title: {flagged} of {total} ("
          + ", ".join(f"{cat} {k}/{n}" for cat, (n, k) in sorted(non_drug.items()) if k) + ")")
    s.counts["non-drug titles naming a drug"] = [0, flagged, 0]
    sizes = part_sizes(row["vendor"] for row in rows)
    for part in PARTS:
        # misses of the scored part are not printed: it is there to be scored, not read
        by_part[part].print(f"Agora, {part} part of the vendor split ({sizes[part][0]} listings, {sizes[part][1]} "
                            f"vendors)", {"drug_class (title)": 0.95}, show if part == "tune" else 0)
    s.by_part = by_part
    s.drug_class = eval_drug_class(nlp, rows, parts, records, results, expected_classes, model, epochs, plain_seconds)
    return s


def eval_drug_class(nlp, rows: list[dict], parts: list[str], records: list[dict], results: list[dict],
                    expected: list[str | None], model: bool, epochs: int | None, plain_seconds: float) -> dict:
    """The issue's drug class accuracy per class and part, lexicon only and with the trained model."""
    from bench.drug_class_eval import print_class_report, tally_parts, temporary_folder, train_on_rows
    from bench.eval_splits import PARTS
    from extract import extract_many, load_pipeline
    from extract.classify import combine_classes
    from extract.classify.combine import DEFAULT_THRESHOLD

    def classes(rs: list[dict]):
        return lambda i: [] if "error" in rs[i] else rs[i]["drug_classes"]

    ways = {"lexicon": classes(results)}
    out: dict[str, Any] = {}
    if model:
        with temporary_folder() as tmp:
            tuning_rows = [row for row, part in zip(rows, parts) if part == "tune"]
            trained = train_on_rows(tuning_rows, Path(tmp), epochs)
            print(f"\n== drug classifier trained on the tuning part at run time: {trained.train_examples} rows "
                  f"(+{trained.dev_examples} to pick the epoch), {len(trained.class_counts)} classes, "
                  f"{trained.seconds:.1f}s on this machine; kept in a temporary folder, deleted after")
            with_model = load_pipeline(drug_model=trained.model_dir)
            started = time.perf_counter()
            model_results = list(extract_many(with_model, records, batch_size=256))
            seconds = time.perf_counter() - started
        out["training"] = {"seconds": round(trained.seconds, 1), "train_rows": trained.train_examples,
                           "dev_rows": trained.dev_examples, "classes": trained.class_counts,
                           "extract_seconds_with_model": round(seconds, 1),
                           "extract_seconds_lexicon_only": round(plain_seconds, 1)}
        print(f"extracting the {len(records)} listings took {seconds:.1f}s with the model, {plain_seconds:.1f}s "
              f"without (x{seconds / max(plain_seconds, 1e-9):.2f}, same process, same data)")

        def prediction(i: int) -> dict | None:
            return None if "error" in model_results[i] else model_results[i]["drug_class_model"]

        ways["+model"] = classes(model_results)
        ways["model alone"] = lambda i: [prediction(i)["class"]] if prediction(i) else []
        ways["+model (add)"] = lambda i: [] if "error" in results[i] else combine_classes(
            results[i]["drug_classes"], prediction(i), DEFAULT_THRESHOLD, "add")[0]
        non_drug = [i for i, row in enumerate(rows) if row["cat"] != "Drugs"]
        for part in PARTS:
            mine = [i for i in non_drug if parts[i] == part]
            out[f"non_drug_with_a_class:{part}"] = {
                "lexicon": sum(bool(ways["lexicon"](i)) for i in mine),
                "+model": sum(bool(ways["+model"](i)) for i in mine), "n": len(mine)}
    tallies = tally_parts(rows, parts, expected, ways)
    print("\n== Agora drug class accuracy: the category's class is among the classes extracted (micro over drug "
          "rows whose category names a class); accuracy (n)")
    print("   lexicon = today's pipeline; +model = lexicon plus the model's class where the lexicon found none "
          "(policy 'fill', the default); model alone and policy 'add' for comparison only")
    print("   the model's tune-part numbers are in-sample; the score part holds vendors it never read")
    main_ways = {w: tallies[w] for w in ("lexicon", "+model") if w in tallies}
    print_class_report(main_ways, PARTS)
    if model:
        print_class_report({w: tallies[w] for w in ("model alone", "+model (add)")}, PARTS)
        for part in PARTS:
            guard = out[f"non_drug_with_a_class:{part}"]
            print(f"non-drug listings given a class, {part} part: lexicon {guard['lexicon']}, +model "
                  f"{guard['+model']} (n {guard['n']})")
    out.update({f"{way}:{part}": tallies[way][part].to_dict() for way in tallies for part in PARTS})
    return out


# ---- 3. the sandbox ------------------------------------------------------------------------------

def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as resp:  # 127.0.0.1 only: the sandbox refuses other hosts
        return resp.read()


def eval_sandbox(nlp, seed: int, vendors: int, listings: int, pp: Scores, show: int) -> dict[str, Scores] | None:
    """Score every market family of a sandbox world (table, grid, forum, German markt) separately."""
    from extract import extract_many
    try:
        from onionwatch.sandbox import ALL_FAMILIES, build_world, serve_world, truth_records
        world = build_world(seed, vendors=vendors, listings=listings, families=ALL_FAMILIES)
        truth = [t for t in truth_records(world) if t["type"] in ("listing", "vendor")]
    except Exception as exc:  # noqa: BLE001  (the sandbox is another area, possibly mid-change)
        print(f"\n== sandbox: skipped (it failed to build: {type(exc).__name__}: {exc})")
        return None
    with serve_world(world) as served:
        pages = [(t, _fetch(served.urls[t["market"]] + t["url_path"])) for t in truth]
    records = [{"id": i, "html": html, "source": "sandbox"} for i, (_, html) in enumerate(pages)]
    per_market: dict[str, Scores] = {}
    for (t, _), r in zip(pages, extract_many(nlp, records)):
        s = per_market.setdefault(t["market"], Scores())
        _score_sandbox_page(s, pp, t, r)
    for market, s in per_market.items():
        listed = sum(t["type"] == "listing" and t["market"] == market for t, _ in pages)
        vendor_pages = sum(t["type"] == "vendor" and t["market"] == market for t, _ in pages)
        s.print(f"sandbox {market} (seed {seed}: {listed} listings, {vendor_pages} vendor pages)", None, show)
    return per_market


def eval_sandbox_labels(nlp, seeds: Iterable[int], vendors: int = 5, listings: int = 25) -> dict[str, Scores] | None:
    """The label reader on the sandbox's labelled families across worlds: each seed gives each market
    other label wordings (:mod:`onionwatch.sandbox.labels`); per field P/R/F1 (n listings) reading
    the text only and with the label reader."""
    from extract import extract_many
    try:
        from onionwatch.sandbox import ALL_FAMILIES, build_world, serve_world, truth_records
    except Exception as exc:  # noqa: BLE001
        print(f"\n== sandbox label wordings: skipped ({type(exc).__name__}: {exc})")
        return None
    modes = {"text only": Scores(), "labels+text": Scores()}
    for seed in seeds:
        world = build_world(seed, vendors=vendors, listings=listings, families=ALL_FAMILIES)
        labelled = {m.name for m in world.markets if m.family != "forum"}  # the forum labels no terms
        truth = [t for t in truth_records(world) if t["type"] == "listing" and t["market"] in labelled]
        with serve_world(world) as served:
            records = [{"id": i, "html": _fetch(served.urls[t["market"]] + t["url_path"])} for i, t in enumerate(truth)]
        for mode, labels in (("text only", False), ("labels+text", True)):
            for t, r in zip(truth, extract_many(nlp, records, labels=labels)):
                if "error" not in r:
                    _score_terms(modes[mode], {**{k: t[k] for k in ("ships_from", "escrow", "finalize_early")},
                                               "ships_to": t["ships_to"], "quantity_in_stock": t["stock"]},
                                 r, f"{seed}/{t['market']}/{t['listing_id']}", place=str)
    print(f"\n== sandbox label wordings (labelled families, seeds {list(seeds)}): P / R / F1 (n)")
    print(f"  {'field':<16}" + "".join(f"{mode:>26}" for mode in modes))
    tables = {mode: sc.table() for mode, sc in modes.items()}
    for field in LABEL_READER_FIELDS:
        cells = [f"{t[field]['precision']:>6.3f}{t[field]['recall']:>6.3f}{t[field]['f1']:>6.3f} ({t[field]['n']:>3})"
                 if field in t else f"{'-':>26}" for t in tables.values()]
        print(f"  {field:<16}" + "".join(f"{c:>26}" for c in cells))
    return modes


#: The sandbox's class names where they differ from the pipeline's (its vocabulary is its own).
_SANDBOX_CLASS = {"cannabinoid": "cannabis"}
_SANDBOX_UNIT = {"tab": "pill"}  # the pipeline counts tabs, pills and blotters as "pill"


def listing_class(drugs: list[dict]) -> str | None:
    """A listing's drug class: its first substance's, read past pressed-pill forms ("Blues M30 fent
    pressed" is fentanyl), with fentanyl and nitazenes counted as opioids."""
    classes = [_BROADER.get(d["class"], d["class"]) for d in drugs]
    substances = [c for c in classes if c != "pressed_pill"]
    return (substances or classes or [None])[0]


def _contact_key(contact: dict) -> tuple[str, str]:
    """Contacts compared without case and without the "@" some write before Telegram handles."""
    value = contact["value"].lower()
    return contact["kind"], value.lstrip("@") if contact["kind"] == "telegram" else value


def _score_sandbox_page(s: Scores, pp: Scores, t: dict, r: dict) -> None:
    where = t["url_path"]
    if "error" in r:
        s.add("extraction error", None, r["error"]["code"], where=where)
        return
    if t["type"] == "listing":
        s.add("vendor", t["vendor"], r["vendor"], lambda a, b: a.lower() == b.lower(), where)
        s.add("drug_class", _SANDBOX_CLASS.get(t["drug_class"], t["drug_class"]), listing_class(r["drugs"]),
              where=where)
        price = r["price"]
        s.add("price+currency", (float(t["price"]), t["currency"]),
              (price["amount"], price["currency"]) if price else None,
              lambda a, b: close(a[0], b[0], 0.005) and a[1] == b[1], where)
        # USD: from the page's own rates, else the configured table (a page in EUR that shows no
        # EUR/USD rate is converted at the table's rate, not the sandbox's)
        s.add("price_usd", t["price_usd"], price["usd"] if price and price["usd"] is not None else None,
              lambda a, b: close(a, b, 0.02), where)
        q = t["quantity"]
        s.add_sets("quantity", {(float(q["value"]), _SANDBOX_UNIT.get(q["unit"], q["unit"]))} if q else set(),
                   {(float(x["value"]), x["unit"]) for x in r["quantities"][:1]}, where)
        s.add("ships_from", t["ships_from"], r["ships_from"], where=where)
        s.add_sets("ships_to", t["ships_to"], r["ships_to"], where)
        s.add("escrow", t["escrow"], r["escrow"], where=where)
        s.add("finalize_early", t["finalize_early"], r["finalize_early"], where=where)
        if t.get("price_text"):
            # amount and currency as the page shows them ("1.234,50 €"), read from the price field's text
            expected = (float(t["price"]), t["currency"])
            pp.add(f"sandbox {t['market']}: ours", expected,
                   (price["amount"], price["currency"]) if price else (None, None), same_price, where)
            pp.add(f"sandbox {t['market']}: price-parser", expected, price_parser_read(t["price_text"]),
                   same_price, where)
    else:
        s.add("vendor page: vendor", t["handle"], r["vendor"], lambda a, b: a.lower() == b.lower(), where)
        s.add("pgp_fingerprint", t["pgp_fingerprint"],
              r["pgp_keys"][0]["fingerprint"] if r["pgp_keys"] else None,
              lambda a, b: a.replace(" ", "").upper() == b.upper(), where)
        s.add_sets("crypto_addresses", set(t["btc"]) | set(t["xmr"]),
                   {a["address"] for a in r["crypto_addresses"] if a.get("role") != "escrow_deposit"}, where)
        s.add_sets("contacts", {_contact_key(c) for c in t["contacts"]}, {_contact_key(c) for c in r["contacts"]}, where)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with real-pages/ and agora/")
    ap.add_argument("--seed", type=int, default=7, help="sandbox world seed")
    ap.add_argument("--vendors", type=int, default=20, help="sandbox vendors")
    ap.add_argument("--listings", type=int, default=300, help="sandbox listings")
    ap.add_argument("--agora-limit", type=int, default=None, help="read only the first N Agora rows")
    ap.add_argument("--errors", type=int, default=3, help="examples of misses to print per field")
    ap.add_argument("--json", type=Path, default=None, help="also write all scores to this JSON file")
    ap.add_argument("--no-model", action="store_true",
                    help="skip training the drug classifier on Agora's tuning part (lexicon-only numbers)")
    ap.add_argument("--epochs", type=int, default=None, help="epochs of that training (recipe default)")
    ap.add_argument("--label-seeds", type=int, nargs="*", default=[1, 2, 3, 4, 5, 6, 7, 8],
                    help="sandbox worlds whose label wordings the label reader is scored on (none: skip)")
    args = ap.parse_args(argv)

    from extract import load_pipeline
    started = time.perf_counter()
    nlp = load_pipeline()
    pp = Scores()
    out = {}
    for name, run in (("real", lambda: eval_real(nlp, args.data / "real-pages", pp, args.errors)),
                      ("agora", lambda: eval_agora(nlp, args.data / "agora", args.errors, args.agora_limit,
                                                   not args.no_model, args.epochs)),
                      ("sandbox", lambda: eval_sandbox(nlp, args.seed, args.vendors, args.listings, pp, args.errors)),
                      ("sandbox-labels", lambda: eval_sandbox_labels(nlp, args.label_seeds))):
        scores = run()
        if isinstance(scores, dict):
            out.update({f"{name}:{market}": sc.table() for market, sc in scores.items()})
        elif scores is not None:
            out[name] = scores.table()
            for key, part in {**getattr(scores, "by_market", {}), **getattr(scores, "by_part", {})}.items():
                out[f"{name}:{key}"] = part.table()
            if getattr(scores, "drug_class", None):
                out[f"{name}:drug_class"] = scores.drug_class
    pp.print("price and currency: onionwatch vs price-parser on the same inputs", None, args.errors)
    out["price_parser_side_by_side"] = pp.table()
    print(f"\n{time.perf_counter() - started:.1f}s")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
