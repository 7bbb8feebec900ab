"""TLS and authentication: a node secured the way an operator does it, with the distribution's own
tools (``elasticsearch-certutil ca`` and ``cert`` for the certificates, ``elasticsearch-users`` for
a file-realm user, ``xpack.security.enabled`` with ``xpack.security.http.ssl``). The project's store
reaches it through ONIONWATCH_ES_URL=https://..., ONIONWATCH_ES_USERNAME/PASSWORD and
ONIONWATCH_ES_CA_CERTS, indexes and searches; without the right password or CA it is refused.

The node is the test's own (127.0.0.1:9263, transport 9363; ONIONWATCH_TEST_SECURE_PORT and
ONIONWATCH_TEST_SECURE_TRANSPORT_PORT move it), always stopped afterwards, and never skipped.
"""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from elasticsearch import Elasticsearch

from onionwatch.app import es as es_node
from onionwatch.app.es.base import DEFAULT_USER
from onionwatch.app.es.node import configure, launch, stop_started
from onionwatch.app.es.users import resolve_user
from onionwatch.core.config import load_config
from onionwatch.core.models import Listing
from search_index import open_store
from search_index.es_store import ElasticsearchStore, StoreUnavailable, make_client

pytestmark = pytest.mark.cluster

PORT = int(os.environ.get("ONIONWATCH_TEST_SECURE_PORT", "9263"))
TRANSPORT_PORT = int(os.environ.get("ONIONWATCH_TEST_SECURE_TRANSPORT_PORT", "9363"))
USER = "owtest-analyst"


