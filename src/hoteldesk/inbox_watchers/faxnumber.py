"""Reading the 确认号 line of a faxed-back slip (issue 17 §3-§4): one Tesseract pass, held to the hotel's shape.

A hotel writes its confirmation numbers in one shape (CF1234567 is ``AA9999999``, 88-123456 is
``99-999999``) and its own letters (a prefix such as CF); its earlier numbers in Bookings.xlsx say
which characters may stand where. The line is cleaned (fax speckle, a rubber stamp's frame and any rule lines
removed by morphology, since Tesseract reads a frame's side as an I or a 1), then read once by Tesseract's
LSTM (``--psm 7``, one line, characters limited to those the hotel's shapes use) asking for every
character's alternatives. Each position then takes its best alternative of the class the shape wants
there — a J Tesseract ranked just below a 3 is a J where the hotel writes letters. The reading's
confidence is its weakest character's, and its lead the least by which a chosen character beat its best
allowed rival; both bars (``MIN_NUMBER_CONF``, ``MIN_NUMBER_LEAD`` in faxreply) are calibrated on generated
crops the benchmark does not use (bench/bench_faxin.py --calibrate), where they let no wrong number
through. Handwriting is found apart (faxpage.looks_handwritten) and never read into an order.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
OCR_WHITELIST = LETTERS + DIGITS + "-"
SPECK_PX = 10  # ink blobs smaller than this (at 8 px/mm) are fax noise, not parts of characters
LINE_H_PX = 60  # a horizontal run this long (7.5 mm) is a rule or a stamp frame: no character has one
LINE_V_PX = 44  # a vertical run this tall (5.5 mm) is a frame's side: typed and stamped characters are shorter

_ALT = re.compile(r"id='choice_[^']*' title='x_confs ([\d.]+)'>([^<]*)</span>")
_WORD = re.compile(r"<span class='ocrx_word'[^>]*>([^<\n]*)")


def shape(number: str) -> str:
    """A number's shape: letters → A, digits → 9 (CF1234567 → AA9999999)."""
    return re.sub(r"[0-9]", "9", re.sub(r"[A-Z]", "A", number.upper()))


Pattern = tuple[str, ...]  # per position the characters allowed there


def patterns(earlier: Sequence[str]) -> tuple[Pattern, ...]:
    """What the hotel's earlier numbers allow, per shape and position: any digit where it wrote digits,
    the letters it wrote there (a hotel's prefix is its own: CF…, never an I where it always had a J),
    a dash where it wrote one. No earlier numbers: no patterns, anything number-like is read."""
    by_shape: dict[str, list[str]] = {}
    for n in earlier:
        n = n.strip().upper()
        if n and n.isascii() and all(c.isalnum() or c == "-" for c in n):
            by_shape.setdefault(shape(n), []).append(n)
    out = []
    for want, numbers in sorted(by_shape.items()):
        out.append(
            tuple(
                DIGITS if w == "9" else "".join(sorted({n[k] for n in numbers})) if w == "A" else w
                for k, w in enumerate(want)
            )
        )
    return tuple(out)


def whitelist(allowed: Sequence[Pattern]) -> str:
    """The characters the hotel's patterns use: a hotel that never writes letters gets no letters read."""
    if not allowed:
        return OCR_WHITELIST
    used = set("".join("".join(p) for p in allowed))
    return "".join(c for c in OCR_WHITELIST if c in used)


def _without_specks(ink: np.ndarray) -> np.ndarray:
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = np.zeros(n, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= SPECK_PX
    return np.asarray(keep[labels], dtype=np.uint8)


def _lines(ink: np.ndarray, length: int, across: bool) -> np.ndarray:
    """Straight runs of ``length`` px. No gaps are closed first: that would join neighbouring characters,
    or a character and the frame, into a line. A frame broken by the stamp's pinholes is left to
    :func:`_on_the_line`."""
    run = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if across else (1, length))
    return np.asarray(cv2.morphologyEx(ink, cv2.MORPH_OPEN, run))


