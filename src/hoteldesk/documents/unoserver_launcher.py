"""``python -m hoteldesk.documents.unoserver_launcher``: unoserver's server, started the way hoteldesk needs.

Run by LibreOffice's Python (:func:`hoteldesk.documents.convert.uno_python`, often the system python3 with
python3-uno), with a PYTHONPATH holding only unoserver and this package: so it imports nothing but the
standard library and unoserver. Compared with ``unoserver``'s own ``main()`` it drops the fixed 5 + 2 s
sleeps of ``UnoServer.start()`` (its XML-RPC thread already retries until LibreOffice listens), exits when
LibreOffice exits so a crash is seen at once, and takes LibreOffice along when it is stopped or hoteldesk
dies (issue 8 §8: no orphaned LibreOffice). Any other unoserver (a changed ``UnoServer``) runs its own
``main()`` unchanged.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import inspect
import os
import pathlib
import signal
import socket
import subprocess
import sys
import threading
import time
from types import FrameType
from typing import Any

#: LibreOffice, once started: waited for when we are told to stop.
CHILDREN: list[subprocess.Popen[bytes]] = []
#: The keyword arguments of the ``UnoServer`` this launcher knows how to drive.
WANTED = {"interface", "port", "uno_interface", "uno_port", "user_installation", "conversion_timeout"}
FLAGS = ("--interface", "--uno-interface", "--port", "--uno-port", "--user-installation", "--executable")


def die_with_parent(parent: int = os.getpid()) -> None:
    """LibreOffice ends when this server ends (Linux's parent-death signal); run in the child before exec."""
    try:
        ctypes.CDLL(None).prctl(1, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux / no prctl: the process group still takes it along
        return
    if os.getppid() != parent:
        os._exit(1)


def end_group(signum: int, frame: FrameType | None) -> None:
    """hoteldesk died (parent-death signal) or stops us: take LibreOffice (our session) along."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.killpg(0, signal.SIGTERM)  # our session: oosplash, soffice.bin
    for child in CHILDREN:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=2)
    os.killpg(0, signal.SIGKILL)


def _arguments() -> argparse.Namespace:
    ap = argparse.ArgumentParser()
    for flag in FLAGS:
        ap.add_argument(flag)
    ap.add_argument("--conversion-timeout", type=int)
    args, _ = ap.parse_known_args()
    return args


def _start_office(executable: str, uri: str, accept: str) -> subprocess.Popen[bytes]:
    cmd = [executable, "--headless", "--invisible", "--nocrashreport", "--nodefault", "--nologo"]
    cmd += ["--nofirststartwizard", "--norestore", "-env:UserInstallation=" + uri, "--accept=" + accept]
    hook = die_with_parent if sys.platform.startswith("linux") else None
    return subprocess.Popen(cmd, preexec_fn=hook)


def _wait_listening(office: subprocess.Popen[bytes], host: str, port: int) -> None:
    """Wait until LibreOffice listens, so ``serve()`` connects at once (or LibreOffice ended)."""
    while office.poll() is None:
        try:
            socket.create_connection((host, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)


def main() -> int:
    from unoserver import server  # LibreOffice's Python has it on PYTHONPATH (convert._unoserver_shim)

    signal.signal(signal.SIGTERM, end_group)
    args = _arguments()
    cls: Any = getattr(server, "UnoServer", None)
    if cls is None or not hasattr(cls, "serve") or not set(inspect.signature(cls).parameters) >= WANTED:
        sys.argv[0] = "unoserver"
        return int(server.main() or 0)
    uri = pathlib.Path(args.user_installation).as_uri()
    srv = cls(
        interface=args.interface,
        port=args.port,
        uno_interface=args.uno_interface,
        uno_port=args.uno_port,
        user_installation=uri,
        conversion_timeout=args.conversion_timeout,
    )
    accept = f"socket,host={args.uno_interface},port={args.uno_port},tcpNoDelay=1;urp;StarOffice.ComponentContext"
    office = _start_office(args.executable, uri, accept)
    srv.libreoffice_process = office
    CHILDREN.append(office)
    _wait_listening(office, args.uno_interface, int(args.uno_port))
    srv.xmlrcp_thread = threading.Thread(target=srv.serve, daemon=True)
    srv.xmlrcp_thread.start()
    return office.wait()


if __name__ == "__main__":
    sys.exit(main())
