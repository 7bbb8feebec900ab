"""The download handler (crawlers.downloader.socks) against a server that writes exact bytes, directly
on loopback and through a real SOCKS5 server (pproxy, tests/crawlers/socks_server.py):

- a response is what the server sent: the body as it came (gzip not undone), the headers in the
  order sent, the connection headers (Content-Length, Transfer-Encoding, Connection) included and
  none added (the WARC evidence is made from them);
- each circuit (SOCKS credentials) has connections of its own, asked for by name;
- at most CONCURRENT_REQUESTS connections are open at once on a circuit, and they are kept alive;
- DOWNLOAD_MAXSIZE still cuts a download off; requests that would go around the proxy are refused
  before any connection.
"""
from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .socks_server import RecordingSocksServer

ROOT = Path(__file__).resolve().parents[2]
ONION = "pz3eaqaxsyqgpmmxtdrrojwdp3gxjl6ncd4v2cz6zqhrr6tsqavn6wqd.onion"
USERS = ["alpha-market:public", "bravo-market:public"]

BODY = gzip.compress(b"<html><body>evidence</body></html>" * 20, mtime=0)
#: path -> the exact bytes answered; the expected (status, headers, body) as the handler gives them
ANSWERS = {
    "/gzip": (b"HTTP/1.1 200 OK\r\nServer: nginx\r\nX-B: 2\r\nSet-Cookie: a=1\r\nContent-Encoding: gzip\r\n"
              b"X-A: 1\r\nSet-Cookie: b=2\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(BODY) + BODY,
              (200, [["Server", ["nginx"]], ["X-B", ["2"]], ["Set-Cookie", ["a=1", "b=2"]],
                     ["Content-Encoding", ["gzip"]], ["X-A", ["1"]], ["Content-Type", ["text/html"]],
                     ["Content-Length", [str(len(BODY))]]], BODY)),
    "/chunked": (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
                 (200, [["Content-Type", ["text/plain"]], ["Transfer-Encoding", ["chunked"]]], b"hello world")),
    "/empty": (b"HTTP/1.1 204 No Content\r\nX-Z: z\r\n\r\n", (204, [["X-Z", ["z"]]], b"")),
    "/odd": (b"HTTP/1.1 404 Not Found\r\nconnection: keep-alive\r\nkeep-alive: timeout=5\r\n"
             b"x-lower:   spaced value  \r\nContent-Length: 3\r\nX-Dup: 1\r\nX-Other: o\r\nx-dup: 2\r\n\r\nabc",
             (404, [["Connection", ["keep-alive"]], ["Keep-Alive", ["timeout=5"]], ["X-Lower", ["spaced value"]],
                    ["Content-Length", ["3"]], ["X-Dup", ["1", "2"]], ["X-Other", ["o"]]], b"abc")),
    "/big": (b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + b"x" * 5000, None),
}


class ExactServer:
    """An HTTP/1.1 server on 127.0.0.1 answering each path with the bytes of :data:`ANSWERS`, keeping
    connections alive; ``/slow/...`` answers ``/gzip`` after 0.2 s. Counts connections, and the most
    open at once."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.open = self.most = self.connections = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with self.lock:
            self.open += 1
            self.connections += 1
            self.most = max(self.most, self.open)
        buffer = b""
        try:
            while True:
                while b"\r\n\r\n" not in buffer:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, buffer = buffer.split(b"\r\n\r\n", 1)
                path = head.split(b" ")[1].decode()
                if path.startswith("/slow/"):
                    time.sleep(0.2)
                    path = "/gzip"
                conn.sendall(ANSWERS[path][0])
        except OSError:
            return
        finally:
            with self.lock:
                self.open -= 1
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def server():
    exact = ExactServer()
    yield exact
    exact.close()


@pytest.fixture
def proxy(server):
    with RecordingSocksServer({ONION: server.port}, USERS) as socks:
        yield socks


def probe(requests: list[dict], **settings) -> list[dict]:
    """The handler's answers to ``requests`` (sent at once) in a process of its own."""
    job = json.dumps({"settings": settings, "requests": requests})
    done = subprocess.run([sys.executable, "-m", "tests.crawlers.handler_probe", job], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout)
    assert "error" not in out, out.get("error")
    return out["answers"]


def via(proxy, user: str) -> dict:
    return {"proxy": proxy.url.replace("://", f"://{user}@")}


def test_a_response_is_the_bytes_the_server_sent_direct_and_through_the_proxy(server, proxy):
    paths = [p for p, (_, expected) in ANSWERS.items() if expected]
    direct = [{"url": f"http://127.0.0.1:{server.port}{p}"} for p in paths]
    tunnelled = [{"url": f"http://{ONION}{p}", "meta": via(proxy, USERS[0])} for p in paths]
    answers = probe(direct + tunnelled, ONIONWATCH_PROXY=proxy.url)
    for path, answer in zip(paths * 2, answers):
        status, headers, body = ANSWERS[path][1]
        assert "error" not in answer, (path, answer)
        assert (answer["status"], answer["headers"], bytes.fromhex(answer["body"])) == (status, headers, body), path
    assert {c.host for c in proxy.connects} == {ONION}  # the name went to the proxy


def test_each_circuit_has_its_own_connections_and_at_most_the_allowed_number(server, proxy):
    requests = [{"url": f"http://{ONION}/slow/{i}", "meta": via(proxy, USERS[i % 2])} for i in range(16)]
    answers = probe(requests, ONIONWATCH_PROXY=proxy.url, CONCURRENT_REQUESTS=3)
    assert all(a.get("status") == 200 for a in answers), answers
    by_circuit = {user: [c for c in proxy.connects if c.credentials == user] for user in USERS}
    assert all(0 < len(connects) <= 3 for connects in by_circuit.values()), proxy.connects
    assert len(proxy.connects) == server.connections <= 6
    assert server.most <= 6


def test_direct_connections_are_capped_and_kept_alive(server):
    requests = [{"url": f"http://127.0.0.1:{server.port}/slow/{i}"} for i in range(20)]
    answers = probe(requests, CONCURRENT_REQUESTS=4)
    assert [a.get("status") for a in answers] == [200] * 20
    assert server.most <= 4 and server.connections <= 4  # 20 requests, on at most 4 connections


def test_download_maxsize_still_cuts_a_download_off(server, proxy):
    big = {"url": f"http://{ONION}/big"}
    small, large = probe([{**big, "meta": {**via(proxy, USERS[0]), "download_maxsize": 1000}},
                          {**big, "meta": {**via(proxy, USERS[0]), "download_maxsize": 10_000}}],
                         ONIONWATCH_PROXY=proxy.url)
    assert small["error"].startswith("DownloadCancelledError") and "1000" in small["error"]
    assert large["status"] == 200 and len(bytes.fromhex(large["body"])) == 5000


def test_requests_around_the_proxy_are_refused_before_any_connection(server, proxy):
    answers = probe([
        {"url": f"http://{ONION}/gzip"},  # no proxy, not loopback
        {"url": f"http://{ONION}/gzip", "meta": {"proxy": f"http://127.0.0.1:{server.port}"}},  # not SOCKS
        {"url": f"http://{ONION}/gzip", "meta": {"proxy": f"socks5h://{USERS[0]}@127.0.0.1:9"}},  # not ours
        {"url": f"http://127.0.0.1:{server.port}/gzip"},  # loopback, but direct loopback is off
    ], ONIONWATCH_PROXY=proxy.url, ONIONWATCH_DIRECT_LOOPBACK=False)
    assert all(a.get("error", "").startswith("DirectConnectionRefused") for a in answers), answers
    assert server.connections == 0 and proxy.connects == []
