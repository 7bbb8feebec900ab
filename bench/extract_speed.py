"""Speed of the extraction pipeline: documents/s of ``nlp.pipe`` over many listing texts, as a ratio
against spaCy's bare tokenizer over the same texts in the same run, on one and on two processes.

The texts are made here (no real data): listing-shaped pages built from a fixed seed, with labelled
fields, a description, a rate table, a PGP-like block of prose and contacts.

    .venv/bin/python bench/extract_speed.py [--docs 2000] [--seed 1]
"""
from __future__ import annotations

import argparse
import random
import sys
import time

_DRUGS = ["Fentanyl powder", "M30 pressed", "Cocaine", "MDMA crystal", "Xanax bars 2mg", "Ketamine", "LSD 150ug",
          "Heroin #4", "Amnesia Haze", "Oxycodone 30mg", "Tramadol 50 mg x 100", "Speed paste"]
_PLACES = ["Netherlands", "United States", "Germany", "UK", "Canada", "Worldwide", "EU"]
_WORDS = ("stealth vacuum sealed tracked shipping fast reply quality tested lab batch discreet packaging "
          "reship policy orders weekend express priority customer service refund escrow").split()


def make_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for i in range(n):
        desc = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(60, 260)))
        texts.append(
            f"{rng.randint(1, 100)}g {rng.choice(_DRUGS)} - {rng.choice(['A+', 'pure', 'HQ'])}\n"
            f"Vendor\tseller{i % 97}\nPrice\t${rng.randint(10, 900)}.{rng.randint(0, 99):02d}\n"
            f"Ships from\t{rng.choice(_PLACES)}\nShips to\t{rng.choice(_PLACES)}, {rng.choice(_PLACES)}\n"
            f"Escrow\t{rng.choice(['Yes', 'No'])}\nBTC/USD\t{rng.randint(20000, 70000)}\n"
            f"{desc}\nWickr: seller{i % 97}x\nJabber: s{i}@exploit.im\n"
            f"5g ${rng.randint(40, 90)}\n10g ${rng.randint(80, 160)}\n")
    return texts


def rate(fn, texts: list[str]) -> float:
    started = time.perf_counter()
    count = fn(texts)
    return count / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000, help="number of documents")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args(argv)

    from extract import load_pipeline
    nlp = load_pipeline()
    texts = make_texts(args.docs, args.seed)
    chars = sum(map(len, texts))
    print(f"{len(texts)} documents, {chars / len(texts):.0f} characters each on average")

    def bare(ts):
        return sum(1 for _ in nlp.tokenizer.pipe(ts, batch_size=args.batch_size))

    def full(processes):
        def run(ts):
            return sum(1 for _ in nlp.pipe(ts, batch_size=args.batch_size, n_process=processes))
        return run

    bare(texts[:50]), full(1)(texts[:50])  # warm up (lexicon matchers, regex caches)
    base = rate(bare, texts)
    print(f"bare tokenizer (1 process):        {base:10.1f} docs/s   ratio 1.00")
    for processes in (1, 2):
        r = rate(full(processes), texts)
        print(f"full pipeline  ({processes} process{'es' if processes > 1 else ''}):{' ' * (10 - 2 * (processes > 1))}"
              f"{r:10.1f} docs/s   ratio {r / base:.3f} of the bare tokenizer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
