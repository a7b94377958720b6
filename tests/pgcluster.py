"""A throw-away PostgreSQL cluster for the tests (issue 16): real PostgreSQL, no mock.

``initdb`` + ``pg_ctl start`` in a temp dir, listening on 127.0.0.1 at a free port, its unix socket in the
temp dir, trust authentication; stopped and removed at the end. The binaries come from Debian's
``/usr/lib/postgresql/<version>/bin`` (the ``postgresql`` package `make test` installs), or from the
directory in ``HOTELDESK_PG_BIN``. PostgreSQL refuses to run as root, so when the tests run as root (CI,
containers) the cluster runs as the ``postgres`` user (Debian's package makes it), else as ``nobody``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "hoteldesk"
MISSING = (
    "PostgreSQL is not installed: the journal tests need its server binaries (initdb, pg_ctl). "
    "Run `make debs-test` (installs the Debian package postgresql), or set HOTELDESK_PG_BIN to their directory."
)


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.name) or ["0"])


def find_bin() -> Path:
    """The directory holding initdb and pg_ctl: HOTELDESK_PG_BIN, else Debian's newest, else the PATH."""
    explicit = os.environ.get("HOTELDESK_PG_BIN")
    if explicit:
        return Path(explicit)
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key)
    debian = [d for d in debian if (d / "initdb").exists() and (d / "pg_ctl").exists()]
    if debian:
        return debian[-1]
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    raise RuntimeError(MISSING)


def _run_as() -> str | None:
    """The unprivileged user to run the server as, when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root, and neither the postgres nor the nobody user exists to run PostgreSQL as")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgCluster:
    """A running cluster: ``url(dbname)`` for a database in it, ``create_database`` for a fresh one."""

    bin: Path
    root: Path
    port: int
    user: str | None

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def _cmd(self, *args: str) -> list[str]:
        if self.user is None:
            return list(args)
        return ["runuser", "-u", self.user, "--", *args]

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        # cwd: the server's user must be able to stand in it (root's home is closed to it).
        return subprocess.run(self._cmd(*args), cwd=self.root, capture_output=True, text=True, check=False)

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        done = self._run(
            str(self.bin / "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
            "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, "-d", dbname, "-c", sql,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"psql failed: {done.stderr.strip()}")
        return done.stdout

    def create_database(self, name: str) -> str:
        """Create database ``name`` (dropped first if it exists) and return its URL."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"not a plain database name: {name!r}")
        self.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.psql(f"CREATE DATABASE {name}")
        return self.url(name)

    def log(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")


def _start(bin_dir: Path, root: Path, user: str | None) -> PgCluster:
    init = PgCluster(bin_dir, root, 0, user)
    init.socket_dir.mkdir()
    if user is not None:
        entry = pwd.getpwnam(user)
        for path in (root, init.socket_dir):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    done = init._run(
        str(bin_dir / "initdb"), "-D", str(init.data), "-A", "trust", "-U", SUPERUSER,
        "-E", "UTF8", "--no-locale", "--no-sync",
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
    last = ""
    for _ in range(5):  # the free port may be taken between finding it and binding it: try another
        cluster = PgCluster(bin_dir, root, _free_port(), user)
        options = " ".join(
            [
                "-c listen_addresses=127.0.0.1",
                f"-c port={cluster.port}",
                f"-c unix_socket_directories={cluster.socket_dir}",
                # Throw-away data: no need to survive a power cut, and the machine is shared.
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                "-c max_connections=200 -c shared_buffers=32MB",
            ]
        )
        done = cluster._run(
            str(bin_dir / "pg_ctl"), "-D", str(cluster.data), "-l", str(root / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        if done.returncode == 0:
            return cluster
        last = cluster.log()[-2000:] or done.stderr
        time.sleep(0.2)
    raise RuntimeError(f"pg_ctl could not start PostgreSQL: {last}")


def _watchdog(cluster: PgCluster) -> subprocess.Popen[bytes]:
    """A small shell that stops the cluster and removes its files if this process dies without doing it
    (killed by a time-out): no PostgreSQL is left running behind a test session."""
    stop = " ".join(cluster._cmd(str(cluster.bin / "pg_ctl"), "-D", str(cluster.data), "-m", "immediate", "stop"))
    script = f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf {cluster.root}"
    return subprocess.Popen(["sh", "-c", script], cwd=cluster.root, stdin=subprocess.DEVNULL, start_new_session=True)


@contextlib.contextmanager
def pg_cluster() -> Iterator[PgCluster]:
    """Start a throw-away cluster; stop it and remove its files at the end."""
    bin_dir = find_bin()
    user = _run_as()
    # Not under pytest's tmp dir: that is closed to the server's unprivileged user when we are root.
    root = Path(tempfile.mkdtemp(prefix="hoteldesk-pg-"))
    try:
        cluster = _start(bin_dir, root, user)
        watchdog = _watchdog(cluster)
        try:
            yield cluster
        finally:
            cluster.stop()
            watchdog.kill()
            watchdog.wait()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def use_postgres(drive: Path, url: str, drive_id: str) -> None:
    """Point a drive's journal at PostgreSQL: ``[drive] id`` and ``[journal] url`` in its hoteldesk.toml."""
    toml = drive / "hoteldesk.toml"
    text = toml.read_text(encoding="utf-8")
    if "\n[drive]\n" not in text:
        raise ValueError(f"{toml}: no [drive] table")
    text = text.replace("\n[drive]\n", f'\n[drive]\nid = "{drive_id}"\n', 1)
    toml.write_text(text + f'\n[journal]\nurl = "{url}"\n', encoding="utf-8")
