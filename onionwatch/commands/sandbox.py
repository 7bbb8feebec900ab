"""``onionwatch sandbox``: simulated marketplaces on loopback."""
from __future__ import annotations

from ._util import Formatter, fail, say


def register(commands, common) -> None:
    sandbox = commands.add_parser("sandbox", help="simulated marketplaces on loopback (the test bed)")
    sub = sandbox.add_subparsers(dest="sandbox_command", metavar="SUBCOMMAND", required=True)
    serve = sub.add_parser(
        "serve", formatter_class=Formatter, help="serve a simulated market on 127.0.0.1 until stopped",
        description="Serve a simulated market generated from a seed, on 127.0.0.1 only.",
        epilog="example:\n  onionwatch sandbox serve --seed 7 --port 8800 --truth truth.jsonl")
    serve.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    serve.add_argument("--port", type=int, default=8800, help="port on 127.0.0.1 (default 8800; 0 = any free)")
    serve.add_argument("--vendors", type=int, default=40, help="vendor accounts (default 40)")
    serve.add_argument("--listings", type=int, default=400, help="listings (default 400)")
    serve.add_argument("--truth", metavar="FILE", help="write the ground truth (JSON Lines) here")
    serve.set_defaults(run=run_serve)


def run_serve(args) -> int:
    from ..sandbox import build_world, serve, write_truth

    world = build_world(args.seed, vendors=args.vendors, listings=args.listings)
    if args.truth:
        written = write_truth(world, args.truth)
        say(f"ground truth: {written} records in {args.truth}")
    try:
        server = serve(world, port=args.port)
    except OSError as exc:
        return fail(f"cannot listen on 127.0.0.1:{args.port} ({exc}); choose another --port")
    print(f"sandbox market serving at {server.url}  (Ctrl-C to stop)", flush=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0
