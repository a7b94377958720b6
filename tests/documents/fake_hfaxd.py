"""A tiny stand-in for HylaFAX's hfaxd on 127.0.0.1, speaking enough of its FTP-like protocol.

hylafax-server (hfaxd + faxq + modems) cannot run in the test environment: it needs a
spool tree owned by the uucp user, a running faxq and a modem. The real ``sendfax``
client from hylafax-client talks to this server instead. It implements what sendfax
and a status listing use: USER, TZONE, FORM, TYPE, MODE, PORT/EPRT (active data) and
PASV/EPSV (passive data), STOT (store a temp document), JNEW, JPARM, JSUBM, JOBFMT,
LIST sendq|doneq, NOOP, QUIT. Submitted jobs sit in sendq until the test finishes
them (done → doneq ``D``, failed → doneq ``F``).
"""

from __future__ import annotations

import socket
import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class FaxJob:
    id: int
    params: dict[str, str] = field(default_factory=dict)
    state: str = "P"  # P pending, D done, F failed
    status: str = ""
    queue: str = "sendq"

    @property
    def tag(self) -> str:
        return self.params.get("JOBINFO", "")


class FakeHfaxd:
    def __init__(self) -> None:
        self.jobs: dict[int, FaxJob] = {}
        self.documents: dict[str, bytes] = {}
        self.commands: list[str] = []
        self.lock = threading.Lock()
        self._next = 100
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                outer._session(self)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05})

    def __enter__(self) -> FakeHfaxd:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def finish(self, job_id: int, state: str, status: str = "") -> None:
        with self.lock:
            job = self.jobs[job_id]
            job.state, job.status, job.queue = state, status, "doneq"

    def submitted(self) -> list[FaxJob]:
        with self.lock:
            return [j for j in self.jobs.values() if j.params.get("_submitted")]

    # -- one client session -----------------------------------------------------------------

    def _session(self, h: socketserver.StreamRequestHandler) -> None:
        def reply(text: str) -> None:
            h.wfile.write((text + "\r\n").encode())
            h.wfile.flush()

        active: tuple[str, int] | None = None
        passive: socket.socket | None = None
        current: FaxJob | None = None
        jobfmt = "%j"

        def data_conn() -> socket.socket:
            nonlocal active, passive
            if passive is not None:
                passive.settimeout(10)
                conn, _ = passive.accept()
                passive.close()
                passive = None
                return conn
            assert active is not None, "no PORT/EPRT/PASV before a transfer"
            conn = socket.create_connection(active, timeout=10)
            active = None
            return conn

        reply("220 127.0.0.1 server (HylaFAX (tm) Version 7.0.7) ready.")
        while True:
            raw = h.rfile.readline()
            if not raw:
                break
            line = raw.decode("utf-8", "replace").strip()
            with self.lock:
                self.commands.append(line)
            cmd, _, arg = line.partition(" ")
            cmd = cmd.upper()
            if cmd == "USER":
                reply("230 User logged in.")
            elif cmd == "QUIT":
                reply("221 Goodbye.")
                break
            elif cmd in ("EPRT", "PORT"):
                if cmd == "EPRT":
                    parts = arg.split(arg[0])
                    active = (parts[2], int(parts[3]))
                else:
                    nums = arg.split(",")
                    active = (".".join(nums[:4]), int(nums[4]) * 256 + int(nums[5]))
                reply(f"200 {cmd} command successful.")
            elif cmd in ("PASV", "EPSV"):
                passive = socket.socket()
                passive.bind(("127.0.0.1", 0))
                passive.listen(1)
                p = passive.getsockname()[1]
                if cmd == "PASV":
                    reply(f"227 Entering Passive Mode (127,0,0,1,{p // 256},{p % 256}).")
                else:
                    reply(f"229 Entering Extended Passive Mode (|||{p}|)")
            elif cmd == "STOT":
                with self.lock:
                    self._next += 1
                    name = f"/tmp/doc{self._next}.tif"
                reply(f"150 FILE: {name} (Opening new data connection).")
                conn = data_conn()
                chunks = []
                while True:
                    b = conn.recv(65536)
                    if not b:
                        break
                    chunks.append(b)
                conn.close()
                with self.lock:
                    self.documents[name] = b"".join(chunks)
                reply(f"226 Transfer complete (FILE: {name}).")
            elif cmd == "JNEW":
                with self.lock:
                    self._next += 1
                    current = FaxJob(self._next)
                    self.jobs[current.id] = current
                reply(f"200 New job created: jobid: {current.id} groupid: {current.id}.")
            elif cmd == "JPARM":
                key, _, value = arg.partition(" ")
                if current is not None:
                    current.params[key.upper()] = value.strip().strip('"')
                reply("213 OK.")
            elif cmd == "JSUBM":
                assert current is not None
                current.params["_submitted"] = "1"
                reply(f"200 Job {current.id} submitted.")
            elif cmd == "JOBFMT":
                jobfmt = arg.strip().strip('"')
                reply("200 OK.")
            elif cmd == "LIST":
                queue = arg.strip() or "sendq"
                conn = data_conn()
                reply("150 Opening new data connection.")
                with self.lock:
                    rows = [j for j in self.jobs.values() if j.queue == queue and j.params.get("_submitted")]
                    text = "".join(
                        jobfmt.replace("%j", str(j.id))
                        .replace("%J", j.tag)
                        .replace("%a", j.state)
                        .replace("%s", j.status)
                        + "\r\n"
                        for j in rows
                    )
                conn.sendall(text.encode())
                conn.close()
                reply("226 Transfer complete.")
            else:  # TZONE, FORM, TYPE, MODE, NOOP, …
                reply("200 OK.")
        if passive is not None:
            passive.close()
