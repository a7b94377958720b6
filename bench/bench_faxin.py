"""Faxed-back slip reading benchmark (issue 17).

Real slips (booking/change/cancel, zh-CN and en, several orders and revisions) are rendered once through
the shipped templates, LibreOffice and Ghostscript exactly as the outbox faxes them; then N pages are made
from them as hotels send them back (demo/faxback.py): a tick (sometimes two, sometimes none), a typed,
stamped or handwritten number, a signature, and the line's damage — rotation ±3°, scale, speckle,
streaks, standard 204×98 or fine resolution, second-generation copies, upside down — plus cover pages,
blank pages and another agency's page. Each page is read by the production reader and decided by the
production rule (faxreply.certain_number: answer certain, number typed or stamped, read with confidence and
lead over its rivals, plausible for the hotel), the hotel's earlier numbers given as Bookings.xlsx would.

Measures: QR decode rate (target ≥ 99.5 %), tick accuracy (≥ 99 %), typed/stamped 确认号 exact match (≥ 95 %),
pages applied wrongly (0), seconds per page (≤ 1 s, mean/p50/p95). ``--calibrate M`` reads M pages of another
seed and prints the confidence × lead table the bars in faxreply were chosen from. Optionally
(``--rapidocr PYTHON``, a Python with rapidocr-onnxruntime) the number crops are also read by RapidOCR.
``--save DIR`` keeps the pages (TIFF + truth) and ``--load DIR`` reads them again without LibreOffice;
``--dump DIR`` writes the pages whose QR was missed and the number crops misread, to look at;
``--skip K`` reads only pages K.. (the two halves of a run on two cores; add up the ``counts:`` lines).

Run: .venv/bin/python bench/bench_faxin.py [N] [--calibrate M] [--dump DIR] [--rapidocr /path/to/python]
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence

from hoteldesk.demo.faxback import (
    Damage,
    Fill,
    blank_page,
    cover_page,
    damage_page,
    fax_number,
    fill_page,
    to_tiff,
)
from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.faximage import pdf_to_tiff
from hoteldesk.documents.qr import BOXES, SlipCode
from hoteldesk.documents.render import render_docx
from hoteldesk.documents.slips import slip_context
from hoteldesk.documents.templates import default_template
from hoteldesk.inbox_watchers.faxpage import PageReading, find_code, read_fax
from hoteldesk.inbox_watchers.faxreply import MIN_NUMBER_CONF, MIN_NUMBER_LEAD, certain_number, plausible

STYLES = ("digits", "prefix", "dash")
COMPANY = {"name": "预订中心", "fax": "+86 10 6500 0000", "email": "c@example.com", "phone": "1", "address": "北京"}
SLIPS = [
    ("HD20261126-0007", 1, "booking", "zh-CN"),
    ("HD20261127-0112", 2, "change", "zh-CN"),
    ("HD20261127-0031", 1, "booking", "en"),
    ("HD20261128-0450", 3, "cancel", "zh-CN"),
    ("HD20261129-0903", 1, "cancel", "en"),
    ("HD20261130-1207", 4, "change", "en"),
]


def render_bases(folder: Path) -> list[tuple[SlipCode, np.ndarray]]:
    out = []
    with PdfConverter() as conv:
        for no, rev, kind, locale in SLIPS:
            order = {
                "order_no": no,
                "hotel": "BJHY",
                "room_type": "高级大床房",
                "rooms": 1,
                "check_in": date(2026, 12, 1),
                "check_out": date(2026, 12, 3),
                "guests": ("张三",),
                "rate": Decimal(680),
            }
            ctx = slip_context(kind, order, None, COMPANY, None, datetime(2026, 11, 26, 9), locale, revision=rev)
            docx = folder / f"{no}.docx"
            docx.write_bytes(render_docx(default_template(f"{kind}_slip", locale), ctx))
            conv.to_pdf(docx, folder / f"{no}.pdf")
            tif = pdf_to_tiff(folder / f"{no}.pdf", folder / f"{no}.tif")
            pages = [np.asarray(f.convert("L")).copy() for f in ImageSequence.Iterator(Image.open(tif))]
            # a change slip runs to two pages: the hotel fills in and faxes back the one with the reply panel
            page = next(p for p in pages if find_code(p)[1] is not None)
            out.append((SlipCode(no, rev, kind), page))
    return out


def other_agency_page(rng: random.Random) -> np.ndarray:
    from PIL import ImageDraw, ImageFont

    from hoteldesk.documents.qr import FONT

    pil = Image.new("L", (1728, 2292), 255)
    d = ImageDraw.Draw(pil)
    font = ImageFont.truetype(FONT, 44)
    for i, line in enumerate(["某某旅行社 预订确认", f"订单 TA{rng.randint(100000, 999999)} 已确认", "确认号 77881"]):
        d.text((200, 300 + 90 * i), line, fill=0, font=font)
    return np.asarray(pil).copy()


@dataclass(frozen=True, slots=True)
class Case:
    """One generated page and what is really on it."""

    i: int
    tif: bytes
    code: SlipCode | None  # None: a cover, blank or another agency's page
    ticks: tuple[int, ...] = ()
    number: str = ""
    hand: str = ""
    damage: str = ""  # the damage, for the failure listing


def make_cases(bases: list[tuple[SlipCode, np.ndarray]], n: int, seed: int = 17) -> Iterator[Case]:
    """The benchmark's pages, drawn from seed 17 (the same pages run after run, change after change); the
    confidence bar is calibrated on pages from another seed, so it is not fitted to the pages it is judged on."""
    rng = random.Random(seed)
    for i in range(n):
        code, base = bases[i % len(bases)]
        extra = rng.random()
        damage = Damage(
            angle=rng.uniform(-3, 3),
            scale=rng.uniform(0.95, 1.03),
            speckle=rng.choice((0.0, 0.0005, 0.001, 0.003)),
            streaks=rng.choice((0, 0, 1, 3)),
            standard=rng.random() < 0.7,
            second_generation=rng.random() < 0.15,
            upside_down=rng.random() < 0.05,
            seed=i,
        )
        what = (
            f"{damage.angle:+.1f}° ×{damage.scale:.2f} speckle {damage.speckle} streaks {damage.streaks} "
            f"{'standard' if damage.standard else 'fine'}{' 2nd-gen' if damage.second_generation else ''}"
            f"{' upside-down' if damage.upside_down else ''}"
        )
        if extra < 0.03:  # a cover page, a blank page or another agency's page: never applied
            page = (cover_page(), blank_page(), other_agency_page(rng))[i % 3]
            yield Case(i, to_tiff([damage_page(page, damage)], standard=damage.standard), None, damage=what)
            continue
        boxes = len(BOXES[code.kind])
        r = rng.random()
        ticks = (rng.randrange(boxes),) if r < 0.9 else ((0, boxes - 1) if r < 0.95 else ())
        hand = rng.choices(("typed", "stamped", "handwritten"), (0.45, 0.35, 0.2))[0]
        style = STYLES[i % len(bases) % len(STYLES)]  # each hotel writes its own kind of number
        number = fax_number(rng, style)
        page = damage_page(fill_page(base, code.kind, Fill(ticks, number, hand), rng), damage)
        yield Case(i, to_tiff([page], standard=damage.standard), code, ticks, number, hand, what)


def save_cases(cases: Iterator[Case], folder: Path) -> Iterator[Case]:
    """Each case also written to ``folder`` (the TIFF and a line of truth), to be read again with --load."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "cases.jsonl").open("w", encoding="utf-8") as listing:
        for c in cases:
            (folder / f"p{c.i:05d}.tif").write_bytes(c.tif)
            code = [c.code.order_no, c.code.revision, c.code.kind] if c.code else None
            truth = {"i": c.i, "code": code, "ticks": c.ticks, "number": c.number, "hand": c.hand, "damage": c.damage}
            listing.write(json.dumps(truth, ensure_ascii=False) + "\n")
            yield c


