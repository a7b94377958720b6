"""Word → PDF through LibreOffice: one persistent converter per host, batch ``soffice`` as fallback.

Starting LibreOffice costs seconds; converting a slip in a running one costs a fraction of that.
So :class:`PdfConverter` keeps one LibreOffice alive behind unoserver (XML-RPC bound to 127.0.0.1,
its own profile directory, free ports), restarts it after ``max_conversions`` documents (LibreOffice
grows over time) and whenever a conversion fails, and falls back to ``soffice --convert-to pdf`` when
the server cannot be had. Every process it starts runs in its own session (process group) and is
ended by that group's id on :meth:`PdfConverter.close`; nothing is left running.

unoserver needs LibreOffice's Python (``import uno``). On Debian that is ``/usr/bin/python3`` with
python3-uno, not our virtualenv, so the server runs under that interpreter with a PYTHONPATH that holds
only the unoserver package (symlinks) and a small launcher that skips unoserver's fixed start-up sleeps;
the client side is plain XML-RPC. A killed hoteldesk leaves no LibreOffice behind: what we start dies
with us where the OS allows, and the next start ends what a pid file says a dead owner left
(:mod:`hoteldesk.documents.converter_pids`). The daemon uses :func:`shared_converter` (one per process, so one per
host); tests and one-off commands use a :class:`PdfConverter` in a ``with`` block.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import http.client
import importlib.metadata
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import psutil

from hoteldesk.documents import converter_pids
from hoteldesk.errors import ConversionError

DEFAULT_MAX_CONVERSIONS = 100


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def soffice_executable() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError("LibreOffice (soffice) not found — install libreoffice-writer (the Makefile does)")


@functools.cache
def uno_python() -> str:
    """An interpreter that can ``import uno``: ours if it can, else the system python3 (python3-uno)."""
    candidates = [sys.executable, "/usr/bin/python3", shutil.which("python3") or ""]
    for exe in dict.fromkeys(c for c in candidates if c):
        try:
            ok = subprocess.run([exe, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if ok:
            return exe
    raise ConversionError("no Python with LibreOffice's uno module — install python3-uno (the Makefile does)")


#: The launcher LibreOffice's Python runs (``-m``): unoserver's server without its fixed sleeps.
LAUNCHER = "hoteldesk.documents.unoserver_launcher"
#: This package, put on that Python's path next to unoserver (it imports only the standard library from it).
PACKAGE = Path(__file__).resolve().parents[1]


def _unoserver_shim(folder: Path) -> Path:
    """A folder holding only the unoserver package, its metadata and hoteldesk (for the launcher), for PYTHONPATH."""
    dist = importlib.metadata.distribution("unoserver")
    pkg = Path(str(dist.locate_file("unoserver")))
    metadata = next((f for f in dist.files or () if f.name == "METADATA"), None)
    if metadata is None:
        raise ConversionError("the unoserver package has no metadata — reinstall it: .venv/bin/pip install unoserver")
    meta = Path(str(dist.locate_file(metadata))).parent
    folder.mkdir(parents=True, exist_ok=True)
    for src in (pkg, meta, PACKAGE):
        link = folder / src.name
        if link.is_symlink() and link.resolve() != src.resolve():  # an older hoteldesk's folder
            link.unlink()
        if not link.exists():
            link.symlink_to(src, target_is_directory=True)
    return folder


def _server_command(port: int, uno_port: int, profile: Path, timeout: float) -> list[str]:
    """The launcher's command line: unoserver on ``port``, LibreOffice on ``uno_port``, both on loopback."""
    return [
        uno_python(),
        "-m",
        LAUNCHER,
        "--interface",
        "127.0.0.1",
        "--uno-interface",
        "127.0.0.1",
        "--port",
        str(port),
        "--uno-port",
        str(uno_port),
        "--user-installation",
        str(profile),
        "--executable",
        soffice_executable(),
        "--conversion-timeout",
        str(max(1, int(timeout))),
        "--quiet",
    ]


def _end_group(proc: subprocess.Popen[bytes], grace: float = 1.5) -> None:
    """End ``proc`` and its descendants: SIGTERM to its process group (it has its own session),
    then SIGKILL after ``grace`` seconds. Zombies left to PID 1 do not count as running."""
    try:
        family = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        family = []
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        for p in family:  # a descendant that left the group is ended by its own id
            with contextlib.suppress(psutil.Error):
                if p.is_running():
                    p.send_signal(sig)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and (proc.poll() is None or any(_running(p) for p in family)):
            time.sleep(0.05)
        if proc.poll() is not None and not any(_running(p) for p in family):
            break
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=grace)


