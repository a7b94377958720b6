"""End-to-end faxes per second: render (docxtpl) + PDF (LibreOffice) + TIFF G4 (Ghostscript).

Persistent converter (one LibreOffice behind unoserver, hoteldesk.documents.convert.PdfConverter)
against the baseline of one ``soffice --convert-to pdf`` process per document, side by side in one run.
The baseline is slow, so it runs on a sample (``--baseline-sample``, default 15 documents) and is
extrapolated to the full count; the output says so. The three ways (pipelined persistent converter,
persistent converter one step at a time, soffice per document) run in interleaved rounds so that a
busy shared machine weighs on each alike. Target (issue 4): ≥ 4× faster, ≥ 2 faxes/s on 2 cores.

    .venv/bin/python bench/bench_fax.py [--orders 200] [--baseline-sample 15] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from figures import record

from hoteldesk.documents.convert import PdfConverter, convert_batch_soffice
from hoteldesk.documents.faximage import pdf_to_tiff
from hoteldesk.documents.render import render_docx
from hoteldesk.documents.slips import slip_context
from hoteldesk.documents.templates import SLIP_KINDS, default_template

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超"]
ROOMS = ["标准间", "豪华大床房", "商务套房", "行政双床房"]
COMPANY = {
    "name": "示例商旅预订中心",
    "fax": "+86 10 6500 0000",
    "email": "confirm@example.com",
    "phone": "+86 10 6500 0001",
    "address": "北京市朝阳区建国路 1 号",
}
HOTEL = {"name_zh": "北京国际饭店", "fax": "010-6512 9961", "phone": "010-6512 6688", "address": "北京市东城区"}


def make_jobs(n: int, seed: int = 7) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    rnd = random.Random(seed)
    jobs = []
    for i in range(n):
        check_in = date(2026, 11, 27) + timedelta(days=rnd.randrange(30))
        guests = tuple(rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN) for _ in range(rnd.randint(1, 4)))
        order = {
            "order_no": f"HD20261126-{i + 1:04d}",
            "channel": rnd.choice(["电话", "网上", "集团", "代理"]),
            "booked_at": datetime(2026, 11, 26, 8) + timedelta(minutes=3 * i),
            "agent": rnd.choice(["王芳", "李娜", "张伟"]),
            "booker": guests[0],
            "booker_phone": f"138{rnd.randrange(10**8):08d}",
            "company": rnd.choice(["", "北京某某科技有限公司", "上海某某贸易有限公司"]),
            "guests": guests,
            "hotel": "BJ001",
            "room_type": rnd.choice(ROOMS),
            "rooms": rnd.randint(1, 3),
            "check_in": check_in,
            "check_out": check_in + timedelta(days=rnd.randint(1, 4)),
            "rate": Decimal(rnd.randrange(300, 1500)),
            "payment": rnd.choice(["前台现付", "代收代付", "月结"]),
            "requests": rnd.choice(["", "高楼层", "无烟房", "近电梯，需婴儿床"]),
            "remarks": "客人晚到，请保留房间至 22:00。" * rnd.randint(0, 3),
        }
        kind = rnd.choices(["booking", "change", "cancel"], weights=[7, 2, 1])[0]
        changes = {"rooms": [order["rooms"] + 1, order["rooms"]]} if kind == "change" else {}
        jobs.append((kind, order, changes))
    return jobs


def render(job: tuple[str, dict[str, Any], dict[str, Any]], folder: Path) -> Path:
    kind, order, changes = job
    ctx = slip_context(
        kind, order, changes, COMPANY, HOTEL, datetime(2026, 11, 26, 11), "zh-CN", issued_at=datetime(2026, 11, 26, 10)
    )
    docx = folder / f"{order['order_no']}-{kind}.docx"
    docx.write_bytes(render_docx(default_template(SLIP_KINDS[kind], "zh-CN"), ctx))
    return docx


def run_pipeline(jobs: list[Any], folder: Path, conv: PdfConverter) -> float:
    """Seconds for ``jobs`` through a three-stage pipeline: the next slip is rendered and the last PDF
    becomes a TIFF (Ghostscript) while LibreOffice converts — LibreOffice is one process and converts
    one document at a time, so the other core does the rest."""
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1) as renderer, ThreadPoolExecutor(max_workers=1) as gs:
        rendered = [renderer.submit(render, job, folder) for job in jobs]
        pending: list[Future[Path]] = []
        for future in rendered:
            docx = future.result()
            pdf = conv.to_pdf(docx, docx.with_suffix(".pdf"))
            pending.append(gs.submit(pdf_to_tiff, pdf, docx.with_suffix(".tif")))
        for f in pending:
            f.result()
    return time.perf_counter() - t0


def run_sequential(jobs: list[Any], folder: Path, conv: PdfConverter) -> float:
    t0 = time.perf_counter()
    for job in jobs:
        docx = render(job, folder)
        pdf_to_tiff(conv.to_pdf(docx, docx.with_suffix(".pdf")), docx.with_suffix(".tif"))
    return time.perf_counter() - t0


def run_baseline(jobs: list[Any], folder: Path) -> float:
    t0 = time.perf_counter()
    for job in jobs:
        docx = render(job, folder)
        (pdf,) = convert_batch_soffice([docx], folder)
        pdf_to_tiff(pdf, docx.with_suffix(".tif"))
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=200)
    ap.add_argument("--baseline-sample", type=int, default=15)
    ap.add_argument("--rounds", type=int, default=5, help="interleave the measurements in this many rounds")
    args = ap.parse_args()
    jobs = make_jobs(args.orders)
    work = Path(tempfile.mkdtemp(prefix="bench-fax-"))
    for sub in ("p", "s", "b"):
        (work / sub).mkdir()
    # The machine may be shared: the three ways are measured in interleaved rounds so that each sees
    # the same background load, instead of one after the other.
    rounds = max(1, min(args.rounds, args.baseline_sample, args.orders))
    chunks = [jobs[i::rounds] for i in range(rounds)]
    per_round = -(-args.baseline_sample // rounds)
    persistent = seq = base = 0.0
    n_seq = n_base = 0
    try:
        load = os.getloadavg()[0]
        print(f"bench_fax: {args.orders} slips (render + PDF + TIFF G4), {os.cpu_count()} CPU(s), load {load:.1f}")
        with PdfConverter() as conv:
            t0 = time.perf_counter()
            conv.start()
            startup = time.perf_counter() - t0
            for chunk in chunks:
                persistent += run_pipeline(chunk, work / "p", conv)
                sample = chunk[:per_round]
                seq += run_sequential(sample, work / "s", conv)
                n_seq += len(sample)
                base += run_baseline(sample, work / "b")
                n_base += len(sample)
            restarts = conv.restarts
        rate = args.orders / persistent
        rate_cold = args.orders / (persistent + startup)
        base_rate = n_base / base
        tifs = len(list((work / "p").glob("*.tif")))
        print(f"  persistent converter : {rate:6.2f} faxes/s  ({persistent:6.1f} s for {args.orders}, {tifs} TIFFs)")
        print(
            f"    incl. start-up     : {rate_cold:6.2f} faxes/s  (LibreOffice + unoserver start-up {startup:.1f} s, "
            f"{restarts - 1} restarts)"
        )
        print(f"    one step at a time : {n_seq / seq:6.2f} faxes/s  (render, PDF, TIFF in turn; {n_seq} slips)")
        print(
            f"  soffice per document : {base_rate:6.2f} faxes/s  (measured on {n_base} sample slips: {base:.1f} s; "
            f"extrapolated to {args.orders}: {base / n_base * args.orders:.0f} s)"
        )
        print(f"  speed-up             : {rate / base_rate:6.1f}x  (incl. start-up {rate_cold / base_rate:.1f}x)")
        ok = rate / base_rate >= 4 and rate >= 2
        print(f"  target ≥4x and ≥2 faxes/s: {'met' if ok else 'NOT met'}  (load at the end {os.getloadavg()[0]:.1f})")
        record(
            "fax throughput (render + PDF + TIFF)",
            f"{rate:.2f} faxes/s",
            f"{base_rate:.2f} faxes/s soffice",
            f"{rate / base_rate:.1f}×",
            "≥4× and ≥2/s",
            ok,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
