"""Facts from the listing, not the chrome: per-family accuracy with and without the learned chrome.

Serves a sandbox world (four families, chrome on unless ``--no-chrome``) on 127.0.0.1, fetches
every listing and vendor page, and scores extraction against the ground truth per family, twice:
on the whole page (as indexing did before :mod:`extract.chrome`), and on the page with the chrome
learned from all the market's fetched pages removed (as indexing does now; each page's labelled
field texts are its profile fields, kept). Fields: drugs (the names reported equal the truth's
drug, and nothing else: :func:`drugs_equal`), price (amount and currency), price_usd (within 2%),
ships_from, ships_to.

With ``--real DIR`` it also reads the real development pages in place (``DIR/<market>/*.html``,
vendor from ``DIR/labels.jsonl``), learns each market's chrome and prints counts only: pages,
vendors, blocks removed, and how many labelled facts extraction finds with and without the chrome.

    .venv/bin/python -m bench.chrome_eval [--seed 7] [--vendors 30] [--listings 250] [--real DIR]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench import extract_eval

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REAL = REPO.parent / "shared" / "data" / "dev" / "real-pages"


EVAL = extract_eval
#: Names the pipeline gives where the sandbox names the substance: hash is cannabis, crack is
#: cocaine (the sandbox's vocabulary is its own; this maps the pipeline's names onto it).
PIPELINE_NAMES = {"hashish": "cannabis", "crack cocaine": "cocaine"}


def drugs_equal(truth: dict, drugs: list[dict]) -> bool:
    """The extracted drugs are the listing's own and nothing else: every substance named is the
    truth's drug (pipeline names mapped by :data:`PIPELINE_NAMES`), a pressed-pill form is named
    only on pressed-pill listings, and at least one of them is found.

    >>> truth = {"drug": "fentanyl", "form": "powder"}
    >>> drugs_equal(truth, [{"name": "fentanyl", "class": "fentanyl"}])
    True
    >>> drugs_equal(truth, [{"name": "fentanyl", "class": "fentanyl"}, {"name": "heroin", "class": "opioid"}])
    False
    """
    if not drugs:
        return False
    names = {PIPELINE_NAMES.get(d["name"].lower(), d["name"].lower()) for d in drugs
             if d["class"] != "pressed_pill"}
    pressed = any(d["class"] == "pressed_pill" for d in drugs)
    return names <= {truth["drug"].lower()} and (not pressed or truth["form"] == "pressed_pill")


def price_equal(truth: dict, price: dict | None) -> bool:
    return bool(price) and EVAL.close(float(truth["price"]), price["amount"], 0.005) \
        and price["currency"] == truth["currency"]


def score(truth: dict, result: dict, counts: dict[str, list[int]]) -> None:
    checks = {
        "drugs": drugs_equal(truth, result.get("drugs") or []),
        "price": price_equal(truth, result.get("price")),
        "price_usd": bool(result.get("price")) and result["price"]["usd"] is not None
        and EVAL.close(truth["price_usd"], result["price"]["usd"], 0.02),
        "ships_from": result.get("ships_from") == truth["ships_from"],
        "ships_to": set(result.get("ships_to") or []) == set(truth["ships_to"]),
    }
    for name, ok in checks.items():
        counts[name][0] += ok
        counts[name][1] += 1


def keep_texts(fields: dict) -> list[str]:
    """The texts of a page's profile fields, as :func:`extract.chrome.strip_chrome` keeps them."""
    out = []
    for value in fields.values():
        out += [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
    return out


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as resp:  # 127.0.0.1 only
        return resp.read().decode("utf-8")


def eval_sandbox(nlp, seed: int, vendors: int, listings: int, chrome_on: bool) -> dict[str, Any]:
    from extract import extract_many
    from extract.chrome import learn_chrome, strip_chrome
    from onionwatch.sandbox import ALL_FAMILIES, build_world, serve_world, truth_records

    world = build_world(seed, vendors=vendors, listings=listings, families=ALL_FAMILIES)
    for market in world.markets:
        market.chrome = chrome_on
    truth = [t for t in truth_records(world) if t["type"] in ("listing", "vendor")]
    with serve_world(world) as served:
        pages = [(t, _fetch(served.urls[t["market"]] + t["url_path"])) for t in truth]
    family = {m.name: m.family for m in world.markets}
    out: dict[str, Any] = {}
    for market in family:
        mine = [(t, html) for t, html in pages if t["market"] == market]
        model = learn_chrome((html, t.get("vendor") or t.get("handle")) for t, html in mine)
        listed = [(t, html) for t, html in mine if t["type"] == "listing"]
        stripped = [strip_chrome(html, model, keep=keep_texts(
            {**t["labelled"], "description": t["description_paragraphs"]})) for t, html in listed]
        before: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        after: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for variant, htmls in ((before, [h for _, h in listed]), (after, [s.html for s in stripped])):
            records = [{"id": i, "title": t["labelled"]["title"], "html": h, "source": "sandbox"}
                       for i, ((t, _), h) in enumerate(zip(listed, htmls))]
            for (t, _), r in zip(listed, extract_many(nlp, records)):
                score(t, r, variant)
        removed = sum(len(s.removed) for s in stripped)
        out[family[market]] = {"listings": len(listed), "model": model.note,
                               "blocks_removed_per_listing": round(removed / max(1, len(listed)), 1),
                               "before": {k: v for k, v in before.items()},
                               "after": {k: v for k, v in after.items()}}
    return out


def eval_real(nlp, root: Path) -> dict[str, Any] | None:
    """Counts only: what the learned chrome removed on the real pages, and the labelled facts
    extraction finds on them with and without it. A page's vendor is its label's, else the one
    extraction reads on the whole page, else the page itself (few pages here carry a label)."""
    from extract import extract_many
    from extract.chrome import learn_chrome, strip_chrome

    labels_file = root / "labels.jsonl"
    if not labels_file.exists():
        print(f"real pages: skipped ({labels_file} not found)")
        return None
    labels = {(lab["market"], lab["page"]): lab
              for lab in map(json.loads, labels_file.read_text(encoding="utf-8").splitlines())}
    out = {}
    for market_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        files = sorted(f for f in market_dir.rglob("*") if f.is_file())
        pages = {f: f.read_bytes().decode("utf-8", errors="replace") for f in files}
        label_of = {f: labels.get((market_dir.name, str(f.relative_to(market_dir)))) for f in files}
        whole = {r["id"]: r for r in extract_many(nlp, [{"id": str(f), "html": h} for f, h in pages.items()])}
        vendor_of = {f: (label_of[f] or {}).get("vendor") or whole[str(f)].get("vendor") or f"page:{f}"
                     for f in files}
        model = learn_chrome((pages[f], vendor_of[f]) for f in files)
        stripped = {f: strip_chrome(pages[f], model) for f in files}
        after = {r["id"]: r for r in extract_many(nlp, [{"id": str(f), "html": s.html} for f, s in stripped.items()])}
        found = {}
        for name, results in (("before", whole), ("after", after)):
            s = EVAL.Scores()
            for f in files:
                if label_of[f] and "error" not in results[str(f)]:
                    _score_real(s, label_of[f], results[str(f)])
            found[name] = {k: f"{v['tp']} of {v['tp'] + v['fn']}" for k, v in s.table().items()}
        removed = [text for s in stripped.values() for _, text in s.removed]
        unique = sorted(set(removed))
        naming = {u for u, r in zip(unique, extract_many(nlp, [{"id": i, "text": u} for i, u in enumerate(unique)]))
                  if r.get("drugs")}
        drugs_before = sum(len(whole[str(f)].get("drugs") or []) for f in files)
        drugs_after = sum(len(after[str(f)].get("drugs") or []) for f in files)
        out[market_dir.name] = {
            "pages": len(files), "labelled_vendor_pages": sum(1 for f in files if (label_of[f] or {}).get("vendor")),
            "model": model.note, "blocks_removed": len(removed),
            "pages_touched": sum(1 for s in stripped.values() if s.removed),
            "removed_blocks_naming_a_drug": sum(t in naming for t in removed),
            "removed_blocks_naming_fentanyl": sum("fentanyl" in t.lower() for t in removed),
            "drug_mentions_before_after": [drugs_before, drugs_after],
            "labelled_found": found}
    return out


def _score_real(s, lab: dict, r: dict) -> None:
    """extract_eval's scoring of a labelled real page (the same fields, the same comparisons)."""
    if lab.get("vendor"):
        s.add("vendor", lab["vendor"], r["vendor"], lambda a, b: a.lower() == b.lower())
    price = r["price"]
    if lab.get("price") is not None:
        got = (price["amount"], price["currency"]) if price else None
        if lab.get("currency"):
            s.add("price+currency", (lab["price"], lab["currency"]), got,
                  lambda a, b: EVAL.close(a[0], b[0], 0.005) and a[1] == b[1])
        else:
            s.add("price", lab["price"], got[0] if got else None, EVAL.close)
    if lab.get("ships_from"):
        s.add("ships_from", EVAL.truth_place(lab["ships_from"]), r["ships_from"])
    if "ships_to" in lab:
        s.add_sets("ships_to", {EVAL.truth_place(x) for x in lab["ships_to"]} - {None}, r["ships_to"])
    for term in ("escrow", "finalize_early"):
        if term in lab:
            s.add(term, lab[term], r[term])
    if "has_pgp_key" in lab:
        s.add("pgp_key", True if lab["has_pgp_key"] else None, True if r["pgp_keys"] else None)
    for kind in ("email", "jabber"):
        if kind in lab:
            got = [c["value"] for c in r["contacts"] if c["kind"] == kind]
            s.add(f"contact:{kind}", lab[kind], got[0] if got else None)


def _table(title: str, results: dict[str, Any]) -> None:
    print(f"\n== {title}")
    print(f"{'family':<8}{'n':>5}  {'field':<11}{'before':>14}{'after':>14}")
    for family, res in results.items():
        for field in ("drugs", "price", "price_usd", "ships_from", "ships_to"):
            b, a = res["before"][field], res["after"][field]
            print(f"{family:<8}{res['listings']:>5}  {field:<11}{b[0] / b[1]:>8.3f} ({b[0]:>3})"
                  f"{a[0] / a[1]:>8.3f} ({a[0]:>3})")
        print(f"         {res['model']}; {res['blocks_removed_per_listing']} blocks removed a listing")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--vendors", type=int, default=30)
    ap.add_argument("--listings", type=int, default=250)
    ap.add_argument("--no-chrome", action="store_true", help="serve the sandbox without its chrome")
    ap.add_argument("--real", type=Path, default=None, nargs="?", const=DEFAULT_REAL,
                    help=f"also report on the real pages in place (default {DEFAULT_REAL})")
    ap.add_argument("--json", type=Path, default=None, help="also write the results to this file")
    args = ap.parse_args(argv)

    from extract import load_pipeline

    started = time.perf_counter()
    nlp = load_pipeline()
    results = {"sandbox": eval_sandbox(nlp, args.seed, args.vendors, args.listings, not args.no_chrome)}
    _table(f"sandbox seed {args.seed}, {args.vendors} vendors, {args.listings} listings a market, chrome "
           f"{'off' if args.no_chrome else 'on'}: share of listings right (n right)", results["sandbox"])
    if args.real:
        results["real"] = eval_real(nlp, args.real)
        print("\n== real pages (counts only)")
        print(json.dumps(results["real"], indent=1))
    print(f"\n{time.perf_counter() - started:.1f}s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
