"""LibreOffice must not outlive the hoteldesk that started it (issue 8 §8).

A daemon killed with ``kill -9`` cannot close its converter: unoserver and LibreOffice (33–264 MB
each) ran on, re-parented to init. Two defences:

- **die with the parent**: on Linux each process we start asks the kernel (``prctl(PR_SET_PDEATHSIG)``)
  for a signal when its parent dies; the unoserver launcher does the same for LibreOffice.
- **a pid file**: each converter records the processes it started (pid, start time, name) with its
  owner's pid and start time in a per-user folder. Every start ends the processes of pid files whose
  owner is gone — after checking each is still the very process recorded (same start time and
  name), so a reused pid is never touched — and removes the dead owner's profile folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import getpass
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import psutil

PR_SET_PDEATHSIG = 1


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        fn: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return fn


_PRCTL = _prctl()  # looked up here, in the parent: a preexec_fn must not load libraries


def die_with_parent_hook(sig: int = signal.SIGKILL) -> Callable[[], None] | None:
    """A ``preexec_fn`` that has the child receive ``sig`` when we die (Linux); None elsewhere."""
    prctl = _PRCTL
    if prctl is None:
        return None
    parent = os.getpid()

    def hook() -> None:
        prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        if os.getppid() != parent:  # we died between fork and prctl: the signal would never come
            os._exit(1)

    return hook


def default_pid_dir() -> Path:
    """One folder per user and host: converters of every hoteldesk process of this user are listed there."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getpid())
    return Path(tempfile.gettempdir()) / f"hoteldesk-{user}" / "converters"


def _ident(p: psutil.Process) -> dict[str, Any]:
    return {"pid": p.pid, "started": p.create_time(), "name": p.name()}


def record(path: Path, processes: Iterable[psutil.Process], workdir: Path | None) -> None:
    """Write (atomically) the pid file of one converter: its owner (this process) and what it started."""
    entries = []
    for p in processes:
        with contextlib.suppress(psutil.Error):
            entries.append(_ident(p))
    me = psutil.Process()
    data = {
        "owner": _ident(me),
        "workdir": None if workdir is None else str(workdir),
        "processes": entries,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(data), encoding="utf-8")
    os.replace(part, path)


def _same(entry: dict[str, Any]) -> psutil.Process | None:
    """The recorded process if it still runs as the same program (not a reused pid), else None."""
    try:
        p = psutil.Process(int(entry["pid"]))
        if abs(p.create_time() - float(entry["started"])) > 0.05 or p.name() != entry["name"]:
            return None
        return None if p.status() == psutil.STATUS_ZOMBIE else p
    except (psutil.Error, KeyError, TypeError, ValueError):
        return None


def end_orphans(pid_dir: Path | None = None, grace: float = 3.0) -> int:
    """End the processes of converters whose owner is gone; returns how many were ended."""
    folder = pid_dir or default_pid_dir()
    if not folder.is_dir():
        return 0
    ended = 0
    for path in sorted(folder.glob("converter-*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or _same(data.get("owner") or {}) is not None:
            continue  # its hoteldesk still runs: its converter is not an orphan
        procs = [p for p in (_same(e) for e in data.get("processes") or ()) if p is not None]
        for p in procs:
            with contextlib.suppress(psutil.Error):
                p.terminate()
        _gone, alive = psutil.wait_procs(procs, timeout=grace)
        for p in alive:
            with contextlib.suppress(psutil.Error):
                p.kill()
        psutil.wait_procs(alive, timeout=grace)
        ended += len(procs)
        workdir = data.get("workdir")
        if workdir and Path(workdir).name.startswith("hoteldesk-uno-"):  # a profile it made for itself
            shutil.rmtree(workdir, ignore_errors=True)
        path.unlink(missing_ok=True)
    return ended
