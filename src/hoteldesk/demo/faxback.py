"""Faxed-back slips for the demo, the tests and the benchmark (issue 17 §5): our own rendered slip,
"filled in" by a hotel and sent back through a fax line, with controlled damage.

A :class:`Fill` says what the hotel did (which boxes it ticked, the number it typed, stamped or wrote
by hand, a signature); a :class:`Damage` what the line and the machines did (rotation, scale,
speckle, streaks, standard 204×98 dpi resolution, a second-generation copy, upside down). Everything
is drawn from a seed, so a page can be made again exactly.
"""

from __future__ import annotations

import io
import os
import random
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageSequence

from hoteldesk.documents import qr as Q
from hoteldesk.inbox_watchers.faxpage import find_code

MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"


@dataclass(frozen=True, slots=True)
class Fill:
    ticks: tuple[int, ...] = (0,)  # boxes ticked, left to right
    number: str = ""  # the 确认号 written on the line
    hand: str = "typed"  # typed | stamped | handwritten
    signature: bool = True


@dataclass(frozen=True, slots=True)
class Damage:
    angle: float = 0.0  # degrees
    scale: float = 1.0
    speckle: float = 0.0  # share of pixels flipped
    streaks: int = 0  # horizontal line dropouts/black streaks
    standard: bool = False  # 204×98 dpi instead of 204×196
    second_generation: bool = False  # a fax of a fax
    upside_down: bool = False
    seed: int = 0
    extra: dict[str, float] = field(default_factory=dict)


def _font(size: int, path: str = MONO) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        return ImageFont.load_default(size)


def _to_page(corners: np.ndarray) -> np.ndarray:
    src = np.array([[0, 0], [Q.SIDE_MM, 0], [Q.SIDE_MM, Q.SIDE_MM], [0, Q.SIDE_MM]], dtype=np.float32)
    return cv2.getPerspectiveTransform(src, corners)


def _pt(m: np.ndarray, x_mm: float, y_mm: float) -> tuple[int, int]:
    v = m @ np.array([x_mm, y_mm, 1.0])
    return (round(float(v[0] / v[2])), round(float(v[1] / v[2])))


def fill_page(page: np.ndarray, kind: str, fill: Fill, rng: random.Random) -> np.ndarray:
    """The clean page with the hotel's marks drawn into its reply panel."""
    _text, corners = find_code(page)
    if corners is None:
        raise ValueError("the page has no slip QR to fill in")
    m = _to_page(corners)
    px_mm = float(np.linalg.norm(corners[1] - corners[0])) / Q.SIDE_MM
    img = page.copy()
    for i in fill.ticks:
        left, top, right, bottom = Q.box_rects_mm(kind)[i]
        w = right - left
        a = (left + w * (0.15 + rng.uniform(-0.05, 0.05)), top + w * 0.55)
        b = (left + w * (0.42 + rng.uniform(-0.05, 0.05)), bottom - w * 0.12)
        c = (right + w * rng.uniform(-0.05, 0.25), top - w * rng.uniform(0.0, 0.2))
        pts = np.array([_pt(m, *a), _pt(m, *b), _pt(m, *c)], dtype=np.int32)
        cv2.polylines(img, [pts], False, 0, max(2, round(px_mm * 0.6)), cv2.LINE_AA)
    _left, _top, right, bottom = Q.CONF_AREA
    if fill.number:
        img = _write_number(img, m, px_mm, fill, rng)
    if fill.signature:
        scrawl = [_pt(m, right - 30 + k * 3 + rng.uniform(-1, 1), bottom + 8 + rng.uniform(-2, 2)) for k in range(9)]
        cv2.polylines(img, [np.array(scrawl, dtype=np.int32)], False, 0, 2, cv2.LINE_AA)
    return img


