"""Kill the Elasticsearch node (SIGKILL) at random points while indexing, more than once: the final
count and ids equal the input. A throw-away node on its own port and data, never the shared one."""
from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from onionwatch.core.models import Listing
from search_index.es_store import ElasticsearchStore

from onionwatch.app import es as es_node


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowAwayNode:
    def __init__(self) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="owtest-kill-", dir="/var/tmp"))
        self.home.chmod(0o755)  # the node's unprivileged user must reach it
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.layout = es_node.Layout(self.home, es_node.default_cache(), self.port)
        shared = es_node.Layout(es_node.default_home(os.geteuid() == 0), es_node.default_cache(), 9200).dist
        self.env = dict(os.environ, ONIONWATCH_ES_DIST=str(shared)) if (shared / ".onionwatch-unzipped").is_file() \
            else dict(os.environ)

    def run(self, *args: str) -> None:
        proc = subprocess.run([sys.executable, "-m", "onionwatch.app.es", *args, "--port", str(self.port), "--home", str(self.home)],
                              capture_output=True, text=True, timeout=400, env=self.env)
        assert proc.returncode == 0, proc.stdout + proc.stderr

    def start(self) -> None:
        self.run("start", "--heap", "256m")

    def kill(self) -> None:
        pid = es_node.running_pid(self.layout)
        assert pid, "the node is not running"
        os.kill(pid, signal.SIGKILL)

    def remove(self) -> None:
        subprocess.run([sys.executable, "-m", "onionwatch.app.es", "stop", "--port", str(self.port), "--home", str(self.home)],
                       capture_output=True, timeout=120, env=self.env)
        shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture(scope="module")
def node(es_url):  # es_url: only run where the real node can run
    node = ThrowAwayNode()
    try:
        node.start()
        yield node
    finally:
        node.remove()


def listings(numbers):
    for n in numbers:
        yield Listing(f"m{n % 4}", str(n), f"http://m/{n}", title=f"Listing {n} fentanyl", vendor=f"v{n % 17}",
                      extracted={"drugs": [{"name": "fentanyl", "class": "opioid"}], "ships_to": ["WW"],
                                 "price": {"amount": n, "currency": "USD", "usd": float(n)}})


def test_killing_the_node_mid_index_loses_nothing(node, tmp_path):
    rng = random.Random(int(os.environ.get("ONIONWATCH_KILL_SEED", "20260101")))
    numbers = list(range(6000))
    rng.shuffle(numbers)
    sent = numbers + rng.sample(numbers, 400)  # some listings arrive twice (a re-crawl): ids are idempotent
    expected = {f"m{n % 4}/{n}" for n in numbers}
    client = Elasticsearch(node.url, request_timeout=10, max_retries=1, retry_on_timeout=True)
    store = ElasticsearchStore(client, prefix="owtest-kill", spool_dir=tmp_path / "spool", chunk_size=150,
                               pause_after_failure=0.3)
    phases = [sent[:2500], sent[2500:5000], sent[5000:]]
    kills = 0
    for phase, batch in enumerate(phases):
        if phase < 2:  # kill twice, each time at a random point of the phase's stream
            at = rng.randrange(200, len(batch) - 800)
            killer = threading.Timer(rng.uniform(0.0, 0.05), node.kill)  # lands in a bulk request or between two

            def stream(batch=batch, at=at, killer=killer):
                for i, record in enumerate(listings(batch)):
                    if i == at:
                        killer.start()
                    yield record

            assert store.add_listings(stream()) == len(batch)
            killer.join()
            kills += 1
            assert store.pending() > 0, "the kill should have left writes in the spool"
            node.start()  # same data directory: what the node acknowledged survives
        else:
            assert store.add_listings(listings(batch)) == len(batch)
    assert kills == 2
    assert store.flush() == 0 and store.rejected == 0
    assert store.counts()["listings"] == len(expected)
    assert store.count_ids() == expected
    store.close()
