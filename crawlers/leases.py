"""Leases on the shared frontier: a worker that dies holding requests gives them back to its peers.

scrapy-redis's scheduler removes a request from the Redis queue when a worker takes it, and its
fingerprint stays in the seen set; a worker killed before fetching it would lose it for good.
:class:`LeasingScheduler` takes requests with a lease instead. In one Redis script, a request
moves from the queue (``<prefix>:requests``) to the worker's held hash (``<prefix>:held:<crawl
id>``); :class:`ReleaseLeases` deletes it from there once the page's records have gone through
the item pipelines (the records file is flushed line by line). A request that comes back to the
scheduler (a retry, a redirect) passes its lease back to the queue in one transaction.

Each worker keeps a key ``<prefix>:alive:<crawl id>`` that expires ``ONIONWATCH_LEASE_TTL``
seconds (default 10) after its last heartbeat (every third of that). A worker whose key has
expired is dead: a live peer moves everything it held back to the queue (one script, checked
against the key inside it, so a slow worker is never robbed while alive) and appends those
requests to ``<prefix>:reclaimed``, the audit trail of pages that may be fetched twice. A worker
started again with the same crawl id first gives back what its earlier life held.
"""
from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

__all__ = ["LeasingScheduler", "ReleaseLeases", "LEASE_META_KEY", "lease_keys"]

LEASE_META_KEY = "onionwatch_lease"

_TAKE = """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
redis.call('HSET', KEYS[2], item[1], item[2])
return item[1]
"""

_GIVE_BACK = """
if ARGV[2] == '1' and redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
local held = redis.call('HGETALL', KEYS[1])
for i = 1, #held, 2 do
  redis.call('ZADD', KEYS[2], held[i + 1], held[i])
  redis.call('RPUSH', KEYS[3], held[i])
end
redis.call('DEL', KEYS[1])
if ARGV[2] == '1' then redis.call('SREM', KEYS[5], ARGV[1]) end
return #held / 2
"""


def lease_keys(prefix: str, worker: str) -> dict[str, str]:
    """The Redis keys of one worker's leases under a frontier's key prefix.

    >>> lease_keys("onionwatch:m:f1", "w1")["held"]
    'onionwatch:m:f1:held:w1'
    """
    return {"held": f"{prefix}:held:{worker}", "alive": f"{prefix}:alive:{worker}",
            "workers": f"{prefix}:workers", "reclaimed": f"{prefix}:reclaimed", "queue": f"{prefix}:requests"}


class LeasingScheduler(Scheduler):
    """scrapy-redis's scheduler, taking requests from the shared queue under a lease."""

    @classmethod
    def from_crawler(cls, crawler):
        instance = super().from_crawler(crawler)
        settings = crawler.settings
        instance.prefix = settings.get("ONIONWATCH_FRONTIER_PREFIX")
        instance.worker = settings.get("ONIONWATCH_CRAWL_ID")
        if not instance.prefix or not instance.worker:
            raise ValueError("a leasing scheduler needs ONIONWATCH_FRONTIER_PREFIX and ONIONWATCH_CRAWL_ID")
        instance.ttl = settings.getfloat("ONIONWATCH_LEASE_TTL", 10.0)
        return instance

    def open(self, spider):
        super().open(spider)
        self.keys = lease_keys(self.prefix, self.worker)
        self._take = self.server.register_script(_TAKE)
        self._give_back = self.server.register_script(_GIVE_BACK)
        self._return(self.worker, only_if_dead=False)  # what an earlier life of this crawl id held
        self.server.sadd(self.keys["workers"], self.worker)
        self._heartbeat = LoopingCall(self.heartbeat)
        self._heartbeat.start(self.ttl / 3, now=True)

    def close(self, reason):
        if self._heartbeat.running:
            self._heartbeat.stop()
        if reason == "finished":  # what is still held failed to download: given up on, as without leases
            self.server.delete(self.keys["held"])
        else:  # stopped early (shutdown, a stop condition): hand the rest on to the peers
            self._return(self.worker, only_if_dead=False)
        self.server.srem(self.keys["workers"], self.worker)
        self.server.delete(self.keys["alive"])
        return super().close(reason)

    def heartbeat(self) -> None:
        """Say this worker is alive, and give back what dead peers held."""
        self.server.set(self.keys["alive"], b"1", px=int(self.ttl * 1000))
        for peer in self.server.smembers(self.keys["workers"]):
            peer = peer.decode()
            if peer != self.worker:
                given = self._return(peer, only_if_dead=True)
                if given > 0:
                    self.spider.logger.warning(f"worker {peer} stopped answering: {given} request(s) it held are queued again")
                    if self.stats:
                        self.stats.inc_value("onionwatch/leases_reclaimed", given)

    def peers_holding(self) -> int:
        """How many requests other workers (alive, or dead and not yet reclaimed) hold."""
        return sum(self.server.hlen(lease_keys(self.prefix, peer.decode())["held"])
                   for peer in self.server.smembers(self.keys["workers"]) if peer.decode() != self.worker)

    def _return(self, worker: str, *, only_if_dead: bool) -> int:
        keys = lease_keys(self.prefix, worker)
        return int(self._give_back(keys=[keys["held"], keys["queue"], keys["reclaimed"], keys["alive"], keys["workers"]],
                                   args=[worker, "1" if only_if_dead else "0"]))

    def enqueue_request(self, request):
        lease = request.meta.pop(LEASE_META_KEY, None)
        if lease is None:
            return super().enqueue_request(request)
        # a held request coming back (retry, redirect): queue the new one and end the old lease together
        queued = self.server.pipeline(transaction=True)
        self.queue.server, server = queued, self.queue.server
        try:
            added = super().enqueue_request(request)
        finally:
            self.queue.server = server
        queued.hdel(self.keys["held"], lease)
        queued.execute()
        return added

    def next_request(self):
        member = self._take(keys=[self.keys["queue"], self.keys["held"]])
        if not member:
            return None
        request = self.queue._decode_request(member)
        request.meta[LEASE_META_KEY] = member
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis", spider=self.spider)
        return request

    def release(self, request: Any) -> None:
        """End a request's lease: its page has been handled (records written, or given up on)."""
        lease = request.meta.pop(LEASE_META_KEY, None)
        if lease is not None:
            self.server.hdel(self.keys["held"], lease)


class ReleaseLeases:
    """Spider middleware (first, next to the engine): end a page's lease once its output is through."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("ONIONWATCH_FRONTIER_PREFIX"):
            raise NotConfigured("not a distributed crawl")
        middleware = cls(crawler)
        crawler.signals.connect(middleware.request_dropped, signal=signals.request_dropped)
        return middleware

    def _release(self, request) -> None:
        scheduler = getattr(self.crawler.engine._slot, "scheduler", None)
        if isinstance(scheduler, LeasingScheduler):
            scheduler.release(request)

    async def process_spider_output_async(self, response, result, spider=None):
        async for item in result:
            yield item
        self._release(response.request)

    def process_spider_output(self, response, result, spider=None):
        yield from result
        self._release(response.request)

    def process_spider_exception(self, response, exception, spider=None):
        self._release(response.request)

    def request_dropped(self, request, spider=None) -> None:
        self._release(request)
