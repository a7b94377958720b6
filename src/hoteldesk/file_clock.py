"""The clock that stamps a folder's files: to tell how old a file is, compare with this, not ``time.time()``.

A file's modification time comes from the clock of whoever stamps it: the file server for a share,
the kernel for a local disk. The process's ``time.time()`` may differ — a file server whose clock
is off, or libfaketime moving this process to another date while the kernel stamps files with the
real one (README "Running the suite on another date"). Compared with ``time.time()`` a file written
a second ago could look weeks old (a write-back's temp file swept under its writer, a drop file read
half-written) or still in the future. Business time (which day it is) stays with hoteldesk.clock.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

#: The name of the file made to read the folder's clock (hidden: watchers and readers skip it).
PROBE_PREFIX, PROBE_SUFFIX = ".~hoteldesk-clock-", ".probe"


def file_system_now(folder: Path) -> float:
    """Now on the clock that stamps ``folder``'s files (seconds since the epoch, like ``st_mtime``).

    It is the modification time of a file made there just now and removed at once; a folder that
    cannot be written to gives the machine's ``time.time()``, the best there is.
    """
    try:
        fd, probe = tempfile.mkstemp(prefix=PROBE_PREFIX, suffix=PROBE_SUFFIX, dir=folder)
    except OSError:
        return time.time()
    try:
        return os.fstat(fd).st_mtime
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(probe)
