"""Where the drive is: the one absolute path every part of hoteldesk uses (issue 8 §8)."""

from __future__ import annotations

import os
from pathlib import Path


def resolve_drive(path: Path | str) -> Path:
    """The drive as an absolute path, resolved once at the boundary (issue 8 §8).

    A relative DRIVE (``hoteldesk run demo-drive``, as the README shows) must mean the same folder
    to every part: joined to another relative path it became demo-drive/demo-drive/… (spool tickets
    no operator watches). ``abspath`` rather than ``resolve``: a mapped share keeps the name staff see.
    """
    return Path(os.path.abspath(os.path.expanduser(os.fspath(path))))