def _write_number(img: np.ndarray, m: np.ndarray, px_mm: float, fill: Fill, rng: random.Random) -> np.ndarray:
    left, top, _right, _bottom = Q.CONF_AREA
    x, y = _pt(m, left + 2 + rng.uniform(0, 6), top + 4 + rng.uniform(-1, 2))
    if fill.hand == "handwritten":
        # a person's hand: each character its own size, slant, baseline and pen pressure
        cx = x
        for ch in fill.number:
            size = round(px_mm * rng.uniform(4.5, 5.7))
            patch = np.full((size * 2, size * 2), 255, np.uint8)
            scale = cv2.getFontScaleFromHeight(cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, size)
            cv2.putText(
                patch,
                ch,
                (size // 2, size + size // 2),
                cv2.FONT_HERSHEY_SCRIPT_SIMPLEX,
                scale,
                0,
                rng.randint(2, 4),
                cv2.LINE_AA,
            )
            rot = cv2.getRotationMatrix2D((size, size), rng.uniform(-10, 10), 1.0)
            turned = cv2.warpAffine(patch, rot, patch.shape[::-1], borderValue=255).astype(np.uint8)
            top = y + round(px_mm * rng.uniform(-0.6, 0.6)) - size // 2
            h, w = turned.shape
            region = img[top : top + h, cx : cx + w]
            if region.shape == turned.shape:
                np.minimum(region, turned, out=region)
            cx += round(px_mm * rng.uniform(3.0, 5.0))
        return img
    pil = Image.fromarray(img)
    d = ImageDraw.Draw(pil)
    size = round(px_mm * (6.0 if fill.hand == "stamped" else 5.0))
    font = _font(size)
    d.text((x, y), fill.number, fill=0 if fill.hand == "typed" else 40, font=font)
    if fill.hand == "stamped":  # a rubber stamp: a frame round the number, ink a little uneven
        box = d.textbbox((x, y), fill.number, font=font)
        d.rectangle((box[0] - 8, box[1] - 8, box[2] + 8, box[3] + 8), outline=40, width=3)
    out = np.asarray(pil).copy()
    if fill.hand == "stamped":
        holes = np.random.default_rng(rng.randint(0, 2**31)).random(out.shape) < 0.04
        out[holes & (out < 128)] = 255
    return out


def damage_page(page: np.ndarray, damage: Damage) -> np.ndarray:
    """The page as it comes out of the hotel's fax line: rotated, scaled, noisy, maybe upside down."""
    gen = np.random.default_rng(damage.seed)
    h, w = page.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), damage.angle, damage.scale)
    img = cv2.warpAffine(page, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    if damage.second_generation:
        img = cv2.GaussianBlur(img, (3, 3), 0.8)
        img = np.where(img < 150, 0, 255).astype(np.uint8)
        img = cv2.GaussianBlur(img, (3, 3), 0.8)
    img = np.where(img < 140, 0, 255).astype(np.uint8)  # fax is black and white
    if damage.speckle:
        flips = gen.random(img.shape) < damage.speckle
        img[flips] = 255 - img[flips]
    for _ in range(damage.streaks):
        y = int(gen.integers(0, h - 3))
        img[y : y + int(gen.integers(1, 3)), :] = 0 if gen.random() < 0.5 else 255
    if damage.upside_down:
        img = cv2.rotate(img, cv2.ROTATE_180)
    return img


def to_tiff(pages: list[np.ndarray], *, standard: bool = False) -> bytes:
    """A (multi-page) fax TIFF, G4, at 204×196 dpi, or 204×98 dpi "standard" with every other line."""
    frames = []
    for p in pages:
        img = p[::2, :] if standard else p
        frames.append(Image.fromarray(img).convert("1"))
    out = io.BytesIO()
    dpi = (204, 98) if standard else (204, 196)
    frames[0].save(out, format="TIFF", compression="group4", dpi=dpi, save_all=True, append_images=frames[1:])
    return out.getvalue()


def cover_page(text: str = "FAX COVER  传真封面") -> np.ndarray:
    pil = Image.new("L", (1728, 2292), 255)
    d = ImageDraw.Draw(pil)
    d.text((200, 300), text, fill=0, font=_font(60, Q.FONT))
    d.text((200, 500), "Pages: 2", fill=0, font=_font(48))
    return np.asarray(pil).copy()


def synthetic_slip(code: Q.SlipCode, locale: str = "zh-CN", *, payload: str = "") -> np.ndarray:
    """A fine-resolution fax page holding just a slip's title, order number and reply panel — what the
    reader uses — for tests that need no LibreOffice (the real rendered slip is tested end to end)."""
    pil = Image.new("L", (1728, 2292), 255)
    d = ImageDraw.Draw(pil)
    d.text((560, 420), "预订单  Booking Slip", fill=0, font=_font(56, Q.FONT))
    d.text((420, 520), f"Order No.: {code.order_no}", fill=0, font=_font(64))
    panel = Q.panel_image(code, locale, payload=payload).convert("L")
    xs, ys = 204 / 25.4, 196 / 25.4
    panel = panel.resize((round(Q.PANEL_W_MM * xs), round(Q.PANEL_H_MM * ys)), Image.Resampling.LANCZOS)
    pil.paste(panel, (160, 1500))
    return np.where(np.asarray(pil) < 128, 0, 255).astype(np.uint8)


def blank_page() -> np.ndarray:
    return np.full((2292, 1728), 255, dtype=np.uint8)


#: What the demo's hotels do with the slips they got (issue 17 §5): some applied, some for the clerk.
DEMO_FILLS: tuple[tuple[Fill, Damage], ...] = (
    (Fill((0,), "CF8812034", "typed"), Damage(angle=1.2, speckle=0.001, standard=True, seed=1)),
    (Fill((0,), "77-503118", "stamped"), Damage(angle=-2.1, scale=0.98, standard=False, seed=2)),
    (Fill((1,), ""), Damage(angle=0.6, upside_down=True, seed=3)),
    (Fill((0,), "5512340", "handwritten"), Damage(angle=-1.4, standard=True, seed=4)),
    (Fill((0, 2), "CF8812099", "typed"), Damage(angle=2.4, second_generation=True, standard=True, seed=5)),
)


def hotels_fax_back(ctx: Any) -> list[str]:
    """The demo's hotels fax back the booking slips the outbox sent: filled in, faxed, in ``mailroom/fax-in/``."""
    from hoteldesk.documents import jobs
    from hoteldesk.documents.outbox import job_file

    folder = ctx.layout.root / "mailroom" / "fax-in"
    folder.mkdir(parents=True, exist_ok=True)
    sent = [j for j in jobs.jobs_in(ctx.journal, "submitted", "delivered") if j.kind == "booking"]
    rng = random.Random(17)
    made: list[str] = []
    from dataclasses import replace

    from hoteldesk.orders.bookings import read_records
    from hoteldesk.workbooks.schema import ORDERS

    earlier: dict[str, list[str]] = {}
    for o in read_records(ctx.layout.bookings, ORDERS):
        if o.get("hotel_conf_no"):
            earlier.setdefault(str(o.get("hotel") or ""), []).append(str(o["hotel_conf_no"]))
    for job, (fill, damage) in zip(sent, DEMO_FILLS, strict=False):
        known = earlier.get(str(job.order.get("hotel") or ""))
        if fill.number and known:  # the hotel writes its own kind of number (the reader checks the shape)
            fill = replace(fill, number=_like(known[-1], rng))
        tif = job_file(ctx, job, ".tif")
        if not tif.is_file():
            continue
        with Image.open(tif) as img:
            pages = [np.asarray(f.convert("L")).copy() for f in ImageSequence.Iterator(img)]
        page = next((p for p in pages if find_code(p)[1] is not None), None)
        if page is None:
            continue
        back = damage_page(fill_page(page, job.kind, fill, rng), damage)
        target = folder / f"fax{len(made) + 1:06d}.tif"
        target.write_bytes(to_tiff([back], standard=damage.standard))
        when = ctx.now().timestamp() - 60
        os.utime(target, (when, when))
        made.append(f"{target.name}: {job.order_no} {fill.hand} ticks {list(fill.ticks)}")
    return [f"hotels faxed back {len(made)} slip(s) into mailroom/fax-in/", *(f"  {m}" for m in made)]


def _like(number: str, rng: random.Random) -> str:
    """Another number of the same shape: each digit redrawn, letters and dashes kept."""
    return "".join(rng.choice("0123456789") if c.isdigit() else c for c in number.upper())


def fax_number(rng: random.Random, style: str = "") -> str:
    """A hotel confirmation number as hotels type them: letters and digits, 6-10 long."""
    style = style or rng.choice(("digits", "prefix", "dash"))
    if style == "digits":
        return "".join(rng.choice("0123456789") for _ in range(rng.randint(6, 10)))
    if style == "prefix":
        return rng.choice(("CF", "RS", "BJ", "SH")) + "".join(rng.choice("0123456789") for _ in range(7))
    return f"{rng.randint(10, 99)}-{rng.randint(100000, 999999)}"


__all__ = [
    "Damage",
    "Fill",
    "blank_page",
    "cover_page",
    "damage_page",
    "fax_number",
    "fill_page",
    "hotels_fax_back",
    "synthetic_slip",
    "to_tiff",
]
