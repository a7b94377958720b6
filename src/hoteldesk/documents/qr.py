"""The slip's QR code and reply panel (issue 17 §1): how our slips are recognised on a faxed-back page.

Every booking, change and cancel slip carries one picture, the template field ``{{ qr }}``: a QR code
holding the order number, revision, slip kind and a short check value, and beside it the hotel's tick
boxes (确认 / 满房 / 拒绝, or 已取消 / 无法取消 on a cancel slip) and the 确认号 line. Because the boxes
and the line are drawn at fixed places relative to the QR symbol, a reader that finds the QR on a
faxed page knows where to look (C6: the fax is read, matched and filed), whatever staff did to the
rest of the template. Sizes are for "standard" fax resolution, 204×98 dpi: one QR module is 1.2 mm,
about 5 scan lines at 98 dpi, and the quiet zone is 4 modules of white.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from functools import cache

import segno
from PIL import Image, ImageDraw, ImageFont

MAGIC = "HDQ1"
MODULE_MM = 1.2  # one QR module: ≥ 4 scan lines at 98 dpi, ≥ 9 dots at 204 dpi
VERSION = 4  # fixed, so the symbol is always 33 modules: the panel geometry follows from it
SIDE_MODULES = 4 * VERSION + 17
QUIET_MODULES = 4
PX_PER_MM = 10  # the panel is drawn at 254 dpi (a module is exactly 12 px) and placed by Word at its width in mm
KIND_CODES = {"booking": "B", "change": "C", "cancel": "X"}
KIND_NAMES = {v: k for k, v in KIND_CODES.items()}
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

# Geometry in mm, origin at the QR symbol's top-left corner (quiet zone excluded).
SIDE_MM = SIDE_MODULES * MODULE_MM
BOX_MM = 7.0
BOX_TOP_MM = 1.0
BOX_LEFT_MM = SIDE_MM + 9.0
BOX_STEP_MM = 30.0
CONF_LABEL_TOP_MM = 13.0
CONF_AREA = (SIDE_MM + 9.0, 19.0, SIDE_MM + 9.0 + 88.0, SIDE_MM - 1.0)  # left, top, right, bottom
PANEL_W_MM = SIDE_MM + 9.0 + 92.0 + 2 * QUIET_MODULES * MODULE_MM
PANEL_H_MM = SIDE_MM + 2 * QUIET_MODULES * MODULE_MM

# The answers a hotel can tick, per slip kind, left to right (reply kinds as the mailroom names them).
BOXES = {
    "booking": ("confirmed", "full", "denied"),
    "change": ("confirmed", "full", "denied"),
    "cancel": ("cancelled", "refused"),
}
_BOX_LABELS = {
    "zh-CN": {
        "confirmed": "确认",
        "full": "满房",
        "denied": "拒绝",
        "cancelled": "已取消",
        "refused": "无法取消",
        "conf_no": "确认号 (请用正楷或盖章)",
        "cancel_no": "取消号 (请用正楷或盖章)",
    },
    "en": {
        "confirmed": "Confirmed",
        "full": "Full",
        "denied": "Declined",
        "cancelled": "Cancelled",
        "refused": "Cannot cancel",
        "conf_no": "Conf. No. (print or stamp)",
        "cancel_no": "Cancel No. (print or stamp)",
    },
}
_PAYLOAD = re.compile(r"^HDQ1\|([A-Za-z0-9-]{1,40})\|(\d{1,4})\|([BCX])\|([0-9a-f]{6})$")


@dataclass(frozen=True, slots=True)
class SlipCode:
    """What a slip's QR says: which order, which revision, which slip."""

    order_no: str
    revision: int
    kind: str  # booking | change | cancel

    @property
    def payload(self) -> str:
        body = f"{MAGIC}|{self.order_no}|{self.revision}|{KIND_CODES[self.kind]}"
        return f"{body}|{check_value(body)}"


