"""Reading a faxed-back slip (issue 17 §3): the QR, the ticked box and the 确认号, each with a confidence.

The QR symbol is the frame of reference: zxing-cpp finds it at any rotation (an upside-down page too)
and gives its four corners, and the reply panel of ``documents/qr.py`` is drawn at fixed millimetres
from them, so one perspective warp maps the panel of a skewed, scaled or stretched page (standard
fax resolution is 204×98 dpi: pixels twice as tall as wide) onto a clean canonical crop. In that crop
each tick box is measured by its ink density (interior only, the printed border excluded) and the
number line is read by :mod:`~hoteldesk.inbox_watchers.faxnumber` (Tesseract, held to the hotel's
number shape), whose character confidences say how sure the reading is; a hand is recognised apart.
Nothing here decides anything: :mod:`hoteldesk.inbox_watchers.faxreply` does.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from PIL import Image, ImageSequence

from hoteldesk.documents import qr as Q
from hoteldesk.inbox_watchers.faxnumber import NumberRead, joined, read_number

#: the hotel's earlier 确认号 for a slip (its order's hotel), to read the number line in that hotel's shape
EarlierNumbers = Callable[[Q.SlipCode], Sequence[str]]

CANON = 8  # px per mm of the canonical panel crop
TICKED = 0.07  # share of dark pixels inside a box above which it is ticked
BLANK = 0.025  # below which it is empty; in between nobody can be sure (a smudge, a faint tick)
INSET_MM = 1.1  # the printed border and a little play for a skewed warp stay out of the measurement
INK_MIN = 0.004  # a number area with less ink than this holds no number


@dataclass(frozen=True, slots=True)
class PageReading:
    """What one page says, before any decision."""

    index: int  # page number in the file, from 0
    qr_text: str = ""  # the QR's text as decoded ('' when none was found)
    code: Q.SlipCode | None = None  # our slip code, when the text is ours and its check value holds
    code_problem: str = ""  # why the QR text was not accepted
    densities: tuple[float, ...] = ()  # ink density per tick box, left to right
    ticked: tuple[int, ...] = ()  # indexes of the boxes ticked
    unsure: tuple[int, ...] = ()  # indexes of boxes neither clearly empty nor clearly ticked
    number: str = ""  # the 确认号/取消号 as read ('' when the line is empty or unreadable)
    number_conf: float = 0.0  # the lowest character confidence (0-100) on the number line (faxnumber)
    number_lead: float = 0.0  # the least lead of a chosen character over its best rival (faxnumber.NumberRead)
    number_ink: float = 0.0  # share of dark pixels on the number line
    handwritten: bool = False  # the number's characters vary in height and baseline as a hand's do
    blank: bool = False  # a page with (almost) no ink: a cover sheet's back, a blank page
    text: str = ""  # full-page OCR, only for a page without our QR
    panel_png: bytes = b""  # the canonical reply panel (for the clerk)
    number_png: bytes = b""  # the number line's crop
    page_png: bytes = b""  # the whole page, reduced
    evidence: tuple[str, ...] = field(default_factory=tuple)

    @property
    def answer(self) -> str:
        """The ticked reply kind when exactly one box is ticked and none is in doubt; '' otherwise."""
        if self.code is None or len(self.ticked) != 1 or self.unsure:
            return ""
        return Q.BOXES[self.code.kind][self.ticked[0]]


def load_pages(data: bytes, name: str = "") -> list[np.ndarray]:
    """The pages of a TIFF (multi-page, G3/G4, standard or fine), PNG/JPEG or PDF as grey images.

    A page scanned at unequal resolutions (204×98 dpi) is stretched to square pixels first.
    """
    if data[:5] == b"%PDF-" or name.lower().endswith(".pdf"):
        return _pdf_pages(data)
    pages: list[np.ndarray] = []
    with Image.open(io.BytesIO(data)) as img:
        for frame in ImageSequence.Iterator(img):
            grey = frame.convert("L")
            dpi = frame.info.get("dpi") or (0, 0)
            xd, yd = float(dpi[0] or 0), float(dpi[1] or 0)
            if xd > 0 and yd > 0 and abs(xd / yd - 1) > 0.2:
                grey = grey.resize((grey.width, round(grey.height * xd / yd)), Image.Resampling.BILINEAR)
            pages.append(np.asarray(grey))
    return pages


def _pdf_pages(data: bytes) -> list[np.ndarray]:
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise OSError("pdftoppm not found — install poppler-utils (the Makefile does)")
    with tempfile.TemporaryDirectory(prefix="hoteldesk-fax-") as tmp:
        src = Path(tmp) / "fax.pdf"
        src.write_bytes(data)
        out = subprocess.run(
            [tool, "-r", "200", "-gray", "-png", str(src), str(Path(tmp) / "p")], capture_output=True, timeout=120
        )
        if out.returncode != 0:
            raise ValueError(f"PDF cannot be read ({out.stderr.decode('utf-8', 'replace')[:120]})")
        pages = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.rpartition("-")[2]))
        return [np.asarray(Image.open(p).convert("L")) for p in pages]


def _attempts(page: np.ndarray) -> Iterator[tuple[np.ndarray, float]]:
    """The page as is, then cleaned ways a fax's damage undoes: speckle filtered, modules thinned, modules
    thickened (a rotated, thresholded symbol has ragged edges and pinholes), and halved (averaging out both).
    Each comes with the factor back to page pixels; later ones are made only when earlier ones failed."""
    yield page, 1.0
    yield cv2.medianBlur(page, 3), 1.0
    yield cv2.dilate(page, np.ones((2, 2), np.uint8)), 1.0
    yield cv2.erode(page, np.ones((3, 3), np.uint8)), 1.0
    yield cv2.resize(page, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), 2.0


def find_code(page: np.ndarray) -> tuple[str, np.ndarray | None]:
    """(QR text, its 4 corners TL, TR, BR, BL in page pixels) — tried as is, then cleaned (:func:`_attempts`)."""
    fmt = zxingcpp.BarcodeFormats([zxingcpp.BarcodeFormat.QRCode])
    other = ""
    for img, back in _attempts(page):
        found_any = zxingcpp.read_barcodes(img, formats=fmt, try_rotate=True, try_downscale=True)
        for found in found_any:
            if found.valid and found.text.startswith(Q.MAGIC):
                p = found.position
                corners = [p.top_left, p.top_right, p.bottom_right, p.bottom_left]
                return found.text, np.array([[c.x, c.y] for c in corners], dtype=np.float32) * back
        other = other or next((f.text for f in found_any if f.valid), "")
    return other, None  # someone else's QR (or none): no frame of reference for our panel


def _finder() -> np.ndarray:
    """A QR finder pattern (7×7 modules: dark ring, light ring, dark 3×3) at the canonical scale, ±1 values."""
    mod = Q.MODULE_MM * CANON
    n = round(7 * mod)
    t = np.full((n, n), -1.0, np.float32)
    for lo, hi, v in ((0, 7, 1.0), (1, 6, -1.0), (2, 5, 1.0)):
        a, b = round(lo * mod), round(hi * mod)
        t[a:b, a:b] = v
    return t


def _homography(corners: np.ndarray) -> np.ndarray:
    side = Q.SIDE_MM
    q = Q.QUIET_MODULES * Q.MODULE_MM
    src = np.array([[q, q], [q + side, q], [q + side, q + side], [q, q + side]], dtype=np.float64) * CANON
    # affine, not perspective: a fax is rotated, scaled and stretched but never seen at an angle, and a
    # 4-point perspective fit turns a pixel of corner error into millimetres 60 mm further right
    coef, *_ = np.linalg.lstsq(np.hstack([src, np.ones((4, 1))]), corners.astype(np.float64), rcond=None)
    return np.vstack([coef.T, [0.0, 0.0, 1.0]])


def _warp(page: np.ndarray, h: np.ndarray) -> np.ndarray:
    size = (round(Q.PANEL_W_MM * CANON), round(Q.PANEL_H_MM * CANON))
    flags = cv2.INTER_AREA | cv2.WARP_INVERSE_MAP
    return cv2.warpPerspective(page, h, size, flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def panel_crop(page: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The reply panel warped onto a canonical grid (CANON px/mm, origin at the quiet zone's corner).

    zxing's corners are good to about a module, which is millimetres 60 mm to the right; so the three
    finder patterns are located again in the first warp, and the frame corrected by the affine map
    they give before the final warp (the boxes then sit within a fraction of a millimetre)."""
    h = _homography(corners)
    panel = _warp(page, h)
    mask = np.where(dark(panel), 1.0, -1.0).astype(np.float32)
    t = _finder()
    q, mod, n = Q.QUIET_MODULES * Q.MODULE_MM * CANON, Q.MODULE_MM * CANON, Q.SIDE_MODULES
    expected = np.array([[q, q], [q + (n - 7) * mod, q], [q, q + (n - 7) * mod]], np.float32)
    found = []
    reach = round(2.5 * mod)
    for ex, ey in expected:
        y, x = int(ey), int(ex)
        window = mask[max(y - reach, 0) : y + t.shape[0] + reach, max(x - reach, 0) : x + t.shape[1] + reach]
        if window.shape[0] < t.shape[0] or window.shape[1] < t.shape[1]:
            return panel
        _, best, _, (bx, by) = cv2.minMaxLoc(cv2.matchTemplate(window, t, cv2.TM_CCOEFF_NORMED))
        if best < 0.5:
            return panel  # a finder not found cleanly: keep zxing's frame
        found.append([max(x - reach, 0) + bx, max(y - reach, 0) + by])
    a = np.vstack([cv2.getAffineTransform(expected, np.array(found, np.float32)), [0, 0, 1]])
    return _warp(page, h @ a)