def load_cases(folder: Path, n: int) -> Iterator[Case]:
    for line in (folder / "cases.jsonl").read_text(encoding="utf-8").splitlines()[:n]:
        t = json.loads(line)
        code = SlipCode(t["code"][0], t["code"][1], t["code"][2]) if t["code"] else None
        tif = (folder / f"p{t['i']:05d}.tif").read_bytes()
        yield Case(t["i"], tif, code, tuple(t["ticks"]), t["number"], t["hand"], t["damage"])


def _numbers(known: list[str]) -> Callable[[SlipCode], Sequence[str]]:
    return lambda _code: known


CONF_BARS = (0, 60, 70, 75, 80, 85, 90)
LEAD_BARS = (0, 10, 20, 30, 40, 50, 60)


def calibrate(bases: list[tuple[SlipCode, np.ndarray]], n: int) -> None:
    """The confidence bars' curve on pages the benchmark never sees (seed 2026, other earlier numbers):
    per pair of bars (character confidence × lead over the best rival), the share of typed/stamped numbers
    that would be applied and how many of them wrongly, and whether a handwritten one would pass. The
    shipped bars must sit above the last wrong read, with margin."""
    history = random.Random(2)
    earlier = [[fax_number(history, STYLES[b % len(STYLES)]) for _ in range(20)] for b in range(len(bases))]
    read: list[tuple[str, str, PageReading]] = []  # (hand, truth, reading)
    for case in make_cases(bases, n, seed=2026):
        if case.code is None or not case.number:
            continue
        known = earlier[case.i % len(bases)]
        [r] = read_fax(case.tif, "x.tif", ocr_pages=False, earlier=_numbers(known))
        if r.code == case.code and r.number and (case.hand == "handwritten" or plausible(r.number, known)):
            read.append((case.hand, case.number, r))
    typed = sum(h != "handwritten" and not r.handwritten for h, _, r in read)
    print(f"--- calibration on {n} pages of seed 2026: typed/stamped numbers read and plausible: {typed} ---")
    print("applied % / wrong (handwritten passing) — rows: confidence bar, columns: lead bar " + str(LEAD_BARS))
    for cb in CONF_BARS:
        cells = []
        for lb in LEAD_BARS:
            sure = [(h, t, r) for h, t, r in read if r.number_conf >= cb and r.number_lead >= lb]
            passed = [(h, t, r) for h, t, r in sure if not r.handwritten]
            wrong = sum(r.number != t for h, t, r in passed if h != "handwritten")
            hand = sum(h == "handwritten" for h, _, _ in passed)
            cells.append(f"{100 * (len(passed) - hand) / max(typed, 1):5.1f}/{wrong}" + (f"({hand})" if hand else ""))
        print(f"conf ≥ {cb:>2}: " + "  ".join(cells))
    wrong_reads = [r for h, t, r in read if r.number != t and not r.handwritten]
    top = max((r.number_lead for r in wrong_reads if r.number_conf >= MIN_NUMBER_CONF), default=0.0)
    print(
        f"wrong reads: {len(wrong_reads)}; highest lead of a wrong read at conf ≥ {MIN_NUMBER_CONF:.0f}: {top:.0f}; "
        f"shipped bars conf ≥ {MIN_NUMBER_CONF:.0f}, lead ≥ {MIN_NUMBER_LEAD:.0f} (margin {MIN_NUMBER_LEAD - top:+.0f})"
    )


