"""Write-back of 500 cells into a 100k-row Bookings.xlsx: hoteldesk's surgical write-back vs openpyxl.

Each contender runs in its own child process on its own copy of the file; the
parent reads wall time and peak RSS (ru_maxrss of the child). hoteldesk runs as
in real use: it archives the version it replaces (archive/workbooks/). Runs
alternate (hoteldesk, openpyxl, hoteldesk, …) and the median of ``--repeat``
(3) is shown, with the ratios. Targets: ≥10× faster, ≤25 % of openpyxl's peak
memory. Also shown: the physical floor — one inflate of the sheet XML plus one
deflate at the level the write-back uses — and hoteldesk's time as a multiple of it.

    .venv/bin/python bench/bench_writeback.py [--rows 100000] [--cells 500] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hoteldesk.workbooks.schema import ORDERS

CACHE = Path(tempfile.gettempdir()) / "hoteldesk-bench"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕"
HOTELS = [f"{c}{n:03d}" for c in ("BJ", "SH", "GZ", "SZ", "HZ", "CD") for n in range(1, 8)]
ROOMS = ("豪华大床房", "高级双床房", "行政套房", "商务大床房", "标准间")
COMPANIES = ("华为技术有限公司", "中国石油", "阿里巴巴集团", "腾讯科技", "中国银行北京分行", "", "", "")
STATUSES = ("新订", "待发", "已发", "已确认", "已确认", "已确认", "取消", "已入住")


def order(i: int, rnd: random.Random) -> dict[str, Any]:
    booked = datetime(2026, 9, 1, 8) + timedelta(minutes=rnd.randrange(0, 90 * 24 * 60))
    check_in = booked.date() + timedelta(days=rnd.randrange(0, 30))
    name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(("", rnd.choice(GIVEN)))
    rate = Decimal(rnd.randrange(380, 2600)).quantize(Decimal("1")) + Decimal("0.00")
    return {
        "order_no": f"HD{booked:%Y%m%d}-{i:06d}",
        "status": rnd.choice(STATUSES),
        "channel": rnd.choice(("电话", "网上", "集团", "代理")),
        "booked_at": booked,
        "agent": rnd.choice(("李娜", "王芳", "张敏", "刘洋", "陈静", "杨磊")),
        "member_card": f"M{rnd.randrange(10**7, 10**8)}" if rnd.random() < 0.4 else None,
        "booker": name,
        "booker_phone": f"13{rnd.randrange(10**8, 10**9)}",
        "company": rnd.choice(COMPANIES),
        "guests": (name, rnd.choice(SURNAMES) + rnd.choice(GIVEN)) if rnd.random() < 0.3 else (name,),
        "hotel": rnd.choice(HOTELS),
        "room_type": rnd.choice(ROOMS),
        "rooms": rnd.choice((1, 1, 1, 2, 3)),
        "check_in": check_in,
        "check_out": check_in + timedelta(days=rnd.choice((1, 1, 2, 3, 5))),
        "rate": rate,
        "floor_price": (rate * Decimal("0.85")).quantize(Decimal("0.01")),
        "payment": rnd.choice(("前台现付", "代收代付", "月结")),
        "requests": rnd.choice(("", "高楼层", "无烟房", "加床", "")),
        "remarks": rnd.choice(("", "", "VIP 客户", "协议价")),
        "reply_via": rnd.choice(("传真", "电话", "邮件")),
        "urgent_reply": rnd.random() < 0.1,
        "customer_fax": f"010-{rnd.randrange(10**7, 10**8)}",
        "customer_email": f"booker{i}@example.com",
        "hotel_conf_no": f"C{rnd.randrange(10**6, 10**7)}" if rnd.random() < 0.6 else None,
        "confirmed_at": booked + timedelta(minutes=rnd.randrange(5, 300)) if rnd.random() < 0.6 else None,
        "sent_at": booked + timedelta(minutes=rnd.randrange(1, 30)) if rnd.random() < 0.8 else None,
        "confirm_by": booked + timedelta(hours=2),
        "answered_at": None,
        "cancel_no": None,
        "problems": None,
    }


def generate(rows: int) -> Path:
    """A realistic Bookings.xlsx with ``rows`` orders (xlsxwriter constant_memory), cached between runs."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"Bookings-{rows}.xlsx"
    if not path.exists():
        from hoteldesk.workbooks.create import write_workbook

        rnd = random.Random(7)
        write_workbook(path, [(ORDERS, (order(i, rnd) for i in range(1, rows + 1)))])
    return path


def pick_writes(path: Path, cells: int) -> list[tuple[str, str, Any]]:
    """``cells`` (order no., field, value) writes on random existing orders."""
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    ids = [r[0] for r in wb.get_sheet_by_name(wb.sheet_names[0]).to_python()[1:]]
    wb.close()
    rnd = random.Random(11)
    out: list[tuple[str, str, Any]] = []
    for n, oid in enumerate(rnd.sample(ids, cells)):
        kind = n % 4
        if kind == 0:
            out.append((oid, "status", "已发"))
        elif kind == 1:
            out.append((oid, "sent_at", datetime(2026, 11, 26, 14, 30)))
        elif kind == 2:
            out.append((oid, "problems", f"H2: 售价低于底价 ({n})"))
        else:
            out.append((oid, "rate", Decimal("888.00")))
    return out


