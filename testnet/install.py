"""Install Debian's ``tor`` package without ever letting its system service run.

Debian starts ``tor.service`` on install. Here the start is refused by ``/usr/sbin/policy-rc.d``
(created for the install when missing, exit code 101 = "action forbidden", and removed afterwards)
and ``RUNLEVEL=1``; any daemon of the package that runs anyway (recognised by its system torrc or
service defaults in its command line) is stopped by pid and checked gone.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Callable

from .network import TorNetworkError, find_tor

__all__ = ["install_tor", "system_tor_pids", "stop_system_tor"]

POLICY_RC_D = Path("/usr/sbin/policy-rc.d")
#: What the package's service puts in its command line (``--defaults-torrc`` / ``-f``).
SYSTEM_MARKERS = ("/usr/share/tor/tor-service-defaults-torrc", "/etc/tor/torrc")


def system_tor_pids() -> list[int]:
    """Pids of tor processes that read the system configuration (the package's service)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and os.path.basename(argv[0].decode(errors="replace")) == "tor":
            line = b" ".join(argv).decode(errors="replace")
            if any(marker in line for marker in SYSTEM_MARKERS) or len([a for a in argv if a]) == 1:
                pids.append(int(entry.name))
    return pids


def stop_system_tor(say: Callable[[str], None] = print) -> None:
    """Stop every tor that runs with the system configuration; raise if one survives."""
    pids = system_tor_pids()
    if not pids:
        return
    say(f"stopping the tor system service the package started (pids {pids})")
    if shutil.which("service"):
        subprocess.run(["service", "tor", "stop"], capture_output=True, timeout=60)
    for pid in system_tor_pids():
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 15
    while system_tor_pids() and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in system_tor_pids():
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    if system_tor_pids():
        raise TorNetworkError(f"a system tor is still running (pids {system_tor_pids()}): stop it by hand")


def install_tor(say: Callable[[str], None] = print, timeout: float = 600) -> tuple[str, str]:
    """Make sure ``tor`` and ``tor-gencert`` exist, installing Debian's ``tor`` if needed."""
    try:
        return find_tor()
    except TorNetworkError:
        pass
    if not shutil.which("apt-get"):
        raise TorNetworkError("tor is missing and this is not a Debian system: install tor (with tor-gencert) "
                              "by hand, without enabling its system service")
    if os.geteuid() != 0:
        raise TorNetworkError("tor is missing: run `sudo apt-get install tor` (then `sudo service tor stop`), "
                              "or run this script as root")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive", "RUNLEVEL": "1"}
    created = False
    if not POLICY_RC_D.exists():
        POLICY_RC_D.write_text("#!/bin/sh\n# onionwatch: no service starts while tor installs\nexit 101\n")
        POLICY_RC_D.chmod(0o755)
        created = True
    try:
        say("installing Debian's tor package (its system service is not started)")
        args = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "tor"]
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=timeout)
            done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise TorNetworkError(f"apt-get install tor failed:\n{done.stdout[-1500:]}{done.stderr[-1500:]}")
    finally:
        if created:
            POLICY_RC_D.unlink()
        stop_system_tor(say)
    return find_tor()