def _running(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def convert_batch_soffice(docxs: Sequence[Path], outdir: Path, *, timeout: float = 180.0) -> list[Path]:
    """Convert ``docxs`` to PDFs in ``outdir`` with one ``soffice --headless --convert-to pdf`` run.

    The fallback (and the benchmark's baseline): a fresh LibreOffice with a throw-away profile.
    Returns the PDF paths, in the order given; raises :class:`ConversionError` if one is missing.
    """
    if not docxs:
        return []
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hoteldesk-soffice-") as profile:
        cmd = [
            soffice_executable(),
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *(str(Path(d).resolve()) for d in docxs),
        ]
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=converter_pids.die_with_parent_hook(),
        )
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"soffice did not convert {len(docxs)} document(s) within {timeout:.0f} s") from exc
        finally:
            _end_group(proc)
    pdfs = [outdir / (Path(d).stem + ".pdf") for d in docxs]
    missing = [p for p in pdfs if not p.is_file()]
    if missing:
        text = output.decode("utf-8", "replace").strip()[-300:]
        raise ConversionError(f"soffice did not produce {', '.join(map(str, missing))}: {text}")
    return pdfs


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host: tuple[str, dict[str, str]] | str) -> http.client.HTTPConnection:
        conn = super().make_connection(host)
        conn.timeout = self._timeout
        return conn


