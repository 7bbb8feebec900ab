"""onionwatch.app.es (the node runner): Java discovery, config, safe stop; a real start/stop when ONIONWATCH_ES_NODE_IT=1."""
from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import tempfile
import urllib.request
import zipfile
from pathlib import Path

import pytest

from onionwatch.app import es as es_node


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fake_jdk(root: Path, name: str, version: str) -> Path:
    home = root / name
    (home / "bin").mkdir(parents=True)
    java = home / "bin" / "java"
    java.write_text("#!/bin/sh\nexit 0\n")
    java.chmod(0o755)
    (home / "release").write_text(f'JAVA_VERSION="{version}"\n')
    return home


@pytest.mark.parametrize("text, major", [("25.0.1", 25), ("21", 21), ("17.0.15", 17), ("1.8.0_392", 8), ("", None), ("x", None)])
def test_parse_java_version(text, major):
    assert es_node.parse_java_version(text) == major


def test_find_java_prefers_newest_21_plus(tmp_path, monkeypatch):
    fake_jdk(tmp_path, "java-17", "17.0.15")
    fake_jdk(tmp_path, "jdk-21", "21.0.5")
    best = fake_jdk(tmp_path, "temurin-25", "25.0.1")
    monkeypatch.setenv("ONIONWATCH_ES_JVM_DIRS", str(tmp_path))
    for var in ("ONIONWATCH_ES_JAVA_HOME", "ES_JAVA_HOME", "JAVA_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    assert es_node.find_java(None) == (best, 25)


def test_find_java_reports_what_it_found(tmp_path, monkeypatch):
    fake_jdk(tmp_path, "java-17", "17.0.15")
    monkeypatch.setenv("ONIONWATCH_ES_JVM_DIRS", str(tmp_path))
    for var in ("ONIONWATCH_ES_JAVA_HOME", "ES_JAVA_HOME", "JAVA_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    with pytest.raises(es_node.NodeError, match="no Java 21") as err:
        es_node.find_java(None)
    assert "java-17 (17)" in err.value.hint


def test_explicit_old_java_is_refused(tmp_path):
    jh = fake_jdk(tmp_path, "java-17", "17.0.15")
    with pytest.raises(es_node.NodeError, match="needs Java 21"):
        es_node.find_java(str(jh))


@pytest.mark.parametrize("heap, ok", [("512m", True), ("1G", True), ("512", False), ("0m", False), ("-Xmx1g", False)])
def test_validate_heap(heap, ok):
    if ok:
        assert es_node.validate_heap(heap) == heap.lower()
    else:
        with pytest.raises(es_node.NodeError):
            es_node.validate_heap(heap)


def test_config_is_loopback_single_node_without_security_or_watermarks(tmp_path):
    dist = tmp_path / "dist"
    (dist / "config").mkdir(parents=True)
    (dist / "config" / "jvm.options").write_text("-XX:+UseG1GC\n")
    layout = es_node.Layout(tmp_path / "home", tmp_path / "cache", 9333)
    es_node.write_config(layout, dist, "256m")
    yml = (layout.config / "elasticsearch.yml").read_text()
    for line in ("discovery.type: single-node", "network.host: 127.0.0.1", "http.port: 9333",
                 "cluster.routing.allocation.disk.threshold_enabled: false",
                 f"path.data: {json.dumps(str(layout.data))}"):
        assert line in yml
    assert "xpack.security.enabled" not in yml  # only when the module ships
    (dist / "modules" / "x-pack-security").mkdir(parents=True)
    assert "xpack.security.enabled: false" in es_node.render_yml(layout, dist)
    assert (layout.config / "jvm.options.d" / "onionwatch.options").read_text().splitlines()[1:] == ["-Xms256m", "-Xmx256m"]
    assert (layout.config / "jvm.options").is_file()


def test_unzip_keeps_exec_bits_and_is_world_readable(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    layout = es_node.Layout(tmp_path / "home", cache, 9333)
    top = f"elasticsearch-{es_node.ES_VERSION}/"
    with zipfile.ZipFile(layout.zip, "w") as zf:
        for name, mode in (("bin/elasticsearch", 0o755), ("config/jvm.options", 0o660), ("lib/x.jar", 0o644)):
            info = zipfile.ZipInfo(top + name)
            info.external_attr = (stat.S_IFREG | mode) << 16
            zf.writestr(info, "x")
    dist = es_node.unzip_dist(layout)
    assert stat.S_IMODE((dist / "bin" / "elasticsearch").stat().st_mode) == 0o755
    assert stat.S_IMODE((dist / "config" / "jvm.options").stat().st_mode) == 0o644
    assert (dist / ".onionwatch-unzipped").is_file()
    assert es_node.unzip_dist(layout) == dist  # once


def test_missing_maven_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.m2 copy to fall back on
    monkeypatch.setenv("ONIONWATCH_ES_MVN", str(tmp_path / "no-mvn"))
    layout = es_node.Layout(tmp_path / "home", tmp_path / "cache", 9333)
    with pytest.raises(es_node.NodeError, match="Maven") as err:
        es_node.fetch_zip(layout)
    assert "apt-get install -y maven" in err.value.hint


def test_status_and_stop_when_not_running(tmp_path, capsys):
    port = free_port()
    home = str(tmp_path / "home")
    assert es_node.main(["status", "--port", str(port), "--home", home]) == 3
    assert es_node.main(["stop", "--port", str(port), "--home", home]) == 0
    assert "not running" in capsys.readouterr().out


def test_stop_never_signals_a_recycled_pid(tmp_path):
    port = free_port()
    layout = es_node.Layout(tmp_path / "home", tmp_path / "cache", port)
    layout.node.mkdir(parents=True)
    layout.pidfile.write_text(str(os.getpid()))  # a live process that is not Elasticsearch
    assert es_node.main(["stop", "--port", str(port), "--home", str(layout.home)]) == 0
    assert not layout.pidfile.exists()


def test_start_refuses_a_busy_port(tmp_path, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert es_node.main(["start", "--port", str(port), "--home", str(tmp_path / "home")]) == 1
    assert "already in use" in capsys.readouterr().err


@pytest.mark.skipif(os.environ.get("ONIONWATCH_ES_NODE_IT") != "1",
                    reason="real node: set ONIONWATCH_ES_NODE_IT=1 (needs mvn or a cached zip, and Java 21+)")
def test_real_node_start_is_idempotent_serves_and_stops():
    home = Path(tempfile.mkdtemp(prefix="es-node-it-", dir="/var/tmp"))
    home.chmod(0o755)  # the node's unprivileged user must reach it
    port = str(free_port())
    run = lambda *a: subprocess.run([sys.executable, "-m", "onionwatch.app.es", *a, "--port", port, "--home", str(home)],  # noqa: E731
                                    capture_output=True, text=True, timeout=300)
    try:
        first = run("start")
        assert first.returncode == 0, first.stdout + first.stderr
        again = run("start")
        assert again.returncode == 0 and "already running" in again.stdout
        assert run("status").returncode == 0
        url = f"http://127.0.0.1:{port}"
        req = urllib.request.Request(f"{url}/t/_doc/1?refresh=true", data=b'{"title": "LSD tabs"}',
                                     headers={"Content-Type": "application/json"}, method="PUT")
        urllib.request.urlopen(req, timeout=30).read()
        with urllib.request.urlopen(f"{url}/t/_count?q=title:lsd", timeout=30) as resp:
            assert json.load(resp)["count"] == 1
    finally:
        stop = run("stop")
        subprocess.run(["rm", "-rf", str(home)], check=False)
    assert stop.returncode == 0, stop.stdout + stop.stderr
    assert run("status").returncode == 3


def test_cluster_config_names_its_peers_and_bootstraps_only_when_asked(tmp_path):
    dist = tmp_path / "dist"
    (dist / "config").mkdir(parents=True)
    (dist / "config" / "users").write_text("")
    ports = es_node.Ports.of(9260, 3, 9360)
    layout = es_node.Layout(tmp_path / "home", tmp_path / "cache", 9261, ports)
    es_node.write_config(layout, dist, "384m", bootstrap=True)
    yml = (layout.config / "elasticsearch.yml").read_text()
    for line in ("cluster.name: onionwatch-cluster-9260", "node.name: onionwatch-es-9261", "http.port: 9261",
                 "transport.port: 9361",
                 'discovery.seed_hosts: ["127.0.0.1:9360", "127.0.0.1:9361", "127.0.0.1:9362"]',
                 'cluster.initial_master_nodes: ["onionwatch-es-9260", "onionwatch-es-9261", "onionwatch-es-9262"]',
                 "cluster.routing.allocation.disk.threshold_enabled: false"):
        assert line in yml
    assert "discovery.type" not in yml
    assert "initial_master_nodes" not in es_node.render_yml(layout, dist)  # a restart joins its cluster
    (layout.config / "users").write_text("analyst:hash\n")  # the node's users survive a restart
    es_node.write_config(layout, dist, "384m", extra={"xpack.security.enabled": "true"})
    assert (layout.config / "users").read_text() == "analyst:hash\n"
    assert "xpack.security.enabled: true" in (layout.config / "elasticsearch.yml").read_text()


def test_cluster_status_and_stop_when_not_running(tmp_path, capsys):
    home = str(tmp_path / "home")
    argv = ["--nodes", "3", "--port", "9460", "--home", home]
    assert es_node.main(["status", *argv]) == 3
    assert es_node.main(["stop", *argv]) == 0
    out = capsys.readouterr().out
    assert "cluster not running" in out and "onionwatch-es-9462" in out and "transport 9562" in out
    assert es_node.main(["start", "--nodes", "0", "--home", home]) == 2
