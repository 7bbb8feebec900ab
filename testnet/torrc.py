"""torrc text for each role of a private Tor network on loopback, and the guard every torrc passes.

Pure functions, no I/O. Every torrc sets ``TestingTorNetwork 1``, names the network's own directory
authorities (``DirAuthority``), sets ``UseDefaultFallbackDirs 0`` and binds every port to 127.0.0.1;
:func:`check_torrc` refuses any text that does not, before a tor process is ever started with it.
Tor itself refuses ``TestingTorNetwork`` without its own ``DirAuthority`` lines: a second guard.

Relays are never exits (``ExitPolicy reject *:*``): the network carries onion-service traffic only,
so no relay resolves a name or opens a connection outside the network.

>>> auth = Authority("auth0", or_port=5000, dir_port=7000, v3ident="A" * 40, fingerprint="B" * 40)
>>> text = relay_torrc(Node("relay0", "/tmp/x", or_port=5001), [auth], owner_pid=1)
>>> check_torrc(text)
>>> check_torrc(text.replace("127.0.0.1:5001", "0.0.0.0:5001"))
Traceback (most recent call last):
...
testnet.torrc.UnsafeTorrc: ORPort binds 0.0.0.0:5001, not 127.0.0.1
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Authority", "Node", "UnsafeTorrc", "LOOPBACK", "VOTING",
    "authority_torrc", "relay_torrc", "onion_service_torrc", "client_torrc", "check_torrc",
]

LOOPBACK = "127.0.0.1"

#: Testing voting schedule (seconds). Vote + distribution delay must stay under half the interval
#: (tor halves the interval while it has no consensus), and each interval must divide a day.
VOTING = {
    "TestingV3AuthInitialVotingInterval": 10,
    "TestingV3AuthInitialVoteDelay": 2,
    "TestingV3AuthInitialDistDelay": 2,
    "V3AuthVotingInterval": 10,
    "V3AuthVoteDelay": 2,
    "V3AuthDistDelay": 2,
}

#: Options whose value is an address that must be loopback (port options: ``ADDR:PORT [flags]``).
_PORT_OPTIONS = ("ORPort", "DirPort", "SocksPort", "ControlPort", "HiddenServicePort")
_ADDRESS_OPTIONS = ("Address", "OutboundBindAddress")


class UnsafeTorrc(ValueError):
    """A torrc that could let tor reach beyond this machine's loopback or the private network."""


@dataclass(frozen=True)
class Authority:
    """What every torrc must know of one directory authority."""

    nickname: str
    or_port: int
    dir_port: int
    v3ident: str
    fingerprint: str

    def line(self) -> str:
        return (f"DirAuthority {self.nickname} orport={self.or_port} no-v2 v3ident={self.v3ident} "
                f"{LOOPBACK}:{self.dir_port} {self.fingerprint}")


@dataclass
class Node:
    """One tor process: its nickname, data directory and (for relays) its ORPort."""

    nickname: str
    data_dir: str
    or_port: int = 0
    dir_port: int = 0
    socks_port: int = 0
    extra: list[str] = field(default_factory=list)


def _common(node: Node, authorities: list[Authority], owner_pid: int) -> list[str]:
    if not authorities:
        raise UnsafeTorrc("a private network needs its own DirAuthority lines")
    return [
        "# written by testnet: a private test network on 127.0.0.1 only",
        "TestingTorNetwork 1",
        "UseDefaultFallbackDirs 0",
        *[a.line() for a in authorities],
        f"DataDirectory {node.data_dir}",
        f"Nickname {node.nickname}",
        "RunAsDaemon 0",
        f"PidFile {node.data_dir}/pid",
        f"ControlSocket {node.data_dir}/control",
        "CookieAuthentication 1",
        f"__OwningControllerProcess {owner_pid}",  # tor exits when the process that started it dies
        f"OutboundBindAddress {LOOPBACK}",  # a connection anywhere but loopback cannot even start
        "ClientUseIPv6 0",
        "AssumeReachable 1",
        "PathsNeededToBuildCircuits 0.67",
        "TestingDirAuthVoteGuard *",
        "TestingDirAuthVoteHSDir *",
        "TestingMinExitFlagThreshold 0",
        "V3AuthNIntervalsValid 2",
        "ShutdownWaitLength 0",
        "SafeLogging 0",
        "LogTimeGranularity 1",
        f"Log notice file {node.data_dir}/notice.log",
        "Log warn stderr",
    ]


def _relay(node: Node) -> list[str]:
    return [
        f"Address {LOOPBACK}",
        "AddressDisableIPv6 1",
        f"ORPort {LOOPBACK}:{node.or_port}",
        "SocksPort 0",
        "ExitRelay 0",
        "ExitPolicy reject *:*",
        "ServerDNSDetectHijacking 0",
        f"ContactInfo {node.nickname}@onionwatch.test",
    ]