def _rect(mm: tuple[float, float, float, float], inset: float = 0.0) -> tuple[slice, slice]:
    q = Q.QUIET_MODULES * Q.MODULE_MM
    left, top, right, bottom = (round((v + q) * CANON) for v in mm)
    d = round(inset * CANON)
    return slice(top + d, bottom - d), slice(left + d, right - d)


def dark(img: np.ndarray) -> np.ndarray:
    """Ink as a boolean mask (Otsu, but never calling a clean white area half ink)."""
    t, _ = cv2.threshold(img, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return np.asarray(img < min(t, 160))


SEARCH_MM = 1.5  # how far one box may sit from where the row says it is
ROW_SEARCH_MM = 6.0  # how far the row of boxes may sit from where the QR says (corner error × distance)


def _outline(h: int, w: int, line: int) -> np.ndarray:
    t = np.zeros((h, w), np.float32)
    t[:line, :] = t[-line:, :] = t[:, :line] = t[:, -line:] = 1.0
    return t


def _match(mask: np.ndarray, template: np.ndarray, y: int, x: int, m: int) -> tuple[int, int]:
    """Where ``template`` fits best within ``m`` px of (y, x) — or (y, x) when the window is too small."""
    y0, x0 = max(y - m, 0), max(x - m, 0)
    window = mask[y0 : y + template.shape[0] + m, x0 : x + template.shape[1] + m]
    if window.shape[0] < template.shape[0] or window.shape[1] < template.shape[1]:
        return y, x
    score = cv2.matchTemplate(window, template, cv2.TM_CCORR)
    _, _, _, (bx, by) = cv2.minMaxLoc(score)
    return y0 + by, x0 + bx


def row_offset(mask: np.ndarray, kind: str) -> tuple[int, int]:
    """(dy, dx) of the whole row of tick boxes from its expected place: all boxes matched at once, so a
    label or a tick beside one box cannot pull the fit (the QR corners are exact to a module or so, which
    is millimetres 60 mm away)."""
    rects = Q.box_rects_mm(kind)
    ys, xs = _rect((rects[0][0], rects[0][1], rects[-1][2], rects[-1][3]))
    t = np.zeros((ys.stop - ys.start, xs.stop - xs.start), np.float32)
    side, line = round(Q.BOX_MM * CANON), max(2, round(0.5 * CANON))
    for rect in rects:
        left = _rect(rect)[1].start - xs.start
        t[:, left : left + side] = np.maximum(t[:, left : left + side], _outline(t.shape[0], side, line))
    y, x = _match(mask, t, ys.start, xs.start, round(ROW_SEARCH_MM * CANON))
    return y - ys.start, x - xs.start


def tick_densities(panel: np.ndarray, kind: str) -> tuple[tuple[float, ...], tuple[int, int]]:
    """Ink density inside each box (border excluded), and the row's offset for the rest of the panel."""
    mask = dark(panel).astype(np.float32)
    dy, dx = row_offset(mask, kind)
    side, d = round(Q.BOX_MM * CANON), round(INSET_MM * CANON)
    box = _outline(side, side, max(2, round(0.5 * CANON)))
    out: list[float] = []
    for rect in Q.box_rects_mm(kind):
        ys, xs = _rect(rect)
        top, left = _match(mask, box, ys.start + dy, xs.start + dx, round(SEARCH_MM * CANON))
        inner = mask[top + d : top + side - d, left + d : left + side - d]
        out.append(float(inner.mean()) if inner.size else 0.0)
    return tuple(out), (dy, dx)


def remove_streaks(page: np.ndarray) -> np.ndarray:
    """A fax line's black streaks (a scan line dark from edge to edge) become the line above."""
    rows = (page < 128).mean(axis=1) > 0.5
    if not rows.any():
        return page
    out = page.copy()
    for y in np.flatnonzero(rows):
        out[y] = out[y - 1] if y > 0 else 255
    return out


def looks_handwritten(area: np.ndarray, text: str = "") -> bool:
    """Typed and stamped characters stand on one baseline at one height; a hand's do not.

    Character-sized ink blobs are measured (a stamp's frame, dashes and crumbs left out): a spread of
    their bottoms or heights beyond what a fax's skew and noise make means handwriting (issue 17 §4:
    handwriting is shown to the clerk, never guessed into an order). Typed characters also stand apart,
    one blob each: when the blobs do not match the characters read (``text``), the hand joined them."""
    # a stamp's pinholes rejoined
    ink = cv2.morphologyEx(dark(area).astype(np.uint8), cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8)).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    boxes = [tuple(int(v) for v in stats[i, :4]) for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= 30]
    if not boxes:
        return False
    tall = float(np.median([h for _, _, _, h in boxes]))
    chars = [(x, y, w, h) for x, y, w, h in boxes if 0.6 * tall <= h <= 1.6 * tall and w <= 2.5 * tall]
    expected = sum(c.isalnum() for c in text)
    if expected and abs(len(chars) - expected) > 1:
        return True
    if len(chars) < 3:
        return bool(text)
    chars.sort()
    heights = np.array([h for *_, h in chars], float)
    bottoms = np.array([y + h for _, y, _, h in chars], float)
    xs = np.array([x + w / 2 for x, _, w, _ in chars], float)
    slope = np.polyfit(xs, bottoms, 1)  # a skewed page tilts the baseline: measure around the tilt
    spread = float(np.abs(bottoms - np.polyval(slope, xs)).max())
    return bool(spread > 0.12 * tall or heights.std() / heights.mean() > 0.08)