class PdfConverter:
    """One persistent LibreOffice (via unoserver) for many documents; a context manager.

    ``max_conversions``: restart LibreOffice after this many documents. ``timeout``: seconds one
    conversion may take before the server is restarted. ``fallback``: use batch soffice when the
    server fails twice in a row for a document; after two failed start-ups the server is left alone
    for ``retry_server_after`` seconds and documents go straight to batch soffice. The server starts
    on the first :meth:`to_pdf` (or :meth:`start`) and stops on :meth:`close`. Thread-safe: conversions are serialised.
    """

    def __init__(
        self,
        *,
        max_conversions: int = DEFAULT_MAX_CONVERSIONS,
        timeout: float = 120.0,
        start_timeout: float = 90.0,
        fallback: bool = True,
        workdir: Path | None = None,
        retry_server_after: float = 300.0,
        pid_dir: Path | None = None,
    ) -> None:
        self.max_conversions = max(1, max_conversions)
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.fallback = fallback
        self._own_workdir = workdir is None
        self._workdir = workdir
        self._proc: subprocess.Popen[bytes] | None = None
        self._port = 0
        self._count = 0
        self._lock = threading.Lock()
        self.restarts = 0  # how many times the server was (re)started
        self.fallbacks = 0  # documents converted by batch soffice instead
        self.retry_server_after = retry_server_after
        self._failed_starts = 0
        self._server_down_until = 0.0
        # issue 8 §8: what this converter started, for the next start after a kill -9
        self._pid_dir = pid_dir or converter_pids.default_pid_dir()
        self._pid_file = self._pid_dir / f"converter-{os.getpid()}-{id(self):x}.json"

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> PdfConverter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The server's process id (its process group holds LibreOffice), or None when not running."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    @property
    def workdir(self) -> Path:
        """The folder of the server's profile, log and PYTHONPATH shim (created on first use)."""
        return self._dir()

    def _dir(self) -> Path:
        if self._workdir is None:
            self._workdir = Path(tempfile.mkdtemp(prefix="hoteldesk-uno-"))
        self._workdir.mkdir(parents=True, exist_ok=True)
        return self._workdir

    def start(self) -> None:
        """Start LibreOffice behind unoserver and wait until it answers."""
        with self._lock:
            self._start()

    def _start(self) -> None:
        self._stop()
        converter_pids.end_orphans(self._pid_dir)  # what a killed hoteldesk left running
        work = self._dir()
        shim = _unoserver_shim(work / "pythonpath")
        port, uno_port = _free_port(), _free_port()
        while uno_port == port:
            uno_port = _free_port()
        profile = work / f"profile-{self.restarts}"
        env = dict(os.environ)
        env["PYTHONPATH"] = str(shim)
        env.pop("PYTHONHOME", None)
        cmd = _server_command(port, uno_port, profile, self.timeout)
        log = (work / "unoserver.log").open("ab")
        try:
            self._proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=env,
                cwd=work,
                start_new_session=True,
                preexec_fn=converter_pids.die_with_parent_hook(signal.SIGTERM),  # dies with us, ends its group
            )
        finally:
            log.close()
        self._port = port
        self._count = 0
        self.restarts += 1
        self._wait_ready(self._proc, work)

    def _wait_ready(self, proc: subprocess.Popen[bytes], work: Path) -> None:
        """Wait until the server answers; stop it and say where its log is if it exits or stays silent."""
        deadline = time.monotonic() + self.start_timeout
        while True:
            if proc.poll() is not None:
                code = proc.returncode
                self._stop()
                raise ConversionError(f"unoserver exited with code {code} while starting; see {work / 'unoserver.log'}")
            try:
                self._call(5.0, "info")
                self._failed_starts = 0
                self._record()
                return
            except (OSError, xmlrpc.client.Error, http.client.HTTPException):
                pass
            if time.monotonic() > deadline:
                self._stop()
                raise ConversionError(
                    f"LibreOffice (unoserver) did not answer within {self.start_timeout:.0f} s; "
                    f"see {work / 'unoserver.log'}"
                )
            time.sleep(0.2)

    def _call(self, timeout: float, method: str, *args: object) -> object:
        """One XML-RPC call; the connection is closed afterwards (no socket left behind)."""
        with xmlrpc.client.ServerProxy(
            f"http://127.0.0.1:{self._port}", allow_none=True, transport=_TimeoutTransport(timeout)
        ) as proxy:
            return getattr(proxy, method)(*args)

    def _record(self) -> None:
        """The pid file: the server and the LibreOffice it started (they answer now, so they all exist)."""
        if self._proc is None:
            return
        try:
            server = psutil.Process(self._proc.pid)
            family = [server, *server.children(recursive=True)]
        except psutil.Error:
            return
        with contextlib.suppress(OSError):
            converter_pids.record(self._pid_file, family, self._workdir if self._own_workdir else None)

    def _stop(self) -> None:
        if self._proc is not None:
            _end_group(self._proc)
            self._proc = None
        self._pid_file.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop LibreOffice and remove the profile; safe to call twice."""
        with self._lock:
            self._stop()
            if self._own_workdir and self._workdir is not None:
                shutil.rmtree(self._workdir, ignore_errors=True)
                self._workdir = None

    # -- conversion ------------------------------------------------------------------------

    def to_pdf(self, docx: Path, out: Path) -> Path:
        """Convert ``docx`` to ``out`` (PDF), atomically; returns ``out``.

        Restarts the server after ``max_conversions`` documents and after a failure (one retry);
        then falls back to batch soffice. Raises :class:`ConversionError` when nothing works.
        """
        src = Path(docx).resolve()
        if not src.is_file():
            raise ConversionError(f"{src}: document to convert not found")
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        part = out.with_name(f".{out.stem}.{os.getpid()}.{threading.get_ident()}.part.pdf")
        errors: list[str] = []
        with self._lock:
            # A server that failed to start twice in a row is not tried again for a while: each
            # document goes straight to the fallback instead of waiting for start-up time-outs.
            attempts = 0 if time.monotonic() < self._server_down_until else 2
            if not attempts:
                errors.append("the converter failed to start twice recently")
            for _attempt in range(attempts):
                try:
                    if self._proc is None or self._proc.poll() is not None or self._count >= self.max_conversions:
                        self._start()
                    self._count += 1
                    # update_index=False: slips have no table of contents to refresh
                    self._call(
                        self.timeout + 10, "convert", str(src), None, str(part.resolve()), "pdf", None, [], False
                    )
                    if part.is_file() and part.stat().st_size > 0:
                        os.replace(part, out)
                        return out
                    errors.append("the server returned no PDF")
                except ConversionError as exc:  # the server did not start
                    errors.append(str(exc)[:300])
                    self._failed_starts += 1
                    if self._failed_starts >= 2:
                        self._server_down_until = time.monotonic() + self.retry_server_after
                except (OSError, xmlrpc.client.Error, http.client.HTTPException) as exc:
                    errors.append(str(exc)[:300])
                part.unlink(missing_ok=True)
                self._stop()  # C1 must not stall on one bad LibreOffice: start afresh for the retry
        if not self.fallback:
            raise ConversionError(f"{src}: LibreOffice could not convert it to PDF ({'; '.join(errors)})")
        with tempfile.TemporaryDirectory(prefix="hoteldesk-batch-", dir=out.parent) as tmp:
            try:
                (pdf,) = convert_batch_soffice([src], Path(tmp))
            except ConversionError as exc:
                raise ConversionError(
                    f"{src}: PDF conversion failed with the converter ({'; '.join(errors)}) and with soffice ({exc})"
                ) from exc
            os.replace(pdf, out)
        self.fallbacks += 1
        return out


_shared: PdfConverter | None = None
_shared_lock = threading.Lock()


def shared_converter() -> PdfConverter:
    """The process-wide converter: one LibreOffice for the daemon's whole life (one per host), stopped
    at interpreter exit or by :func:`close_shared_converter`. Use it from long-running code (the daemon's
    outbox passes) instead of a new :class:`PdfConverter` per pass, which would start LibreOffice each time."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = PdfConverter()
            atexit.register(close_shared_converter)
        return _shared


def close_shared_converter() -> None:
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None
