"""``onionwatch train``: train the drug classifier from a labelled file you have (:mod:`extract.classify`)."""
from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

DESCRIPTION = """\
Train the drug classifier (a spaCy textcat) that works beside the drug lexicon: it gives a class
and a confidence for listings that name no drug the lexicon knows ("1/8 ounce of Permafrost").
onionwatch ships no trained model (one trained on real listings would carry their titles and
vendor names); it ships the recipe (extract/classify/textcat.cfg) and this command. Training runs
`spacy train` on two CPU cores in about a minute for a few thousand rows; nothing is downloaded.

Use the model by pointing the pipeline at OUTPUT/model-best:
  ONIONWATCH_DRUG_MODEL=OUTPUT/model-best onionwatch extract pages/
Each result then has "drug_class_model": {"class", "confidence", "adopted"}; its class joins
"drug_classes" only when the lexicon found no drug and the confidence is at least the threshold
(the lexicon's spans and explanations stay as they are)."""


def register(commands, common) -> None:
    from extract.classify.labelled import FORMAT_HELP

    train = commands.add_parser(
        "train", formatter_class=argparse.RawDescriptionHelpFormatter, description=DESCRIPTION,
        help="train the drug classifier from a labelled file (no model ships with onionwatch)",
        epilog=FORMAT_HELP + "\n\nexamples:\n"
               "  onionwatch train labelled.jsonl --output models/drugs\n"
               "  onionwatch train agora-products.csv --output models/drugs --epochs 6\n"
               "  ONIONWATCH_DRUG_MODEL=models/drugs/model-best onionwatch extract listings.jsonl")
    train.add_argument("labelled", metavar="LABELLED_FILE", help="a .jsonl or .csv file of labelled listings")
    train.add_argument("--output", "-o", required=True, metavar="DIR",
                       help="folder to train into; the model to use is DIR/model-best")
    train.add_argument("--epochs", type=int, default=None, help="passes over the data (recipe default: 8)")
    train.add_argument("--dev-share", type=float, default=0.15,
                       help="share of rows kept apart to pick the best epoch on (default 0.15)")
    train.add_argument("--seed", type=int, default=0, help="random seed of the split and of training")
    train.add_argument("--force", action="store_true", help="train into DIR even if it is not empty")
    train.set_defaults(run=run)


def run(args) -> int:
    from extract.classify import LabelledFileError, TrainingError, read_labelled, train_drug_classifier

    output = Path(args.output)
    if output.exists() and any(output.iterdir()) and not args.force:
        print(f"onionwatch: error: {output} is not empty; give another --output or add --force", file=sys.stderr)
        return 2
    if not 0.0 < args.dev_share < 1.0:
        print("onionwatch: error: --dev-share must be between 0 and 1 (e.g. 0.15)", file=sys.stderr)
        return 2
    try:
        data = read_labelled(args.labelled)
        print(f"read {len(data.examples)} labelled rows ({data.skipped} left out: no class to learn); classes: "
              f"{', '.join(data.classes())}", file=sys.stderr, flush=True)
        overrides = {"training.max_epochs": args.epochs} if args.epochs else {}
        with contextlib.redirect_stdout(sys.stderr):  # spaCy's progress table; stdout stays clean
            result = train_drug_classifier(data.examples, output, dev_share=args.dev_share, seed=args.seed,
                                           overrides=overrides)
    except (LabelledFileError, TrainingError) as exc:
        print(f"onionwatch: error: {exc}", file=sys.stderr)
        return 2
    score = result.dev_scores.get("cats_score")
    print(f"trained on {result.train_examples} rows in {result.seconds:.0f}s; macro F1 on the "
          f"{result.dev_examples} rows kept apart: {score if score is not None else 'n/a'}\n"
          f"model: {result.model_dir}\nuse it: ONIONWATCH_DRUG_MODEL={result.model_dir} onionwatch extract ...",
          file=sys.stderr)
    return 0
