"""The safety guards on their own (no tor needed): torrc checks and the non-loopback sampler."""
from __future__ import annotations

import socket
import subprocess
import sys
from collections import namedtuple

import pytest

from testnet import ConnectionSampler, LeakDetected, UnsafeTorrc, check_torrc
from testnet.leaks import classify
from testnet.torrc import (
    Authority, Node, authority_torrc, client_torrc, onion_service_torrc, relay_torrc,
)

AUTHS = [Authority(f"auth{i}", 5000 + i, 7000 + i, "A" * 40, "B" * 40) for i in range(3)]


def all_roles() -> dict[str, str]:
    return {
        "authority": authority_torrc(Node("auth0", "/d/a", or_port=5000, dir_port=7000), AUTHS, 1),
        "relay": relay_torrc(Node("relay0", "/d/r", or_port=5005), AUTHS, 1),
        "onion": onion_service_torrc(Node("hs", "/d/h"), AUTHS, 1, service_dir="/d/h/onion", target_port=8080),
        "client": client_torrc(Node("client", "/d/c", socks_port=9999), AUTHS, 1),
    }


@pytest.mark.parametrize("role", ["authority", "relay", "onion", "client"])
def test_every_role_passes_the_guard_and_stays_private(role):
    text = all_roles()[role]
    check_torrc(text)
    lines = text.splitlines()
    assert "TestingTorNetwork 1" in lines and "UseDefaultFallbackDirs 0" in lines
    assert sum(line.startswith("DirAuthority ") for line in lines) == 3
    assert "OutboundBindAddress 127.0.0.1" in lines
    assert any(line.startswith("__OwningControllerProcess ") for line in lines)


def test_client_isolates_by_socks_credentials():
    assert "SocksPort 127.0.0.1:9999 IsolateSOCKSAuth ExtendedErrors" in all_roles()["client"].splitlines()


#: (what is changed in a relay's torrc, the guard's complaint)
UNSAFE = [
    ("TestingTorNetwork 1", "TestingTorNetwork 0", "TestingTorNetwork 1 is missing"),
    ("UseDefaultFallbackDirs 0", "UseDefaultFallbackDirs 1", "UseDefaultFallbackDirs 0 is missing"),
    ("ORPort 127.0.0.1:5005", "ORPort 5005", "ORPort binds 5005"),
    ("ORPort 127.0.0.1:5005", "ORPort 0.0.0.0:5005", "ORPort binds 0.0.0.0:5005"),
    ("ORPort 127.0.0.1:5005", "ORPort [::]:5005", "ORPort binds [::]:5005"),
    ("SocksPort 0", "SocksPort 9050", "SocksPort binds 9050"),
    ("Address 127.0.0.1", "Address 203.0.113.5", "Address is 203.0.113.5"),
    ("ExitPolicy reject *:*", "ExitPolicy accept *:*", "never exits"),
    ("ExitRelay 0", "ExitRelay 1", "ExitRelay must be 0"),
    ("SocksPort 0", "FallbackDir 198.51.100.1:80 orport=9001 id=" + "C" * 40, "FallbackDir is not allowed"),
    ("SocksPort 0", "Socks5Proxy 198.51.100.1:1080", "Socks5Proxy is not allowed"),
]


@pytest.mark.parametrize("old, new, complaint", UNSAFE)
def test_the_guard_refuses_unsafe_torrc(old, new, complaint):
    text = all_roles()["relay"]
    assert old in text
    with pytest.raises(UnsafeTorrc, match=complaint.replace("*", r"\*").replace("[", r"\[")):
        check_torrc(text.replace(old, new))


def test_the_guard_refuses_missing_or_public_authorities():
    text = all_roles()["relay"]
    no_auth = "\n".join(line for line in text.splitlines() if not line.startswith("DirAuthority"))
    with pytest.raises(UnsafeTorrc, match="no DirAuthority"):
        check_torrc(no_auth)
    public = text.replace("127.0.0.1:7000", "128.31.0.39:9131")
    with pytest.raises(UnsafeTorrc, match="DirAuthority at '128.31.0.39:9131'"):
        check_torrc(public)


def test_the_guard_refuses_a_public_onion_target():
    text = all_roles()["onion"].replace("HiddenServicePort 80 127.0.0.1:8080", "HiddenServicePort 80 192.0.2.7:80")
    with pytest.raises(UnsafeTorrc, match="HiddenServicePort binds 192.0.2.7:80"):
        check_torrc(text)


Addr = namedtuple("Addr", "ip port")


@pytest.mark.parametrize("laddr, raddr, status, leak", [
    (Addr("127.0.0.1", 5000), Addr("127.0.0.1", 6000), "ESTABLISHED", None),
    (Addr("127.0.0.1", 5000), None, "LISTEN", None),
    (Addr("::1", 5000), Addr("::1", 6000), "ESTABLISHED", None),
    (Addr("0.0.0.0", 0), None, "NONE", None),
    (Addr("10.1.2.3", 40000), Addr("198.51.100.1", 443), "SYN_SENT", "connection to non-loopback 198.51.100.1"),
    (Addr("10.1.2.3", 40000), None, "NONE", "socket on non-loopback interface 10.1.2.3"),
    (Addr("0.0.0.0", 9050), None, "LISTEN", "listening on every interface"),
    (Addr("127.0.0.1", 5353), Addr("10.0.0.53", 53), "NONE", "connection to non-loopback 10.0.0.53"),
])
def test_classify(laddr, raddr, status, leak):
    assert classify(laddr, raddr, status) == leak


CHILD = """
import socket, sys, time
kind = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
if kind == "leak":
    s.connect(("192.0.2.1", 9))      # UDP connect: no packet is sent, the socket has a remote address
else:
    s.connect(("127.0.0.1", 9))
print("ready", flush=True)
time.sleep(30)
"""


@pytest.mark.parametrize("kind", ["leak", "loopback"])
def test_the_sampler_fails_on_a_non_loopback_socket_of_a_watched_process(kind):
    pytest.importorskip("psutil")
    child = subprocess.Popen([sys.executable, "-c", CHILD, kind], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        sampler = ConnectionSampler(lambda: [child.pid])
        sampler.sample()
        assert sampler.samples == 1 and sampler.sockets_seen == 1
        if kind == "leak":
            with pytest.raises(LeakDetected, match="connection to non-loopback 192.0.2.1"):
                sampler.check()
        else:
            sampler.check()
    finally:
        child.kill()
        child.wait()


def test_the_sampler_ignores_processes_it_does_not_watch():
    pytest.importorskip("psutil")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("192.0.2.1", 9))
        sampler = ConnectionSampler(lambda: [])
        sampler.sample()
        sampler.check()
        assert sampler.sockets_seen == 0