def es_tool(dist: Path, java_home: Path, tool: str, *args: str, conf: Path | None = None) -> None:
    """Run one of the distribution's command-line tools (absolute paths: they resolve relative ones
    against the distribution's home)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ES_JAVA_HOME": str(java_home),
           "LANG": os.environ.get("LANG", "C.UTF-8")}
    if conf:
        env["ES_PATH_CONF"] = str(conf)
    proc = subprocess.run([str(dist / "bin" / tool), *args], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{tool} {args[0]} failed: {proc.stdout}{proc.stderr}"


def make_certificates(dist: Path, java_home: Path, into: Path) -> dict[str, Path]:
    """A CA and a node certificate for 127.0.0.1/localhost, PEM, made by elasticsearch-certutil."""
    into.mkdir(parents=True)
    es_tool(dist, java_home, "elasticsearch-certutil", "ca", "--pem", "--silent", "--out", str(into / "ca.zip"))
    zipfile.ZipFile(into / "ca.zip").extractall(into)
    es_tool(dist, java_home, "elasticsearch-certutil", "cert", "--pem", "--silent", "--ca-cert", str(into / "ca/ca.crt"),
            "--ca-key", str(into / "ca/ca.key"), "--ip", "127.0.0.1", "--dns", "localhost", "--name", "node",
            "--out", str(into / "node.zip"))
    zipfile.ZipFile(into / "node.zip").extractall(into)
    return {"ca": into / "ca/ca.crt", "cert": into / "node/node.crt", "key": into / "node/node.key"}


@pytest.fixture(scope="module")
def secured_node():
    home = Path(tempfile.mkdtemp(prefix="owtest-secure-", dir="/var/tmp"))
    home.chmod(0o755)  # the node's unprivileged user must reach it
    layout = es_node.Layout(home, es_node.default_cache(), PORT)
    shared = os.environ.get("ONIONWATCH_ES_DIST") or \
        str(es_node.Layout(es_node.default_home(os.geteuid() == 0), es_node.default_cache(), 9200).dist)
    if (Path(shared) / ".onionwatch-unzipped").is_file():
        layout.dist = Path(shared)
    launcher = None
    try:
        assert not es_node.process.port_in_use(PORT), f"port {PORT} is busy: set ONIONWATCH_TEST_SECURE_PORT"
        java_home, _major = es_node.find_java(None)
        dist = es_node.ensure_dist(layout)
        user = resolve_user(DEFAULT_USER)
        certs = make_certificates(dist, java_home, home / "certgen")
        password = secrets.token_urlsafe(18)
        extra = {
            "transport.port": str(TRANSPORT_PORT),
            "xpack.security.enabled": "true",
            "xpack.security.http.ssl.enabled": "true",
            "xpack.security.http.ssl.key": "certs/node.key",
            "xpack.security.http.ssl.certificate": "certs/node.crt",
            "xpack.security.http.ssl.certificate_authorities": '["certs/ca.crt"]',
        }
        configure(layout, dist, "384m", java_home, user, extra=extra)
        (layout.config / "certs").mkdir()
        for path in certs.values():
            shutil.copyfile(path, layout.config / "certs" / path.name)
        es_tool(dist, java_home, "elasticsearch-users", "useradd", USER, "-p", password, "-r", "superuser",
                conf=layout.config)
        configure(layout, dist, "384m", java_home, user, extra=extra)  # hands the new files to the node's user
        launcher = launch(layout, dist, java_home, user, "384m")
        url = f"https://127.0.0.1:{PORT}"
        client = Elasticsearch(url, ca_certs=str(certs["ca"]), basic_auth=(USER, password), request_timeout=10)
        deadline = time.monotonic() + 420
        while True:
            rc = launcher.poll()
            assert rc in (None, 0), f"the secured node exited (launcher {rc}):\n{es_node.process.logs_tail(layout)}"
            try:
                if client.cluster.health(wait_for_status="yellow", timeout="1s")["status"] in ("green", "yellow"):
                    break
            except Exception:  # noqa: BLE001 - not up yet
                pass
            assert time.monotonic() < deadline, f"the secured node did not start:\n{es_node.process.logs_tail(layout)}"
            time.sleep(1)
        client.close()
        yield SimpleNamespace(url=url, ca=certs["ca"], user=USER, password=password)
    finally:
        if launcher is not None:
            stop_started(layout, launcher)
        shutil.rmtree(home, ignore_errors=True)


def listings(n: int):
    return (Listing("m1", str(i), f"http://m1.onion/l/{i}", title=f"Listing {i} ketamine", vendor="v1",
                    extracted={"drugs": [{"name": "ketamine", "class": "dissociative"}]}) for i in range(n))


def test_store_over_tls_with_credentials_and_ca_file_indexes_and_searches(secured_node, monkeypatch, tmp_path):
    monkeypatch.setenv("ONIONWATCH_ES_URL", secured_node.url)
    monkeypatch.setenv("ONIONWATCH_ES_USERNAME", secured_node.user)
    monkeypatch.setenv("ONIONWATCH_ES_PASSWORD", secured_node.password)
    monkeypatch.setenv("ONIONWATCH_ES_CA_CERTS", str(secured_node.ca))
    monkeypatch.setenv("ONIONWATCH_ES_PREFIX", f"owtest-secure-{os.getpid()}")
    monkeypatch.delenv("ONIONWATCH_ES_API_KEY", raising=False)
    store = open_store(load_config(tmp_path))
    assert isinstance(store, ElasticsearchStore)
    try:
        assert store.add_listings(listings(120)) == 120
        assert store.flush() == 0 and store.rejected == 0
        result = store.search("ketamine", limit=5)
        assert result.total == 120 and len(result.hits) == 5
        assert store.get_listing("m1", "7")["title"] == "Listing 7 ketamine"
        assert store.counts()["listings"] == 120
        assert secured_node.password not in store.description
    finally:
        store.delete_indices()
        store.close()


@pytest.mark.parametrize("case", ["wrong password", "no credentials", "no CA file", "plain http"])
def test_without_the_right_password_or_ca_the_store_is_refused(secured_node, tmp_path, case):
    url, options = secured_node.url, {"ca_certs": str(secured_node.ca), "username": secured_node.user,
                                      "password": secured_node.password}
    if case == "wrong password":
        options["password"] = "not-" + secured_node.password
    elif case == "no credentials":
        del options["username"], options["password"]
    elif case == "no CA file":
        del options["ca_certs"]  # the node's certificate is signed by a CA the system does not trust
    else:
        url = url.replace("https://", "http://")
        del options["ca_certs"]  # a CA file with an http URL is refused by the client itself
    store = ElasticsearchStore(make_client(url, max_retries=0, **options), prefix=f"owtest-refused-{os.getpid()}",
                               spool_dir=tmp_path / "spool")
    with pytest.raises(StoreUnavailable) as err:
        store.counts()
    expected = {"wrong password": ["401", "ONIONWATCH_ES_PASSWORD"], "no credentials": ["401", "ONIONWATCH_ES_USERNAME"],
                "no CA file": ["CERTIFICATE_VERIFY_FAILED", "ONIONWATCH_ES_CA_CERTS"], "plain http": ["did not answer"]}[case]
    for words in expected:  # what went wrong, and which setting to fix
        assert words in str(err.value)
    assert secured_node.password not in str(err.value)
    assert store.add_listings(listings(3)) == 3 and store.pending() == 3  # refused writes wait on disk, not lost