def child_hoteldesk(path: Path, writes: list[tuple[str, str, Any]]) -> None:
    from hoteldesk.workbooks.writeback import CellWrite, Status, apply_writes

    cw = [CellWrite(f, v, row_id=o) for o, f, v in writes]
    archive = path.parent / "archive" / "workbooks" / "Bookings" / "2026-11-26"  # as flush_pending archives
    result = apply_writes(path, ORDERS, cw, archive_dir=archive, now=datetime(2026, 11, 26, 14, 30))
    assert result.archived is not None and result.archived.stat().st_size > 0
    bad = [o.detail for o in result.outcomes if o.status not in (Status.APPLIED, Status.ALREADY)]
    assert not bad and result.replaced, bad[:5]


def child_openpyxl(path: Path, writes: list[tuple[str, str, Any]]) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb[ORDERS.zh]
    header = [c.value for c in ws[1]]
    col = {f.key: header.index(f.zh) + 1 for f in ORDERS.fields}
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for oid, key, value in writes:
        ws.cell(rows[oid], col[key]).value = float(value) if isinstance(value, Decimal) else value
    wb.save(path)


def run_child(kind: str, src: Path, writes_file: Path) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
    try:
        path = work / "Bookings.xlsx"
        shutil.copy2(src, path)
        out = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(path), str(writes_file)],
            check=True,
            capture_output=True,
            text=True,
        )
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def child_floor(path: Path, writes: list[tuple[str, str, Any]]) -> None:
    """One inflate of the sheet XML and one deflate at the write-back's level: what any rewrite must pay."""
    import zipfile
    import zlib

    from hoteldesk.workbooks.writeback import DEFAULT_LEVEL

    del writes
    with zipfile.ZipFile(path) as zf, zf.open("xl/worksheets/sheet1.xml") as part:
        comp = zlib.compressobj(DEFAULT_LEVEL, zlib.DEFLATED, -15)
        while block := part.read(2 * 1024 * 1024):
            comp.compress(block)
        comp.flush()


def child_main(kind: str, path: Path, writes_file: Path) -> None:
    from hoteldesk.journal import loads

    writes = [tuple(w) for w in loads(writes_file.read_text())]
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    child = {"hoteldesk": child_hoteldesk, "openpyxl": child_openpyxl, "floor": child_floor}[kind]
    child(path, writes)  # type: ignore[arg-type]
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"wall": wall, "peak_mb": peak / 1024, "start_mb": base_rss / 1024}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--cells", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", nargs=3)
    ap.add_argument("--prepare", action="store_true")
    args = ap.parse_args()
    if args.child:
        child_main(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    if args.prepare:
        from hoteldesk.journal import dumps

        src = generate(args.rows)
        (CACHE / "writes.json").write_text(dumps(pick_writes(src, args.cells)))
        return
    # The parent stays small: Linux carries a process's peak RSS across exec into its children.
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, __file__, "--prepare", "--rows", str(args.rows), "--cells", str(args.cells)], check=True
    )
    src = CACHE / f"Bookings-{args.rows}.xlsx"
    writes_file = CACHE / "writes.json"
    size = src.stat().st_size / 1e6
    print(f"workbook: {src} ({size:.1f} MB, {args.rows} rows; ready in {time.perf_counter() - t0:.1f} s)")
    runs: dict[str, list[dict[str, float]]] = {"hoteldesk": [], "openpyxl": [], "floor": []}
    for _ in range(args.repeat):  # A B A B …: a slow moment of the machine hits both alike
        for kind in runs:
            runs[kind].append(run_child(kind, src, writes_file))
    hd, op, fl = (_median(runs[k]) for k in ("hoteldesk", "openpyxl", "floor"))
    print(f"median of {args.repeat} alternating runs each; hoteldesk archives the replaced version as in real use")
    print(f"{'':24}{'hoteldesk':>12}{'openpyxl':>12}{'ratio':>10}")
    print(f"{'wall time (s)':24}{hd['wall']:12.2f}{op['wall']:12.2f}{op['wall'] / hd['wall']:9.1f}×")
    print(f"{'peak RSS (MB)':24}{hd['peak_mb']:12.0f}{op['peak_mb']:12.0f}{100 * hd['peak_mb'] / op['peak_mb']:9.0f}%")
    print(f"{'RSS after imports (MB)':24}{hd['start_mb']:12.0f}{op['start_mb']:12.0f}")
    print(
        f"floor (inflate + deflate of the sheet XML): {fl['wall']:.2f} s; hoteldesk = {hd['wall'] / fl['wall']:.2f}× it"
    )
    print("all runs (s): " + "; ".join(f"{k} " + " ".join(f"{r['wall']:.2f}" for r in v) for k, v in runs.items()))
    fast = op["wall"] / hd["wall"] >= 10
    light = hd["peak_mb"] <= 0.25 * op["peak_mb"]
    print(f"targets: ≥10× faster {'met' if fast else 'MISSED'}; ≤25 % peak memory {'met' if light else 'MISSED'}")


def _median(rs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in rs) for k in rs[0]}


if __name__ == "__main__":
    main()
