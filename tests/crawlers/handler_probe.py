"""Run onionwatch's download handler on a list of requests, in a process of its own (Scrapy's
reactor starts once a process), and print what it answered as JSON: the tests' view of it.

``python -m tests.crawlers.handler_probe JOB`` where JOB is JSON: ``{"settings": {...},
"requests": [{"url": ..., "meta": {...}}, ...]}``; all requests are sent at once. Each answer is
``{"status", "headers": [[name, [values]], ...], "body": hex}`` or ``{"error": "Class: message"}``.
"""
from __future__ import annotations

import asyncio
import json
import sys

# (Scrapy and Twisted are imported in main(): pytest imports this module for its doctests, and
# importing the reactor there would install one in the test process)


def answer(result) -> dict:
    if isinstance(result, Exception):
        return {"error": f"{type(result).__name__}: {result}"}
    return {"status": result.status, "body": result.body.hex(),
            "headers": [[k.decode("latin-1"), [v.decode("latin-1") for v in vs]] for k, vs in result.headers.items()]}


async def run(job: dict) -> list[dict]:
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from crawlers.downloader.socks import SocksDownloadHandler

    crawler = get_crawler(settings_dict=job.get("settings", {}))
    handler = SocksDownloadHandler(crawler)
    requests = [Request(r["url"], meta=r.get("meta", {}), dont_filter=True) for r in job["requests"]]

    async def one(request):
        try:
            return answer(await handler.download_request(request))
        except Exception as exc:  # noqa: BLE001 - reported to the test
            return answer(exc)

    answers = await asyncio.gather(*(one(r) for r in requests))
    await handler.close()
    return answers


def main() -> None:
    from scrapy.utils.reactor import install_reactor

    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from scrapy.utils.defer import deferred_from_coro
    from twisted.internet import reactor

    job = json.loads(sys.argv[1])
    out = {}

    def done(result):
        out["answers"] = result
        reactor.stop()

    def failed(failure):
        out["error"] = failure.getTraceback()
        reactor.stop()

    reactor.callWhenRunning(lambda: deferred_from_coro(run(job)).addCallbacks(done, failed))
    reactor.run()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
