"""Hotels and contracts shared from one drive (issue 16 §3): ``[drive] shared_reference`` in hoteldesk.toml.

The Shanghai office keeps no Contracts.xlsx of its own; its orders are checked against the head office's
contracts (H1 H2 B9), its own RoomStatus.xlsx (B3), and nothing is ever written into the head office's drive.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from hoteldesk.automations.checking import check_orders
from hoteldesk.automations.context import open_context
from hoteldesk.domain.findings import format_problems
from hoteldesk.drive import init_drive
from hoteldesk.errors import ConfigError
from hoteldesk.loop.fingerprint import files_of
from hoteldesk.loop.steps import INPUTS
from hoteldesk.workbooks.check import check_drive
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import ORDERS, WORKBOOKS
from tests.domain.sample import NOW, order, write_drive


def _share(drive: Path, head_office: Path) -> None:
    toml = drive / "hoteldesk.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("[drive]\n", f'[drive]\nshared_reference = "{head_office}"\n', 1), "utf-8")


def _offices(tmp_path: Path, orders: list[dict[str, object]]) -> tuple[Path, Path]:
    hq, sh = tmp_path / "hq-beijing", tmp_path / "office-shanghai"
    init_drive(hq)
    write_drive(hq)  # Contracts.xlsx: BJ001 大床房 at 800, floor price 680
    init_drive(sh)
    write_drive(sh, orders)
    (sh / "workbooks" / "Contracts.xlsx").unlink()  # the office has no contracts of its own
    _share(sh, hq)
    return hq, sh


def test_issue16_H2_B9_orders_at_an_office_are_checked_against_the_head_office_contracts(tmp_path: Path) -> None:
    hq, sh = _offices(tmp_path, [order(rate=Decimal("727.27"))])
    contracts = (hq / "workbooks" / "Contracts.xlsx").read_bytes()
    rows = [r.values for r in read_sheet(sh / "workbooks" / "Bookings.xlsx", ORDERS).rows]
    with open_context(sh, clock=lambda: NOW) as ctx:
        found = check_orders(ctx, rows, set())
    assert format_problems(found["HD20261126-0001"]).splitlines() == [
        "[H2 警告] 利润率 6.5% 低于 10%：请主管核准后再发出",
        "[B9 警告] 房价 727.27 低于合同卖价 800.00：特殊价格，需价格部同意后再答复客户",
    ]
    assert (hq / "workbooks" / "Contracts.xlsx").read_bytes() == contracts  # read, never written
    assert not (sh / "workbooks" / "Contracts.xlsx").exists()


def test_issue16_a_save_of_the_shared_contracts_wakes_the_office_order_step(tmp_path: Path) -> None:
    hq, sh = _offices(tmp_path, [order()])
    with open_context(sh, clock=lambda: NOW) as ctx:
        before = files_of(ctx, INPUTS["orders"])
        shared = hq / "workbooks" / "Contracts.xlsx"
        st = shared.stat()
        os.utime(shared, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # a save, seen by its time
        assert files_of(ctx, INPUTS["orders"]) != before


def test_issue16_an_unreachable_shared_drive_is_named_with_what_to_do(tmp_path: Path) -> None:
    sh = tmp_path / "office-shanghai"
    init_drive(sh)
    _share(sh, tmp_path / "not-mounted")
    with pytest.raises(ConfigError) as caught:
        open_context(sh, clock=lambda: NOW)
    message = str(caught.value)
    assert str(tmp_path / "not-mounted" / "workbooks" / "Contracts.xlsx") in message
    assert "请连接总部共享盘" in message
    assert "删除 shared_reference" in message


def test_issue16_check_of_an_office_reads_the_shared_contracts(tmp_path: Path) -> None:
    _hq, sh = _offices(tmp_path, [order()])
    result = check_drive(sh)
    assert result.errors == []
    assert result.files == len(WORKBOOKS)  # every workbook read, Contracts.xlsx from the head office
