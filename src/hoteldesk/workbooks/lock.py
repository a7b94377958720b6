"""Is a workbook open, and the safe way to replace it.

A workbook is written only when it is closed: no Excel owner file (``~$name``,
or the truncated forms Excel uses for long names), no LibreOffice lock file
(``.~lock.name#``), and an exclusive lock can be taken. The new version is
written beside the old one under a hidden temporary name that watchers
ignore, fsynced, checked once more (still closed, same size and mtime), the
old version is archived, and then the new one is swapped in with
``os.replace`` — so at every instant the path holds either the old or the new
workbook, whole.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from hoteldesk.errors import WorkbookChangedError, WorkbookLockedError
from hoteldesk.file_clock import file_system_now

TEMP_PREFIX = ".~hoteldesk-"
_NO_LOCKING = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}
TEMP_SUFFIX = ".tmp"

Hook = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class FileStamp:
    size: int
    mtime_ns: int
    ino: int

    def same_file(self, other: FileStamp) -> bool:
        return self.size == other.size and self.mtime_ns == other.mtime_ns and (not self.ino or self.ino == other.ino)


def stamp(path: Path) -> FileStamp:
    st = path.stat()
    return FileStamp(st.st_size, st.st_mtime_ns, st.st_ino)


def owner_files(path: Path) -> tuple[str, ...]:
    """Names of the files that say ``path`` is open: Excel's ``~$`` forms and LibreOffice's lock."""
    name = path.name
    forms = [f"~${name}", f"~${name[1:]}", f"~${name[2:]}"] if len(name) > 2 else [f"~${name}"]
    forms.append(f".~lock.{name}#")
    return tuple(dict.fromkeys(forms))


def _who(lock: Path) -> str:
    """The user named in an owner file, when it can be read (Excel ~$: length byte + name; LO: CSV)."""
    try:
        raw = lock.read_bytes()[:512]
    except OSError:
        return ""
    if lock.name.startswith(".~lock."):  # "full name,login,host,date,profile;"
        parts = [p.strip() for p in raw.decode("utf-8", "replace").split(",")]
        return next((p for p in parts[:2] if p), "")
    if len(raw) >= 56 and raw[54] and len(raw) >= 56 + 2 * raw[54]:
        return raw[56 : 56 + 2 * raw[54]].decode("utf-16-le", "replace").strip("\x00 ")
    if raw and raw[0] and len(raw) > raw[0]:
        return raw[1 : 1 + raw[0]].decode("mbcs" if sys.platform == "win32" else "latin-1", "replace").strip()
    return ""


def is_open(path: Path) -> str | None:
    """A short description of who holds ``path`` open (``~$Bookings.xlsx, 李娜``), or None."""
    try:
        present = {p.casefold(): p for p in os.listdir(path.parent)}
    except OSError:
        return None
    for form in owner_files(path):
        real = present.get(form.casefold())
        if real is not None:
            who = _who(path.parent / real)
            return f"{real}, {who}" if who else real
    return None


def _lock_fd(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # LibreOffice takes POSIX record locks


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (POSIX) or prove one can be taken (Windows, where a held
    handle would block the replace). Raise :class:`WorkbookLockedError` when another process has it."""
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except PermissionError as exc:
        raise WorkbookLockedError(
            f"{path}: cannot be opened for writing ({exc.strerror}) — open in another program or read-only; "
            "the write is retried after it closes"
        ) from exc
    try:
        try:
            _lock_fd(fd)
        except OSError as exc:
            # A file system without locks (some SMB/NFS mounts) proves nothing either way: go by the other checks.
            if exc.errno not in _NO_LOCKING:
                raise WorkbookLockedError(f"{path}: locked by another program; retried after it closes") from exc
        if sys.platform == "win32":
            os.close(fd)
            fd = -1
        yield
    finally:
        if fd >= 0:
            os.close(fd)  # closing drops flock and lockf locks


def ensure_closed(path: Path) -> None:
    owner = is_open(path)
    if owner is not None:
        raise WorkbookLockedError(f"{path.name} is open ({owner}); the write waits in the journal until it is closed")


def fsync_dir(folder: Path) -> None:
    """Make a rename durable (best effort: Windows and some network shares cannot fsync a folder)."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def cleanup_temps(folder: Path, older_than: timedelta = timedelta(minutes=10)) -> list[Path]:
    """Remove temporary files a killed write-back left behind (only hoteldesk's own names)."""
    removed: list[Path] = []
    try:
        temps = list(folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))
    except OSError:
        return removed
    if not temps:
        return removed
    limit = file_system_now(folder) - older_than.total_seconds()  # a file's age: see hoteldesk.file_clock
    for p in temps:
        with contextlib.suppress(OSError):
            if p.stat().st_mtime <= limit:
                p.unlink()
                removed.append(p)
    return removed


def _archive(path: Path, archive_dir: Path, now: datetime) -> Path:
    """Copy the current version to ``archive_dir/HHMMSS_name`` (temp name first, so a kill leaves no half copy)."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    target = archive_dir / f"{now:%H%M%S}_{path.name}"
    n = 2
    while target.exists():
        target = archive_dir / f"{now:%H%M%S}_{n}_{path.name}"
        n += 1
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=archive_dir)
    try:
        with os.fdopen(fd, "wb") as out, path.open("rb") as src:
            shutil.copyfileobj(src, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(path, tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(archive_dir)
    return target


class Replacement:
    """A new version of ``path`` being written beside it; :meth:`commit` swaps it in.

    Use as a context manager: leaving without a commit deletes the temporary file.
    """

    def __init__(self, path: Path, read_stamp: FileStamp, hook: Hook | None = None) -> None:
        self.path = path
        self.read_stamp = read_stamp
        self.hook = hook
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
        self.temp = Path(name)
        self.file: IO[bytes] = os.fdopen(fd, "w+b")
        self.done = False

    def __enter__(self) -> Replacement:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.file.closed:
            self.file.close()
        if not self.done:
            with contextlib.suppress(OSError):
                self.temp.unlink()

    def _step(self, name: str) -> None:
        if self.hook is not None:
            self.hook(name)

    def check(self) -> None:
        """Still closed and unchanged since it was read; raise otherwise."""
        ensure_closed(self.path)
        try:
            now = stamp(self.path)
        except FileNotFoundError as exc:
            raise WorkbookChangedError(f"{self.path}: moved or deleted while hoteldesk was writing; retried") from exc
        if not self.read_stamp.same_file(now):
            raise WorkbookChangedError(
                f"{self.path.name} was saved by someone else while hoteldesk was writing; nothing was written, "
                "the write is retried on the new version"
            )

    def commit(self, archive_dir: Path | None, now: datetime) -> Path | None:
        """fsync, re-check, archive the old version, ``os.replace``; return the archive copy."""
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.chmod(self.temp, stat.S_IMODE(self.path.stat().st_mode))
        self._step("temp_written")
        with exclusive(self.path):
            self.check()
            self._step("checked")
            archived = _archive(self.path, archive_dir, now) if archive_dir is not None else None
            self._step("archived")
            self.check()
            os.replace(self.temp, self.path)
            self.done = True
        fsync_dir(self.path.parent)
        self._step("replaced")
        return archived
