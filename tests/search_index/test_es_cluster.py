"""A real 3-node Elasticsearch cluster (``onionwatch es start --nodes 3``): one node is killed with
SIGKILL in the middle of a bulk index. Indexing completes through the two nodes left (spooling
where needed), searches keep answering, the node comes back, the cluster recovers, and the index
holds exactly the listings sent: none lost, none duplicated.

The cluster is the test's own (127.0.0.1:9260-9262, transport 9360-9362, a fresh home under
/var/tmp; ONIONWATCH_TEST_CLUSTER_PORT / ONIONWATCH_TEST_CLUSTER_TRANSPORT_PORT move it), never the
shared node, and is always stopped afterwards. It is never skipped: without Java 21+ or the
distribution it fails, saying why.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from onionwatch.app import es as es_node
from onionwatch.app.es.layout import Ports
from onionwatch.core.models import Listing
from search_index.es_store import ElasticsearchStore, make_client

pytestmark = pytest.mark.cluster

NODES = 3
HTTP_PORT = int(os.environ.get("ONIONWATCH_TEST_CLUSTER_PORT", "9260"))
TRANSPORT_PORT = int(os.environ.get("ONIONWATCH_TEST_CLUSTER_TRANSPORT_PORT", "9360"))
HEAP = "384m"


def shared_dist_env() -> dict[str, str]:
    """Reuse an unzipped distribution (ONIONWATCH_ES_DIST, or the checkout's own node's) if there is one."""
    if os.environ.get("ONIONWATCH_ES_DIST"):
        return dict(os.environ)
    shared = es_node.Layout(es_node.default_home(os.geteuid() == 0), es_node.default_cache(), 9200).dist
    return dict(os.environ, ONIONWATCH_ES_DIST=str(shared)) if (shared / ".onionwatch-unzipped").is_file() \
        else dict(os.environ)


class LocalCluster:
    """The test's cluster, driven through the node runner's command line like a user would."""

    def __init__(self) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="owtest-cluster-", dir="/var/tmp"))
        self.home.chmod(0o755)  # the nodes' unprivileged user must reach it
        self.env = shared_dist_env()
        self.ports = Ports.of(HTTP_PORT, NODES, TRANSPORT_PORT)
        self.urls = self.ports.urls()
        self.layouts = {port: es_node.Layout(self.home, es_node.default_cache(), port, self.ports)
                        for port in self.ports.http}

    def run(self, *args: str, timeout: float = 540) -> str:
        cmd = [sys.executable, "-m", "onionwatch.app.es", *args, "--nodes", str(NODES), "--port", str(HTTP_PORT),
               "--transport-port", str(TRANSPORT_PORT), "--home", str(self.home)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=self.env)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    def start(self) -> float:
        """Start the nodes not running (all, or the one that died) and wait for the cluster; seconds taken."""
        t0 = time.monotonic()
        self.run("start", "--heap", HEAP, "--timeout", "480")
        return time.monotonic() - t0

    def pid(self, port: int) -> int | None:
        return es_node.running_pid(self.layouts[port])

    def kill(self, port: int) -> None:
        pid = self.pid(port)
        assert pid, f"node {port} is not running"
        os.kill(pid, signal.SIGKILL)

    def remove(self) -> None:
        try:
            self.run("stop", timeout=180)
        finally:
            shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    made = LocalCluster()
    try:
        made.started_in = made.start()
        yield made
    finally:
        made.remove()
    assert not any(made.pid(port) for port in made.ports.http), "a node outlived the stop"


def listings(numbers):
    for n in numbers:
        yield Listing(f"m{n % 4}", str(n), f"http://m{n % 4}.onion/l/{n}", title=f"Listing {n} fentanyl patch",
                      vendor=f"v{n % 17}", extracted={"drugs": [{"name": "fentanyl", "class": "opioid"}],
                                                      "ships_to": ["WW"],
                                                      "price": {"amount": n, "currency": "USD", "usd": float(n)}})


class Searcher(threading.Thread):
    """Searches the store in a loop, recording when each search answered or how it failed."""

    def __init__(self, store: ElasticsearchStore) -> None:
        super().__init__(daemon=True)
        self.store = store
        self.stop = threading.Event()
        self.outcomes: list[tuple[float, int | None, str | None]] = []

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                total = self.store.search("fentanyl", limit=5).total
                self.outcomes.append((time.monotonic(), total, None))
            except Exception as exc:  # noqa: BLE001 - every failure is recorded and asserted on
                self.outcomes.append((time.monotonic(), None, f"{type(exc).__name__}: {exc}"))
            self.stop.wait(0.2)


def primary_node(client, index: str) -> str:
    shards = client.cat.shards(index=index, format="json", h="prirep,state,node").body
    return next(s["node"] for s in shards if s["prirep"] == "p" and s["state"] == "STARTED")


def test_sigkill_mid_bulk_loses_nothing_duplicates_nothing_and_searches_answer(cluster, tmp_path):
    rng = random.Random(int(os.environ.get("ONIONWATCH_KILL_SEED", "20261202")))
    numbers = list(range(9000))
    rng.shuffle(numbers)
    sent = numbers + rng.sample(numbers, 600)  # some listings arrive twice (a re-crawl): ids are idempotent
    rng.shuffle(sent)
    expected = {f"m{n % 4}/{n}" for n in numbers}
    client = make_client(",".join(cluster.urls), request_timeout=30, max_retries=3)
    store = ElasticsearchStore(client, prefix=f"owtest-cluster-{os.getpid()}", spool_dir=tmp_path / "spool",
                               chunk_size=200, pause_after_failure=0.5)
    store.ensure_indices()
    listings_index = client.indices.get_alias(name=store.alias("listings")).body.popitem()[0]
    assert client.cluster.health(index=listings_index, wait_for_status="green", timeout="120s")["status"] == "green"
    index_settings = client.indices.get_settings(index=listings_index, flat_settings=True)[listings_index]["settings"]
    assert index_settings["index.number_of_replicas"] == "1"  # one replica on a cluster
    assert index_settings["index.unassigned.node_left.delayed_timeout"] == "20s"

    # The victim holds the listings' primary: its copy must be promoted elsewhere mid-bulk.
    victim = int(primary_node(client, listings_index).rsplit("-", 1)[1])
    searcher = Searcher(store)
    searcher.start()
    during, after = sent[:6000], sent[6000:]
    at = rng.randrange(1500, 4500)
    killed_at: list[float] = []

    def kill():
        cluster.kill(victim)
        killed_at.append(time.monotonic())

    killer = threading.Timer(rng.uniform(0.0, 0.05), kill)  # lands in a bulk request or between two

    def stream():
        for i, record in enumerate(listings(during)):
            if i == at:
                killer.start()
            yield record

    try:
        t0 = time.monotonic()
        assert store.add_listings(stream()) == len(during)
        killer.join()
        assert killed_at and cluster.pid(victim) is None, "the node should be dead"
        spooled_by_kill = store.pending()
        # The node stays down: the rest goes in through the two nodes left, and so does the spool.
        assert store.add_listings(listings(after)) == len(after)
        assert store.flush() == 0 and store.rejected == 0
        indexed_while_down = time.monotonic() - t0
        assert client.cluster.health()["number_of_nodes"] == NODES - 1
        assert cluster.pid(victim) is None
        assert store.counts()["listings"] == len(expected)  # every listing, while a node is down
        assert store.count_ids() == expected

        # The node comes back (the runner starts only the missing node) and the cluster recovers.
        back_at = time.monotonic()
        cluster.start()
        health = client.cluster.health(wait_for_status="green", wait_for_nodes=str(NODES), timeout="300s",
                                       wait_for_no_relocating_shards=True, wait_for_no_initializing_shards=True)
        recovered_in = time.monotonic() - back_at
        assert health["status"] == "green" and health["number_of_nodes"] == NODES
        assert health["unassigned_shards"] == 0
    finally:
        searcher.stop.set()
        searcher.join(timeout=60)

    assert store.flush() == 0 and store.pending() == 0 and store.rejected == 0
    assert store.counts()["listings"] == len(expected)  # no duplicates: one document an id
    assert store.count_ids() == expected  # none lost
    assert store.search("fentanyl", limit=1).total == len(expected)
    # Both copies of the listings shard (primary and replica) hold every listing once (once the
    # balancer, which may move copies to the returned node, has settled).
    settled = client.cluster.health(index=listings_index, wait_for_status="green", wait_for_no_relocating_shards=True,
                                    wait_for_no_initializing_shards=True, timeout="300s")
    assert not settled["timed_out"]
    copies = client.cat.shards(index=listings_index, format="json", h="prirep,state,node").body
    assert sorted(c["prirep"] for c in copies) == ["p", "r"] and {c["state"] for c in copies} == {"STARTED"}
    for copy in copies:
        assert client.count(index=listings_index, preference=f"_only_nodes:{copy['node']}")["count"] == len(expected)

    failed = [o for o in searcher.outcomes if o[2] is not None]
    assert not failed, f"{len(failed)} of {len(searcher.outcomes)} searches failed, e.g. {failed[:3]}"
    while_down = [o for o in searcher.outcomes if killed_at[0] <= o[0] <= back_at]
    assert while_down, "no search ran while the node was down"
    store.close()
    print(f"\ncluster: started in {cluster.started_in:.1f}s; killed node {victim} (listings primary) at listing {at}; "
          f"{spooled_by_kill} actions spooled by the kill; all {len(sent)} sent ({len(expected)} distinct) indexed "
          f"in {indexed_while_down:.1f}s with the node down; node back and cluster green in {recovered_in:.1f}s; "
          f"{len(searcher.outcomes)} searches, {len(while_down)} while the node was down, 0 failed")