def check_value(body: str) -> str:
    """Six hex digits over the payload: a misread or hand-made code does not pass (issue 17 §4)."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:6]


def parse_payload(text: str) -> tuple[SlipCode | None, str]:
    """(the slip code, '') when ``text`` is one of our QR payloads with a valid check value; else (None, why)."""
    m = _PAYLOAD.match(text.strip())
    if m is None:
        return None, "not a hoteldesk slip code"
    order_no, rev, kind, check = m.groups()
    body = f"{MAGIC}|{order_no}|{rev}|{kind}"
    if check_value(body) != check:
        return None, "check value does not match"
    return SlipCode(order_no, int(rev), KIND_NAMES[kind]), ""


def box_rects_mm(kind: str) -> list[tuple[float, float, float, float]]:
    """The tick boxes (left, top, right, bottom) in mm from the QR symbol's top-left corner."""
    return [
        (BOX_LEFT_MM + i * BOX_STEP_MM, BOX_TOP_MM, BOX_LEFT_MM + i * BOX_STEP_MM + BOX_MM, BOX_TOP_MM + BOX_MM)
        for i in range(len(BOXES[kind]))
    ]


@cache
def _font(size_px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT, size_px)
    except OSError:  # fonts-noto-cjk missing: labels in the default font, the geometry is unchanged
        return ImageFont.load_default(size_px)


def panel_image(code: SlipCode, locale: str = "zh-CN", *, payload: str = "") -> Image.Image:
    """The reply panel as a 1-bit image: QR, tick boxes with labels, the number line.

    ``payload`` replaces the code's own text (tests of a tampered or foreign code only)."""
    k = PX_PER_MM
    w, h = round(PANEL_W_MM * k), round(PANEL_H_MM * k)
    img = Image.new("L", (w, h), 255)
    qr = segno.make_qr(payload or code.payload, version=VERSION, error="q", boost_error=False)
    mod = round(MODULE_MM * k)
    ox = oy = round(QUIET_MODULES * MODULE_MM * k)
    for y, row in enumerate(qr.matrix):
        for x, dark in enumerate(row):
            if dark:
                img.paste(0, (ox + x * mod, oy + y * mod, ox + (x + 1) * mod, oy + (y + 1) * mod))
    d = ImageDraw.Draw(img)
    labels = _BOX_LABELS["en" if locale.startswith("en") else "zh-CN"]
    font = _font(round((3.3 if locale.startswith("en") else 4.2) * k))  # "Confirmed" must clear the next box

    def px(x_mm: float, y_mm: float) -> tuple[int, int]:
        return (ox + round(x_mm * k), oy + round(y_mm * k))

    for (x0, t, r, b), answer in zip(box_rects_mm(code.kind), BOXES[code.kind], strict=True):
        d.rectangle((*px(x0, t), *px(r, b)), outline=0, width=round(0.5 * k))
        d.text(px(r + 2.0, t + 0.2), labels[answer], fill=0, font=font)
    what = "cancel_no" if code.kind == "cancel" else "conf_no"
    d.text(px(CONF_AREA[0], CONF_LABEL_TOP_MM), labels[what] + ":", fill=0, font=_font(round(3.6 * k)))
    d.line((*px(CONF_AREA[0], CONF_AREA[3]), *px(CONF_AREA[2], CONF_AREA[3])), fill=0, width=round(0.35 * k))
    return img.point(lambda v: 255 if v > 127 else 0).convert("1")


def panel_png(code: SlipCode, locale: str = "zh-CN") -> bytes:
    out = io.BytesIO()
    panel_image(code, locale).save(out, format="PNG", dpi=(PX_PER_MM * 25.4, PX_PER_MM * 25.4))
    return out.getvalue()


__all__ = [
    "BOXES",
    "PANEL_W_MM",
    "SlipCode",
    "box_rects_mm",
    "check_value",
    "panel_image",
    "panel_png",
    "parse_payload",
]
