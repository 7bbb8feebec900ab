"""``onionwatch evidence verify|show|export``: check the WARC archive, see and hand over what is behind a fact."""
from __future__ import annotations

import json
from pathlib import Path

from onionwatch.core.config import load_config
from ._util import Formatter, fail, say


def register(commands, common) -> None:
    evidence = commands.add_parser(
        "evidence", parents=[common], formatter_class=Formatter,
        help="verify WARC evidence, show or export the records behind a listing or vendor",
        description="Every page the crawler fetched is kept in WARC files with SHA-256 digests, a digest\n"
                    "log written record by record and a manifest completed when the file closes.",
        epilog="examples:\n  onionwatch evidence verify\n  onionwatch evidence show empire/48213\n"
               "  onionwatch evidence export empire/DrWhite --out drwhite-bundle.zip")
    actions = evidence.add_subparsers(dest="action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", parents=[common], formatter_class=Formatter,
                                help="re-check WARC files against their digests, digest logs and manifests")
    verify.add_argument("paths", nargs="*", metavar="FILE.warc.gz", help="default: every WARC file of the data dir")
    verify.set_defaults(run=run_verify)
    show = actions.add_parser("show", parents=[common], formatter_class=Formatter,
                              help="print the WARC records behind a listing or vendor")
    show.add_argument("key", metavar="[MARKET/]LISTING_ID|HANDLE")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(run=run_show)
    export = actions.add_parser("export", parents=[common], formatter_class=Formatter,
                                help="bundle the records, their digests and a custody summary in a zip")
    export.add_argument("key", metavar="[MARKET/]LISTING_ID|HANDLE")
    export.add_argument("--out", required=True, type=Path, metavar="BUNDLE.zip")
    export.set_defaults(run=run_export)


def _shown(path: Path, data_dir: Path) -> str:
    """A WARC file as the output names it: relative to the data directory when it is inside it, so the
    same case folder verifies to the same lines wherever it is kept."""
    try:
        return path.resolve().relative_to(data_dir.resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def run_verify(args) -> int:
    from onionwatch.evidence import verify_archive

    config = load_config(args.data_dir)
    paths = [Path(p) for p in args.paths] or config.warc_files()
    if not paths:
        return fail(f"no WARC files in {config.warc_dir}: run `onionwatch crawl` first")
    failed = 0
    for path in paths:
        check = verify_archive(path, name=_shown(path, config.data_dir))
        print(check.summary())
        for problem in check.problems:
            print(f"  problem: {problem}")
        failed += not check.ok
    say(f"{len(paths) - failed} of {len(paths)} WARC file(s) verified" + (f", {failed} FAILED" if failed else ""))
    return 1 if failed else 0


def _records(config, key: str) -> list[dict]:
    from onionwatch.evidence.custody import find_records

    return find_records(config.items_dir, key)


def run_show(args) -> int:
    from onionwatch.core.jsonl import JsonLinesError
    from onionwatch.evidence.custody import records_behind
    from onionwatch.core.models import Evidence

    config = load_config(args.data_dir)
    try:
        records = _records(config, args.key)
    except (JsonLinesError, OSError) as exc:
        return fail(f"{exc}: repair or move the damaged records file")
    if not records:
        return fail(f"no crawled listing or vendor {args.key!r} in {config.items_dir}")
    out, failed = [], 0
    for record in records:
        try:
            archived = records_behind(Evidence.from_dict(record["evidence"]), config.data_dir)
        except (OSError, LookupError, ValueError, TypeError) as exc:
            failed += 1
            say(f"onionwatch: error: {record.get('market')} {record.get('url')}: evidence unreadable ({exc})")
            continue
        out.append({"kind": record["kind"], "market": record["market"], "url": record.get("url"),
                    "records": [{"id": r.record_id, "type": r.rec_type, "date": r.date, "file": r.warc_file,
                                 "offset": r.offset, "payload_digest": r.payload_digest,
                                 "block_digest": r.block_digest, "metadata": r.fields} for r in archived]})
    if args.json:
        print(json.dumps(out, indent=2))
        return 1 if failed else 0
    for item in out:
        print(f"{item['kind']} {item['market']} {item['url']}")
        for r in item["records"]:
            print(f"  {r['type']:<9} {r['id']}  {r['date']}  {r['file']}@{r['offset']}")
            print(f"            block {r['block_digest']}  payload {r['payload_digest']}")
            for name, value in r["metadata"].items():
                print(f"            {name}: {value}")
    return 1 if failed else 0


def run_export(args) -> int:
    from onionwatch.core.jsonl import JsonLinesError
    from onionwatch.evidence.custody import export_bundle

    config = load_config(args.data_dir)
    try:
        custody = export_bundle(_records(config, args.key), args.out, subject=args.key, data_dir=config.data_dir)
    except LookupError as exc:
        return fail(f"{exc} in {config.items_dir}")
    except (JsonLinesError, OSError) as exc:
        return fail(str(exc))
    say(f"wrote {args.out}: {len(custody['items'])} record(s), {len(custody['files'])} file(s), custody.json")
    return 0
