"""The sandbox server's own ceiling in pages/s, measured with wrk: what a crawl benchmark is
compared with (a crawl cannot go faster than the server it crawls).

Serves one table-layout market of the given size on loopback in this process, and a baseline in
the same process on the same machine: a stdlib ``ThreadingHTTPServer`` answering every request
with one pre-rendered listing page of the same market (no generation, no routing). wrk fetches
listing, category and vendor pages (a Lua script walks a list of real paths), then the baseline;
the ratio says what page generation costs on top of Python's HTTP serving.

Run from the checkout's root with onionwatch installed (see :mod:`bench`)::

    .venv/bin/python -m bench.sandbox_serve                  # 1,000,000 listings / 100,000 vendors
    .venv/bin/python -m bench.sandbox_serve --listings 20000 --vendors 2000 --duration 5
    .venv/bin/python -m bench.sandbox_serve --record         # also write bench/sandbox_serve.json

Needs ``wrk`` (Debian: ``apt-get install -y wrk``).
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from onionwatch.sandbox import build_world, serve

RESULT = Path(__file__).with_name("sandbox_serve.json")
LUA = """
paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def wrk(url: str, paths: list[str], duration: int, threads: int, connections: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / "paths.lua"
        script.write_text(LUA % listing)
        done = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s",
                               "-s", str(script), url], capture_output=True, text=True, check=True)
    found = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    if errors:
        print(f"  warning: {errors.group(1)} non-2xx answers", file=sys.stderr)
    return float(found.group(1))


def baseline_server(body: bytes) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    class Quiet(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # wrk drops its connections when the run ends

    httpd = Quiet(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=1_000_000)
    parser.add_argument("--vendors", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--record", action="store_true", help=f"write the result to {RESULT.name}")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk not found: apt-get install -y wrk", file=sys.stderr)
        return 2
    started = time.monotonic()
    world = build_world(1, vendors=args.vendors, listings=args.listings)
    market = world.markets[0]
    build_s = time.monotonic() - started
    print(f"built {args.listings} listings / {args.vendors} vendors in {build_s:.1f}s",
          file=sys.stderr)
    rng = random.Random(1)
    live = market.live()
    sample = rng.sample(live, min(5000, len(live)))
    paths = [market.listing_at(i).url_path for i in sample[:4000]]
    paths += [f"/category/{c.slug}?page={rng.randint(1, 20)}" for c in market.categories] * 20
    paths += [market.vendors[rng.randrange(len(market.vendors))].url_path for _ in range(400)]
    rng.shuffle(paths)
    with serve(world) as server:
        wrk(server.url, paths[:200], 2, args.threads, args.connections)  # warm up
        sandbox = wrk(server.url, paths, args.duration, args.threads, args.connections)
    with serve(world) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port)
        conn.request("GET", paths[0])
        body = conn.getresponse().read()
        conn.close()
    httpd = baseline_server(body)
    base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        baseline = wrk(base_url, paths, args.duration, args.threads, args.connections)
    finally:
        httpd.shutdown()
        httpd.server_close()
    result = {"sandbox_pages_per_s": sandbox, "baseline_static_pages_per_s": baseline,
              "ratio": round(sandbox / baseline, 3), "listings": args.listings,
              "vendors": args.vendors, "duration_s": args.duration,
              "wrk": f"-t{args.threads} -c{args.connections}", "world_build_s": round(build_s, 1)}
    print(f"sandbox ceiling: {sandbox:.0f} pages/s; static baseline {baseline:.0f} pages/s; "
          f"ratio {sandbox / baseline:.2f}")
    if args.record:
        RESULT.write_text(json.dumps(result, indent=2) + "\n")
        print(f"recorded in {RESULT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
