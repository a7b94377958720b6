"""PDF → fax TIFF with Ghostscript: G4 (or G3) at 204×196 dpi, 1728 pixels wide, text solid black.

Fax machines print 1728 dots across (ITU-T T.4, fine resolution 204×196 dpi), so every page is
fitted onto a fixed 1728×2292 canvas (A4 height at 196 dpi). The tiffg3/tiffg4 devices are 1-bit;
anti-aliasing is switched off so text is drawn solid black rather than as grey that would be dithered.
Several pages become one multi-page TIFF.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from hoteldesk.errors import ConversionError

FAX_WIDTH = 1728  # dots across a fax line (T.4)
FAX_HEIGHT = 2292  # A4 (297 mm) at 196 dpi
RESOLUTION = "204x196"


def ghostscript() -> str:
    found = shutil.which("gs")
    if not found:
        raise ConversionError("Ghostscript (gs) not found — install ghostscript (the Makefile does)")
    return found


def pdf_to_tiff(pdf: Path, tif: Path, *, g3: bool = False, timeout: float = 120.0) -> Path:
    """Write ``tif``, a multi-page fax TIFF of ``pdf`` (G4; G3 with ``g3=True``); returns ``tif``."""
    pdf, tif = Path(pdf), Path(tif)
    if not pdf.is_file():
        raise ConversionError(f"{pdf}: PDF to turn into a fax image not found")
    tif.parent.mkdir(parents=True, exist_ok=True)
    part = tif.with_name(f".{tif.stem}.{os.getpid()}.part.tif")
    cmd = [
        ghostscript(),
        "-q",
        "-dNOPAUSE",
        "-dBATCH",
        "-dSAFER",
        "-sDEVICE=" + ("tiffg3" if g3 else "tiffg4"),
        "-r" + RESOLUTION,
        f"-g{FAX_WIDTH}x{FAX_HEIGHT}",
        "-dFIXEDMEDIA",
        "-dPDFFitPage",
        "-dTextAlphaBits=1",  # no anti-aliasing: solid black text
        "-dGraphicsAlphaBits=1",
        "-sOutputFile=" + str(part),
        str(pdf),
    ]
    try:
        result = subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        part.unlink(missing_ok=True)
        raise ConversionError(f"{pdf}: Ghostscript took longer than {timeout:.0f} s to make the fax image") from exc
    if result.returncode != 0 or not part.is_file() or part.stat().st_size == 0:
        part.unlink(missing_ok=True)
        detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip()[-300:]
        raise ConversionError(f"{pdf}: Ghostscript could not make a fax image (exit {result.returncode}): {detail}")
    os.replace(part, tif)
    return tif