def _band(ink: np.ndarray) -> tuple[float, float]:
    """(top, bottom) of the characters' line: the median top and bottom of the larger blobs."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return 0.0, float(ink.shape[0])
    size = stats[1:, cv2.CC_STAT_AREA]
    big = [i + 1 for i in np.argsort(-size)[: max(3, (n - 1) // 2)]]
    tops = np.array([stats[i, cv2.CC_STAT_TOP] for i in big], float)
    bottoms = tops + np.array([stats[i, cv2.CC_STAT_HEIGHT] for i in big], float)
    return float(np.median(tops)), float(np.median(bottoms))


def _on_the_line(ink: np.ndarray) -> np.ndarray:
    """Only the blobs standing on the number's line. A stamp's frame broken by pinholes escapes the
    fixed-length line search: measured against the characters' height, runs longer than a character
    is wide or tall go, then bits above or below the line, and hairline uprights no character has
    (Tesseract reads them as 1, I or 7)."""
    top, bottom = _band(ink)
    tall = max(bottom - top, 8.0)
    across = cv2.getStructuringElement(cv2.MORPH_RECT, (round(1.0 * tall), 1))
    down = cv2.getStructuringElement(cv2.MORPH_RECT, (1, round(1.15 * tall)))
    runs = np.maximum(cv2.morphologyEx(ink, cv2.MORPH_OPEN, across), cv2.morphologyEx(ink, cv2.MORPH_OPEN, down))
    ink = _without_specks(ink & (1 - cv2.dilate(runs, np.ones((3, 3), np.uint8))))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    keep = np.zeros(n, bool)
    for i in range(1, n):
        y, h, w = stats[i, cv2.CC_STAT_TOP], stats[i, cv2.CC_STAT_HEIGHT], stats[i, cv2.CC_STAT_WIDTH]
        inside = top - 0.1 * tall <= y + h / 2 <= bottom + 0.1 * tall
        hairline = w <= 0.15 * tall and h >= 0.4 * tall
        keep[i] = inside and h <= 1.3 * tall and not hairline
    return np.asarray(keep[labels], dtype=np.uint8)


def clean_line(ink: np.ndarray) -> np.ndarray:
    """Black-on-white image of the line's characters: speckle, stamp frames and rule lines taken out."""
    ink = _without_specks(ink.astype(np.uint8))
    lines = cv2.dilate(_lines(ink, LINE_H_PX, True) | _lines(ink, LINE_V_PX, False), np.ones((3, 3), np.uint8))
    ink = _on_the_line(_without_specks(ink & (1 - lines)))
    img = np.where(ink > 0, 0, 255).astype(np.uint8)
    return cv2.copyMakeBorder(img, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)


