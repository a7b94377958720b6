"""The demo's mail sink: a loopback SMTP server that files every message it is given and relays nothing.

The demo's customers have real-looking addresses, so the demo never points hoteldesk at
a real mail server. During the demo's pass the drive's ``[smtp]`` settings name this
sink instead; each customer letter (C8) lands as an ``.eml`` file a person can open,
PDF attached, and the outbox sees it delivered. Only what the sending side of
:mod:`smtplib` needs is spoken: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
"""

from __future__ import annotations

import socketserver
import threading
from pathlib import Path
from types import TracebackType

from hoteldesk.shared_drive_layout.paths import safe_name

_MAX_MESSAGE = 32 * 1024 * 1024


class _Session(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self.reply("220 hoteldesk-demo ESMTP mail sink (nothing is relayed)")
        rcpt: list[str] = []
        while True:
            line = self.rfile.readline(4096)
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.reply("250-hoteldesk-demo")
                self.reply("250-8BITMIME")
                self.reply(f"250 SIZE {_MAX_MESSAGE}")
            elif verb in (b"HELO", b"RSET", b"NOOP"):
                rcpt = [] if verb == b"RSET" else rcpt
                self.reply("250 OK")
            elif verb == b"MAIL":
                rcpt = []
                self.reply("250 OK")
            elif verb == b"RCPT":
                rcpt.append(line.decode("ascii", "replace").partition(":")[2].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = self.read_data()
                if data is None:
                    return
                self.server.keep(rcpt, data)
                self.reply("250 OK filed")
            elif verb == b"QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def read_data(self) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            line = self.rfile.readline(65536)
            if not line:
                return None
            if line in (b".\r\n", b".\n"):
                return b"".join(chunks)
            if line.startswith(b".."):
                line = line[1:]  # RFC 5321 §4.5.2: dot-stuffing
            size += len(line)
            if size <= _MAX_MESSAGE:
                chunks.append(line)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = False
    block_on_close = True  # server_close() joins every session: no thread outlives the sink
    allow_reuse_address = True

    def __init__(self, folder: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.folder = folder
        self.count = 0
        self.lock = threading.Lock()

    def keep(self, rcpt: list[str], data: bytes) -> None:
        with self.lock:
            self.count += 1
            n = self.count
        self.folder.mkdir(parents=True, exist_ok=True)
        name = safe_name(f"{n:03d}_{rcpt[0] if rcpt else 'unknown'}", limit=80)
        tmp = self.folder / f".{name}.part"
        tmp.write_bytes(data)
        tmp.replace(self.folder / f"{name}.eml")


class MailSink:
    """``with MailSink(folder) as sink:`` — an SMTP server on 127.0.0.1:``sink.port`` until the block ends."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._server is not None, "the sink is not running"
        return int(self._server.server_address[1])

    @property
    def count(self) -> int:
        return self._server.count if self._server is not None else 0

    def __enter__(self) -> MailSink:
        self._server = _Server(self.folder)
        self._thread = threading.Thread(target=self._server.serve_forever, name="demo-mail-sink", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
