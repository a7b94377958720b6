"""TLS for imaplib2 done right: verified certificates, checked host names, a connect timeout.

imaplib2 3.6's own ``ssl_wrap_socket`` builds ``SSLContext(PROTOCOL_SSLv23)`` with ``check_hostname``
off and verifies nothing without ``ca_certs`` (fault 1 in :mod:`.imap`). :class:`Verified` replaces it.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
from collections.abc import Callable
from typing import Any

import imaplib2


def hostname_error(cert: Any, host: str) -> str | None:
    """None when ``cert`` (``getpeercert()``) names ``host`` (DNS with a left-most ``*``, or IP); else why not."""
    if not cert:
        return f"{host}: the server sent no verified certificate"
    sans = cert.get("subjectAltName", ()) if isinstance(cert, dict) else ()
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        ip = None
    names: list[str] = []
    for kind, value in sans:
        if kind == "IP Address" and ip is not None:
            try:
                if ipaddress.ip_address(str(value).strip()) == ip:
                    return None
            except ValueError:
                continue
        elif kind == "DNS":
            names.append(str(value).lower())
    if not sans:  # old certificates: the subject's commonName
        for rdn in cert.get("subject", ()):
            names += [str(v).lower() for k, v in rdn if k == "commonName"]
    if ip is None:
        want = host.lower().rstrip(".")
        for name in names:
            if name == want:
                return None
            if name.startswith("*.") and "." in want and want.split(".", 1)[1] == name[2:] and not want.startswith("."):
                return None
    return f"certificate is for {', '.join(names) or 'another host'}, not {host}"


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=ca_file or None)
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


class Verified:
    """Mix-in replacing imaplib2's ssl_wrap_socket (fault 1) and adding a connect timeout."""

    host: str
    port: int
    sock: Any
    read_fd: int
    ca_certs: str | None
    cert_verify_cb: Callable[[Any, str], str | None] | None
    connect_timeout: float = 30.0

    def _mesg(self, s: str, tn: str | None = None, secs: float | None = None) -> None:
        """imaplib2 writes its diagnostics to stderr; the library never prints, so they go to logging."""
        logging.getLogger("hoteldesk.imap").debug("%s %s", tn or "", s)

    def open_socket(self) -> socket.socket:
        return socket.create_connection((self.host, self.port), timeout=self.connect_timeout)

    def ssl_wrap_socket(self) -> None:
        self.sock.settimeout(self.connect_timeout)
        self.sock = tls_context(self.ca_certs).wrap_socket(self.sock, server_hostname=self.host)
        self.sock.settimeout(None)  # imaplib2's reader polls; a blocking socket after the handshake
        self.read_fd = self.sock.fileno()
        if self.cert_verify_cb is not None:
            problem = self.cert_verify_cb(self.sock.getpeercert(), self.host)
            if problem:
                raise ssl.SSLCertVerificationError(problem)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)


class IMAPS(Verified, imaplib2.IMAP4_SSL):  # type: ignore[misc]
    pass


class IMAP(Verified, imaplib2.IMAP4):  # type: ignore[misc]
    ca_certs: str | None = None
    cert_verify_cb: Callable[[Any, str], str | None] | None = None

    def open(self, host: str | None = None, port: int | None = None) -> None:
        self.host = host or ""
        self.port = port or 143
        self.sock = self.open_socket()
        self.sock.settimeout(None)
        self.read_fd = self.sock.fileno()