def joined(ink: np.ndarray, text: str) -> bool:
    """Fewer blobs on the cleaned line than characters read: a hand joined some (an 84 in one stroke).

    Typed and stamped characters stand apart (a stamp's pinholes closed first); a hand that keeps to one
    baseline and one height escapes faxpage.looks_handwritten, and is caught here."""
    line = (clean_line(ink)[20:-20, 20:-20] < 128).astype(np.uint8)
    closed = cv2.morphologyEx(line, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    blobs = sum(1 for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= 30)
    return bool(text) and blobs < len(text)  # more blobs than characters: a stamp's pinholes split one


def _holes(blob: np.ndarray) -> list[tuple[float, float]]:
    """(height share, centre height share from the top) of each hole of one character's blob."""
    contours, tree = cv2.findContours(blob, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    h = blob.shape[0]
    out = []
    for k, c in enumerate(contours):
        _x, y, w, hh = cv2.boundingRect(c)
        if tree is not None and tree[0][k][3] >= 0 and w * hh >= 0.03 * blob.size:
            out.append((hh / h, (y + hh / 2) / h))
    return out


def _looks_like(char: str, holes: list[tuple[float, float]]) -> bool:
    """Whether a digit's holes fit what it was read as: a 0 is one tall ring, a 6 a loop below, a 9 a loop
    above, an 8 two loops, a 1 2 3 5 7 none (the LSTM reads a fax's dotted 0 as a 6, sure of itself)."""
    if char in "12357":
        return not holes
    tallest = max((t for t, _ in holes), default=0.0)
    stacked = len(holes) == 2 and {m > 0.5 for _, m in holes} == {True, False}  # a loop above one below
    if char == "0":  # a ring — or two loops where its slash or dot parts it
        return tallest >= 0.5 or stacked
    if char == "8":
        return stacked
    if char in "69":  # one loop, below for a 6, above for a 9
        return len(holes) == 1 and tallest < 0.6 and (holes[0][1] > 0.5) == (char == "6")
    return True


def glyphs_agree(ink: np.ndarray, text: str) -> bool:
    """Each digit read has the holes its shape has, where one blob stands for each character read."""
    line = (clean_line(ink)[20:-20, 20:-20] < 128).astype(np.uint8)
    closed = cv2.morphologyEx(line, cv2.MORPH_CLOSE, np.ones((2, 2), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    blobs = sorted((int(stats[i, 0]), i) for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= 30)
    if len(blobs) != len(text):
        return True  # not one blob a character (a stamp's pinholes): nothing to hold each digit to
    for char, (_, i) in zip(text, blobs, strict=True):
        x, y, w, h = (int(v) for v in stats[i, :4])
        blob = np.asarray(labels[y : y + h, x : x + w] == i, dtype=np.uint8)
        if not _looks_like(char, _holes(cv2.copyMakeBorder(blob, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0))):
            return False
    return True


def choices(hocr: str) -> tuple[str, list[list[tuple[str, float]]]]:
    """(the line's text, per character its alternatives best first) from Tesseract's hOCR."""
    text = "".join(_WORD.findall(hocr)).replace(" ", "").strip()
    per_char: list[list[tuple[str, float]]] = []
    for line in hocr.splitlines():  # Tesseract writes one span a line: a position's header, then its choices
        if "id='lstm_choices_" in line:
            per_char.append([])
        elif per_char and (alt := _ALT.search(line)):
            char = html.unescape(alt.group(2)).strip()
            if len(char) == 1:
                per_char[-1].append((char, float(alt.group(1))))
    return text, [alts for alts in per_char if alts]


@dataclass(frozen=True, slots=True)
class NumberRead:
    """A number line as read: its text, its weakest character's confidence, and that character's lead.

    ``lead`` is, over the characters, the least by which the chosen one beat the best other character
    allowed at its place (0-100): a 0 read at 76 with a 6 at 74 beside it leads by 2 — not certain,
    however confident. Both are held to bars calibrated on generated crops (faxreply)."""

    text: str = ""
    conf: float = 0.0
    lead: float = 0.0


def _pick(pattern: Sequence[str], per_char: Sequence[Sequence[tuple[str, float]]]) -> NumberRead | None:
    chosen: list[tuple[str, float, float]] = []
    for ok, alts in zip(pattern, per_char, strict=True):
        allowed = [(c, x) for c, x in alts if c in ok]
        if not allowed:
            return None
        rival = allowed[1][1] if len(allowed) > 1 else 0.0
        chosen.append((allowed[0][0], allowed[0][1], allowed[0][1] - rival))
    return NumberRead("".join(c for c, _, _ in chosen), min(x for _, x, _ in chosen), min(d for _, _, d in chosen))


def decode(per_char: Sequence[Sequence[tuple[str, float]]], allowed: Sequence[Pattern]) -> NumberRead:
    """The line held to the hotel's patterns: per position the best alternative allowed there.

    Without patterns, Tesseract's own choices (any letter, digit or dash). With patterns, the one of the
    same length whose weakest chosen character is strongest; nothing when none fits — the clerk reads it."""
    if not per_char:
        return NumberRead()
    if not allowed:
        allowed = [tuple(OCR_WHITELIST for _ in per_char)]
    fits = [r for p in allowed if len(p) == len(per_char) and (r := _pick(p, per_char)) is not None]
    return max(fits, key=lambda r: (r.conf, r.lead), default=NumberRead())


def read_number(ink: np.ndarray, earlier: Sequence[str] = ()) -> NumberRead:
    """A one-line typed or stamped number; an empty :class:`NumberRead` when nothing is read.

    ``ink`` is the line's ink mask; ``earlier`` the hotel's earlier numbers (none known: any letters and
    digits, Tesseract's first choices)."""
    allowed = patterns(earlier)
    tool = shutil.which("tesseract")
    if tool is None:
        raise OSError("tesseract not found — install tesseract-ocr (the Makefile does)")
    _ok, png = cv2.imencode(".png", clean_line(ink))
    args = [tool, "stdin", "stdout", "--psm", "7", "--oem", "1", "-l", "eng"]
    args += ["-c", f"tessedit_char_whitelist={whitelist(allowed)}", "-c", "lstm_choice_mode=2", "hocr"]
    out = subprocess.run(args, input=png.tobytes(), capture_output=True, timeout=60)
    text, per_char = choices(out.stdout.decode("utf-8", "replace"))
    if not text:
        return NumberRead()
    if len(per_char) != len(text):
        return NumberRead(text)  # the alternatives do not line up with the text: nothing is certain
    read = decode(per_char, allowed)
    if read.text and not glyphs_agree(ink, read.text):
        return NumberRead(read.text, read.conf, 0.0)  # a 6 whose glyph is a 0's ring: a person reads it
    return read


__all__ = [
    "OCR_WHITELIST",
    "NumberRead",
    "clean_line",
    "decode",
    "glyphs_agree",
    "joined",
    "patterns",
    "read_number",
    "shape",
    "whitelist",
]