def page_text(page: np.ndarray) -> str:
    """Full-page OCR (chi_sim+eng) of a page without our QR: the hotel's own letterhead."""
    tool = shutil.which("tesseract")
    if tool is None:
        raise OSError("tesseract not found — install tesseract-ocr (the Makefile does)")
    _ok, png = cv2.imencode(".png", page)
    out = subprocess.run([tool, "stdin", "stdout", "-l", "chi_sim+eng"], input=png.tobytes(), capture_output=True)
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", out.stdout.decode("utf-8", "replace"))


def _png(img: np.ndarray, scale: float = 1.0) -> bytes:
    if scale != 1.0:
        img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".png", img)
    return data.tobytes() if ok else b""


def read_page(
    page: np.ndarray, index: int = 0, *, ocr_pages: bool = True, earlier: EarlierNumbers | None = None
) -> PageReading:
    """Everything one page says; never raises for what is on the page. ``earlier`` gives the hotel's
    earlier numbers for the slip the QR names, so its number line is read in that hotel's shape."""
    ink = float((page < 128).mean())
    small = _png(page, 0.5)
    if ink < 0.002:
        return PageReading(index, blank=True, page_png=small, evidence=("blank page",))
    page = remove_streaks(page)
    text, corners = find_code(page)
    if corners is None:
        why = "a QR that is not ours" if text else "no QR of ours on the page"
        body = page_text(page) if ocr_pages else ""
        return PageReading(index, qr_text=text, code_problem=why, text=body, page_png=small, evidence=(why,))
    code, problem = Q.parse_payload(text)
    panel = panel_crop(page, corners)
    if code is None:
        return PageReading(index, text, None, problem, panel_png=_png(panel), page_png=small, evidence=(problem,))
    dens, (dy, dx) = tick_densities(panel, code.kind)
    ticked = tuple(i for i, d in enumerate(dens) if d >= TICKED)
    unsure = tuple(i for i, d in enumerate(dens) if BLANK <= d < TICKED)
    left, top, right, bottom = Q.CONF_AREA
    ys, xs = _rect((left, top, right, bottom - 1.0), 0.3)
    area = panel[ys.start + dy : ys.stop + dy, max(xs.start + dx, 0) : xs.stop + dx]
    area_ink = float(dark(area).mean()) if area.size else 0.0
    known = earlier(code) if earlier is not None else ()
    read = read_number(dark(area), known) if area_ink >= INK_MIN else NumberRead()
    number, conf = read.text, read.conf
    hand = area_ink >= INK_MIN and (looks_handwritten(area, number) or joined(dark(area), number))
    ev = (
        f"QR {code.order_no} r{code.revision} {code.kind}",
        "ticks " + " ".join(f"{d:.3f}" for d in dens),
        f"number {number or '-'} (confidence {conf:.0f}, lead {read.lead:.0f}{', handwritten' if hand else ''})",
    )
    return PageReading(
        index,
        text,
        code,
        "",
        dens,
        ticked,
        unsure,
        number,
        conf,
        number_lead=read.lead,
        number_ink=area_ink,
        handwritten=hand,
        panel_png=_png(panel),
        number_png=_png(area),
        page_png=small,
        evidence=ev,
    )


def read_fax(
    data: bytes, name: str = "", *, ocr_pages: bool = True, earlier: EarlierNumbers | None = None
) -> list[PageReading]:
    pages = load_pages(data, name)
    return [read_page(p, i, ocr_pages=ocr_pages, earlier=earlier) for i, p in enumerate(pages)]


__all__ = ["EarlierNumbers", "PageReading", "load_pages", "read_fax", "read_page"]
