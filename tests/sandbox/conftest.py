"""Shared sandbox fixtures: one default-size world, its truth and one server per test session."""
from __future__ import annotations

import http.client
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from onionwatch.sandbox import build_world, serve, write_truth

SEED = 20240611


@pytest.fixture(scope="session")
def world():
    return build_world(SEED)


@pytest.fixture(scope="session")
def truth(world, tmp_path_factory) -> list[dict]:
    path: Path = tmp_path_factory.mktemp("truth") / "truth.jsonl"
    count = write_truth(world, path)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert count == len(records)
    return records


@pytest.fixture(scope="session")
def server(world):
    with serve(world) as running:
        yield running


class Client:
    """A tiny keep-alive HTTP client bound to the sandbox server (stdlib only)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)

    def request(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        self.conn.request(method, path)
        resp = self.conn.getresponse()
        body = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body

    def get_text(self, path: str) -> str:
        status, _, body = self.request(path)
        assert status == 200, (path, status)
        return body.decode("utf-8")

    def close(self) -> None:
        self.conn.close()


@pytest.fixture()
def client(server):
    c = Client(server.url)
    yield c
    c.close()


@pytest.fixture(scope="session")
def truth_listings(truth) -> list[dict]:
    return [r for r in truth if r["type"] == "listing"]


@pytest.fixture(scope="session")
def truth_vendors(truth) -> list[dict]:
    return [r for r in truth if r["type"] == "vendor"]
