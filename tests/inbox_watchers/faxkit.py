"""Faxed-back slips for the fax-in tests: a drive with one sent slip, and pages dropped in mailroom/fax-in/."""

from __future__ import annotations

import os
import random
from pathlib import Path

import numpy as np

from hoteldesk.automations.context import Context
from hoteldesk.demo.faxback import Damage, Fill, damage_page, fill_page, synthetic_slip, to_tiff
from hoteldesk.documents import jobs
from hoteldesk.documents.qr import SlipCode
from tests.inbox_watchers import mailkit as K

NO = "HD20261126-0001"
HOTEL_FAX = "+86 10 6500 1234"
OTHER_FAX = "010-6500 9999"
CODE = SlipCode(NO, 1, "booking")
FAXED = Damage(angle=1.5, scale=0.97, speckle=0.001, standard=True, seed=3)


def setup(ctx: Context, *, status: str = "已发", earlier: str = "") -> None:
    """Bookings with our order (and one earlier confirmed order of the same hotel), two hotels, the slip sent."""
    orders = [K.order(NO, status)]
    if earlier:
        orders.append(K.order("HD20261120-0003", "已确认", hotel_conf_no=earlier))
    hotels = [K.hotel(fax=HOTEL_FAX), K.hotel("BJJL", "jinling-hotel.cn", name_zh="北京金陵", fax=OTHER_FAX)]
    K.write_drive(ctx.layout, orders, hotels)
    jobs.enqueue(ctx.journal, NO, 1, "booking", {}, at=ctx.now())


def page(fill: Fill, damage: Damage = FAXED, *, code: SlipCode = CODE, payload: str = "") -> np.ndarray:
    return damage_page(fill_page(synthetic_slip(code, payload=payload), code.kind, fill, random.Random(7)), damage)


def drop(ctx: Context, name: str, pages: list[np.ndarray], *, standard: bool = True, csid: str = "") -> Path:
    folder = ctx.layout.root / "mailroom" / "fax-in"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(to_tiff(pages, standard=standard))
    if csid:
        path.with_name(name + ".csid").write_text(csid, encoding="utf-8")
    past = ctx.now().timestamp() - 60  # business time, not the wall clock (the filing date follows it)
    os.utime(path, (past, past))
    return path