def main(
    n: int,
    rapidocr: str | None,
    *,
    save: Path | None,
    load: Path | None,
    dump: Path | None,
    cal: int = 0,
    skip: int = 0,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if load is not None:
            cases = load_cases(load, n)
            n_bases = int(json.loads((load / "meta.json").read_text())["bases"])
        else:
            t0 = time.perf_counter()
            bases = render_bases(folder)
            print(f"rendered {len(bases)} real slips in {time.perf_counter() - t0:.1f} s")
            cases = make_cases(bases, n)
            n_bases = len(bases)
            if save is not None:
                cases = save_cases(cases, save)
                save.mkdir(parents=True, exist_ok=True)
                (save / "meta.json").write_text(json.dumps({"bases": n_bases}))
        if dump is not None:
            dump.mkdir(parents=True, exist_ok=True)
        stats = {"pages": 0, "qr_pages": 0, "qr_ok": 0, "tick_ok": 0, "tick_n": 0, "num_n": 0, "num_ok": 0}
        stats |= {"applied": 0, "wrong": 0, "hand": 0, "hand_applied": 0, "extra": 0, "extra_applied": 0}
        seconds: list[float] = []
        history = random.Random(1)  # the hotels' earlier confirmation numbers, as Bookings.xlsx holds them
        earlier = [[fax_number(history, STYLES[b % len(STYLES)]) for _ in range(20)] for b in range(n_bases)]
        crops: list[tuple[str, str, str]] = []  # (png path, truth, tesseract)
        for case in cases:
            i = case.i
            if i < skip:  # made (the pages are drawn in sequence) but read by another run: --skip splits the work
                continue
            if i > skip and i % 100 == 0:
                report(stats, seconds, f"after {i} pages")
            known = earlier[i % n_bases]
            t = time.perf_counter()
            readings = read_fax(case.tif, "x.tif", ocr_pages=False, earlier=_numbers(known))
            seconds.append(time.perf_counter() - t)
            if case.code is None:
                stats["extra"] += 1
                stats["extra_applied"] += sum(1 for r in readings if r.code is not None and r.answer)
                continue
            code, ticks, number, hand = case.code, case.ticks, case.number, case.hand
            [reading] = readings
            stats["pages"] += 1
            stats["qr_ok"] += reading.code == code
            if reading.code != code:
                print(f"  QR not read: page {i} ({case.damage})")
                if dump is not None:
                    (dump / f"qr_p{i:05d}.png").write_bytes(reading.page_png)
                continue
            stats["tick_n"] += 1
            stats["tick_ok"] += reading.ticked == ticks and not reading.unsure
            answer = BOXES[code.kind][ticks[0]] if len(ticks) == 1 else ""
            if hand != "handwritten":
                stats["num_n"] += 1
                stats["num_ok"] += reading.number == number
                if reading.number != number and dump is not None:
                    name = f"num_p{i:05d}_{hand}_{number}_{reading.number or 'NONE'}.png"
                    (dump / name).write_bytes(reading.number_png)
                if len(crops) < 100:
                    png = folder / f"n{i}.png"
                    png.write_bytes(reading.number_png)
                    crops.append((str(png), number, reading.number))
            else:
                stats["hand"] += 1
            certain = bool(reading.answer) and certain_number(reading, known)
            if reading.answer in ("full", "denied", "refused"):
                certain = bool(reading.answer)
            if certain:
                stats["applied"] += 1
                right = reading.answer == answer and (
                    reading.answer in ("full", "denied", "refused") or reading.number == number
                )
                stats["wrong"] += not right
                if not right:
                    print(
                        f"  WRONG page {i}: {hand} {number} ticks {ticks} "
                        f"read {reading.answer} {reading.number} ({reading.number_conf:.0f})"
                    )
                stats["hand_applied"] += hand == "handwritten" and reading.answer in ("confirmed", "cancelled")
        if seconds:
            report(stats, seconds, f"pages {skip}-{n - 1}")
        if cal:
            calibrate(bases if load is None else render_bases(folder), cal)
        if rapidocr:
            compare_rapidocr(rapidocr, crops, folder)


def report(stats: dict[str, int], seconds: list[float], title: str) -> None:
    def pct(a: int, b: int) -> float:
        return 100.0 * a / b if b else 0.0

    print(f"--- {title} ---")
    if not title.startswith("after"):  # the raw counts, so runs split with --skip can be added up
        print("counts: " + json.dumps(stats | {"seconds": [round(x, 4) for x in seconds]}))
    print(f"pages with a filled-in slip: {stats['pages']}; cover/blank/other pages: {stats['extra']}")
    print(f"QR decode rate:            {pct(stats['qr_ok'], stats['pages']):.2f} %  (target ≥ 99.5 %)")
    print(f"tick accuracy:             {pct(stats['tick_ok'], stats['tick_n']):.2f} %  (target ≥ 99 %)")
    print(f"typed/stamped 确认号 exact: {pct(stats['num_ok'], stats['num_n']):.2f} %  (Tesseract; target ≥ 95 %)")
    print(f"applied automatically:     {pct(stats['applied'], stats['pages']):.1f} % of pages")
    print(
        f"applied wrongly:           {stats['wrong']} (target 0); handwritten numbers applied: "
        f"{stats['hand_applied']}; cover/blank/other applied: {stats['extra_applied']}"
    )
    print(
        f"seconds per page:          mean {statistics.mean(seconds):.3f}, p50 {statistics.median(seconds):.3f}, "
        f"p95 {sorted(seconds)[int(0.95 * len(seconds))]:.3f}  (target ≤ 1 s)",
        flush=True,
    )


RAPID = """
import json, sys, time
from rapidocr_onnxruntime import RapidOCR
eng = RapidOCR()
out = []
t = time.perf_counter()
for path in json.load(open(sys.argv[1])):
    res, _ = eng(path)
    out.append("".join(r[1] for r in res or []).replace(" ", "").upper())
print(json.dumps({"texts": out, "seconds": time.perf_counter() - t}))
"""


def compare_rapidocr(python: str, crops: list[tuple[str, str, str]], folder: Path) -> None:
    listing = folder / "crops.json"
    listing.write_text(json.dumps([c[0] for c in crops]))
    res = subprocess.run([python, "-c", RAPID, str(listing)], capture_output=True, text=True, timeout=1800)
    if res.returncode != 0:
        print(f"RapidOCR comparison failed: {res.stderr[-300:]}")
        return
    data = json.loads(res.stdout.strip().splitlines()[-1])
    rapid = sum(t == c[1] for t, c in zip(data["texts"], crops, strict=True))
    tess = sum(c[2] == c[1] for c in crops)
    n = len(crops)
    print(
        f"OCR on the same {n} typed/stamped number crops: Tesseract {100 * tess / n:.1f} % exact, "
        f"RapidOCR {100 * rapid / n:.1f} % exact ({data['seconds'] / n:.3f} s per crop)"
    )


def _option(args: list[str], name: str) -> str | None:
    if name not in args:
        return None
    i = args.index(name)
    value = args[i + 1]
    del args[i : i + 2]
    return value


if __name__ == "__main__":
    args = sys.argv[1:]
    rapid = _option(args, "--rapidocr")
    save, load, dump = (_option(args, o) for o in ("--save", "--load", "--dump"))
    cal, skip = _option(args, "--calibrate"), _option(args, "--skip")
    main(
        int(args[0]) if args else 1000,
        rapid,
        save=Path(save) if save else None,
        load=Path(load) if load else None,
        dump=Path(dump) if dump else None,
        cal=int(cal or 0),
        skip=int(skip or 0),
    )