def authority_torrc(node: Node, authorities: list[Authority], owner_pid: int) -> str:
    """A directory authority that also relays (its keys sit in ``DataDirectory/keys``)."""
    lines = _common(node, authorities, owner_pid) + _relay(node) + [
        "AuthoritativeDirectory 1",
        "V3AuthoritativeDirectory 1",
        f"DirPort {LOOPBACK}:{node.dir_port}",
        *[f"{key} {value}" for key, value in VOTING.items()],
    ]
    return "\n".join(lines + node.extra) + "\n"


def relay_torrc(node: Node, authorities: list[Authority], owner_pid: int) -> str:
    """A middle relay: guard and HSDir by the authorities' testing votes, never an exit."""
    return "\n".join(_common(node, authorities, owner_pid) + _relay(node) + node.extra) + "\n"


def onion_service_torrc(node: Node, authorities: list[Authority], owner_pid: int, *,
                        service_dir: str, target_port: int, virtual_port: int = 80) -> str:
    """A v3 onion service publishing ``127.0.0.1:target_port`` as port ``virtual_port``."""
    lines = _common(node, authorities, owner_pid) + [
        "SocksPort 0",
        f"HiddenServiceDir {service_dir}",
        f"HiddenServicePort {virtual_port} {LOOPBACK}:{target_port}",
    ]
    return "\n".join(lines + node.extra) + "\n"


def client_torrc(node: Node, authorities: list[Authority], owner_pid: int) -> str:
    """A client whose SOCKS port isolates streams by SOCKS credentials (one circuit per market)."""
    lines = _common(node, authorities, owner_pid) + [
        f"SocksPort {LOOPBACK}:{node.socks_port} IsolateSOCKSAuth ExtendedErrors",
        "SafeSocks 1",  # refuse SOCKS requests that carry an IP address resolved by the application
    ]
    return "\n".join(lines + node.extra) + "\n"


def _option_lines(text: str) -> list[tuple[str, str]]:
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(" ")
        out.append((key.lstrip("+/"), value.strip()))
    return out


def _loopback_host(spec: str) -> str | None:
    """The host of ``ADDR:PORT`` / ``ADDR`` / ``PORT`` (``None`` for a bare port, which tor binds
    to 127.0.0.1 for SOCKS/Control but to every interface for ORPort/DirPort)."""
    if spec.isdigit() or spec in ("0", "auto"):
        return None
    host = spec.rsplit(":", 1)[0] if ":" in spec else spec
    return host.strip("[]")


def check_torrc(text: str) -> None:
    """Raise :class:`UnsafeTorrc` unless ``text`` keeps tor inside a private loopback network."""
    options = _option_lines(text)
    keys = [k for k, _ in options]
    values = {k: v for k, v in options}
    if values.get("TestingTorNetwork") != "1":
        raise UnsafeTorrc("TestingTorNetwork 1 is missing")
    if values.get("UseDefaultFallbackDirs") != "0":
        raise UnsafeTorrc("UseDefaultFallbackDirs 0 is missing")
    if "DirAuthority" not in keys:
        raise UnsafeTorrc("no DirAuthority lines: tor would use the public network's authorities")
    for key in ("AlternateDirAuthority", "FallbackDir", "Bridge", "UseBridges", "ClientTransportPlugin",
                "ServerTransportPlugin", "HTTPSProxy", "Socks5Proxy", "Socks4Proxy", "TCPProxy"):
        if key in keys:
            raise UnsafeTorrc(f"{key} is not allowed in a private test network")
    for key, value in options:
        if key == "DirAuthority":
            addr = next((w for w in value.split() if ":" in w and "=" not in w), "")
            if _loopback_host(addr) != LOOPBACK:
                raise UnsafeTorrc(f"DirAuthority at {addr or value!r}, not {LOOPBACK}")
        elif key in _PORT_OPTIONS:
            words = value.split()
            spec = words[1] if key == "HiddenServicePort" and len(words) > 1 else (words[0] if words else "")
            if spec == "0":
                continue
            host = _loopback_host(spec)
            if host != LOOPBACK:
                raise UnsafeTorrc(f"{key} binds {spec}, not {LOOPBACK}")
        elif key in _ADDRESS_OPTIONS and value != LOOPBACK:
            raise UnsafeTorrc(f"{key} is {value}, not {LOOPBACK}")
        elif key == "ExitPolicy" and value != "reject *:*":
            raise UnsafeTorrc(f"ExitPolicy {value}: relays of the test network are never exits")
        elif key == "ExitRelay" and value != "0":
            raise UnsafeTorrc("ExitRelay must be 0")
