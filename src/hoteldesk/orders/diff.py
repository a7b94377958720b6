"""What changed in Bookings.xlsx since the last snapshot (B2): new orders, changed fields, deletions, duplicates.

Change detection works on the raw cells python-calamine returns: each row gets a hash of
every cell except the columns hoteldesk writes itself (问题, 确认时限, 底价), and only
rows whose hash moved — plus the open orders the checks need — are parsed into typed
records. That keeps a 100k-row workbook with a few edits close to the cost of reading it.
"""

from __future__ import annotations

import hashlib
import itertools
import operator
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from defusedxml import ElementTree

from hoteldesk.errors import WorkbookFormatError, WorkbookSchemaError
from hoteldesk.journal import Journal, dumps, loads
from hoteldesk.workbooks.reader import CellProblem, Row, _text, find_columns, find_sheet, open_workbook, parse_grid
from hoteldesk.workbooks.schema import ORDERS

#: Columns hoteldesk writes itself: a change there is never a staff change and never routed.
OWN_FIELDS = frozenset({"problems", "confirm_by", "floor_price"})

#: Fields the hotel cares about: a change to one of them on a sent order goes out as a change slip (变更单).
HOTEL_FIELDS = ("hotel", "room_type", "rooms", "check_in", "check_out", "guests", "rate", "requests")

#: Statuses typed in either locale that end an order's life: such rows are not re-checked unless edited.
CLOSED_TEXT = frozenset({"已取消", "cancelled", "已入住", "stayed", "no-show", "Cancelled", "Stayed", "NO-SHOW"})


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


@dataclass(slots=True)
class OrderScan:
    """One read of the 订单 sheet: a hash per row, typed records for the rows that matter."""

    path: Path
    sheet: str
    header_row: int
    columns: dict[str, int]
    keys: list[tuple[str | None, int, str]] = field(default_factory=list)  # (order no. or None, row, hash)
    rows: dict[int, Row] = field(default_factory=dict)  # row number → typed row (parsed rows only)
    problems: list[CellProblem] = field(default_factory=list)
    archived: set[str] = field(default_factory=set)  # closed orders first seen: snapshotted, not checked


#: Receives closed orders seen for the first time (history), parsed chunk by chunk, to snapshot them.
ArchiveSink = Callable[[list[tuple[str, str, Row]]], None]


def _parse(
    path: Path, sheet: str, header: list[Any], raws: list[list[Any]], nums: list[int]
) -> tuple[list[Row], list[CellProblem]]:
    data = parse_grid(path, sheet, ORDERS, [header, *raws])
    for row, num in zip(data.rows, nums, strict=True):
        row.num = num
    problems = [CellProblem(p.file, p.sheet, nums[p.row - 2], p.column, p.field, p.value, p.why) for p in data.problems]
    return data.rows, problems


def _open_orders(book: Any, path: Path) -> tuple[str, Iterator[Any], list[list[Any]], int, dict[str, int]]:
    """The 订单 sheet's name, its row iterator, its first rows, the header's index among them, and the
    columns found there (the header may be any of the first five rows)."""
    name = find_sheet(book, path, ORDERS)
    try:
        sheet = book.get_sheet_by_name(name)
        it = iter(sheet.iter_rows())
    except Exception as exc:  # calamine raises several unrelated types
        raise WorkbookFormatError(f"{path} › {name}: cannot be read ({exc})") from exc
    head: list[list[Any]] = []
    for raw in it:
        head.append(list(raw))
        if len(head) == 5:
            break
    best, columns = 0, dict[str, int]()
    for i, raw in enumerate(head):
        cols, _ = find_columns(raw, ORDERS)
        if len(cols) > len(columns):
            best, columns = i, cols
    if "order_no" not in columns or "status" not in columns:
        raise WorkbookSchemaError(
            f"{path} › {name}: no 订单号 (Order No.) or 状态 (Status) column — add the header in row {best + 1}"
        )
    return name, it, head, best, columns


class _History:
    """Closed orders seen for the first time: parsed chunk by chunk and handed to the archive sink."""

    def __init__(self, path: Path, sheet: str, header: list[Any], sink: ArchiveSink | None) -> None:
        self.path, self.sheet, self.header, self.sink = path, sheet, header, sink
        self.raws: list[list[Any]] = []
        self.keys: list[tuple[str, str, int]] = []

    def add(self, raw: list[Any], no: str, h: str, num: int) -> None:
        self.raws.append(raw)
        self.keys.append((no, h, num))

    def flush(self) -> None:
        if self.sink is None or not self.raws:
            return
        rows, problems = _parse(self.path, self.sheet, self.header, self.raws, [n for _no, _h, n in self.keys])
        self.sink([(no, h, row) for (no, h, _n), row in zip(self.keys, rows, strict=True)])
        del problems  # history is not re-judged
        self.raws.clear()
        self.keys.clear()


def scan_orders(
    path: Path, previous: Mapping[str, str], *, archive: ArchiveSink | None = None, chunk: int = 5000
) -> OrderScan:
    """Read the 订单 sheet; parse the rows that matter: unnumbered, open, or changed vs ``previous`` hashes.

    A closed order (已取消, 已入住, NO-SHOW) not in ``previous`` is history seen for the first time:
    with ``archive`` it is parsed in chunks and handed over (order no., hash, row) instead of being
    kept, so the first look at a 100k-row workbook does not hold 100k records in memory.
    """
    book = open_workbook(path)
    try:
        name, it, head, best, columns = _open_orders(book, path)
        scan = OrderScan(path, name, best + 1, columns)
        own = {columns[k] for k in OWN_FIELDS if k in columns}
        c_no, c_status = columns["order_no"], columns["status"]
        header = head[best]
        keep: list[list[Any]] = []
        nums: list[int] = []
        history = _History(path, name, header, archive)
        width = len(header)
        hashed = [i for i in range(width) if i not in own]
        pick = operator.itemgetter(*hashed) if len(hashed) > 1 else None
        closed_text = CLOSED_TEXT
        blake = hashlib.blake2b
        keys = scan.keys
        # One loop, no call per row: this is the hot path of change detection (about a second per 100k rows).
        for num, raw in enumerate(itertools.chain(head[best + 1 :], it), start=best + 2):
            n_cells = len(raw)
            no_raw = raw[c_no] if c_no < n_cells else ""
            if no_raw == "" or no_raw is None:
                if not any(v != "" and v is not None for v in raw):
                    continue  # an empty row
                no = None
            else:
                no = no_raw.strip() or None if isinstance(no_raw, str) else _text(no_raw)
            if pick is not None and n_cells == width:
                cells: Any = pick(raw)
            else:
                cells = [v for i, v in enumerate(raw) if i not in own]
            h = blake(repr(cells).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
            keys.append((no, num, h))
            st = raw[c_status] if c_status < n_cells else ""
            closed = st in closed_text or (isinstance(st, str) and st.strip().casefold() in closed_text)
            before = previous.get(no) if no is not None else None
            if no is not None and closed and before is None and archive is not None:
                history.add(raw if isinstance(raw, list) else list(raw), no, h, num)
                if len(history.raws) >= chunk:
                    history.flush()
            elif no is None or not closed or before != h:
                keep.append(raw if isinstance(raw, list) else list(raw))
                nums.append(num)
        history.flush()
    finally:
        book.close()
    rows, scan.problems = _parse(path, name, header, keep, nums)
    scan.rows = {r.num: r for r in rows}
    scan.archived = {no for no, _n, _h in scan.keys if no is not None and no not in previous} - {
        str(r.values.get("order_no")) for r in rows
    }
    return scan


# -- snapshots (incremental: a 100k-row sheet with three edits writes three rows) -------------------


def snapshot_hashes(journal: Journal, workbook: str, sheet: str) -> dict[str, tuple[str, int]]:
    """Last snapshot: order no. → (row hash, row number); values are loaded only when needed."""
    cur = journal.db.cursor()
    cur.row_factory = None  # plain tuples: sqlite3.Row costs a second on 100k rows
    cur.execute("SELECT row_id, row_hash, row_num FROM snapshots WHERE workbook=? AND sheet=?", (workbook, sheet))
    return {rid: (h, n) for rid, h, n in cur}


def snapshot_values(journal: Journal, workbook: str, sheet: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    ids = list(ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for r in journal.db.execute(
            f"SELECT row_id, row_json FROM snapshots WHERE workbook=? AND sheet=? AND row_id IN ({marks})",
            (workbook, sheet, *chunk),
        ):
            out[str(r[0])] = loads(r[1])
    return out


def update_snapshot(
    journal: Journal,
    workbook: str,
    sheet: str,
    *,
    upserts: Iterable[tuple[str, str, Mapping[str, Any], int]],
    deletes: Iterable[str],
    moved: Iterable[tuple[str, int]],
    at: datetime,
) -> None:
    """Store changed rows (id, hash, values, row), drop deleted ones, renumber moved ones — one transaction."""
    stamp = at.isoformat()
    with journal.transaction() as db:
        db.executemany(
            "INSERT OR REPLACE INTO snapshots VALUES (?,?,?,?,?,?,?)",
            ((workbook, sheet, rid, h, dumps(dict(v)), n, stamp) for rid, h, v, n in upserts),
        )
        db.executemany(
            "DELETE FROM snapshots WHERE workbook=? AND sheet=? AND row_id=?",
            ((workbook, sheet, rid) for rid in deletes),
        )
        db.executemany(
            "UPDATE snapshots SET row_num=? WHERE workbook=? AND sheet=? AND row_id=?",
            ((n, workbook, sheet, rid) for rid, n in moved),
        )


# -- field level ------------------------------------------------------------------------------------


def _blankish(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, list | tuple) and not v)


def _same(a: Any, b: Any) -> bool:
    if _blankish(a) and _blankish(b):
        return True
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return list(a) == list(b)
    return type(a) is type(b) and bool(a == b)


def field_changes(old: Mapping[str, Any], new: Mapping[str, Any], keys: Iterable[str]) -> dict[str, tuple[Any, Any]]:
    """Which fields changed, old → new (empty values compare equal)."""
    return {k: (old.get(k), new.get(k)) for k in keys if not _same(old.get(k), new.get(k))}


def staff_fields() -> list[str]:
    """Schema fields a person edits (everything but the columns hoteldesk writes)."""
    return [f.key for f in ORDERS.fields if f.key not in OWN_FIELDS]


def hotel_values(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in ((k, record.get(k)) for k in HOTEL_FIELDS)}


def hotel_hash(record: Mapping[str, Any]) -> str:
    """Hash of what the hotel was told: a different hash on a sent order means a change slip."""
    return _digest(dumps(hotel_values(record)))


def duplicate_key(record: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """Same guest(s), same hotel, same dates: the same order typed twice."""
    guests = record.get("guests") or ()
    if not guests or not record.get("hotel") or not record.get("check_in"):
        return None
    names = tuple(sorted(" ".join(str(g).split()).casefold() for g in guests))
    return (names, str(record["hotel"]).strip().casefold(), record.get("check_in"), record.get("check_out"))


def find_duplicates(records: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Order no. → the other orders with the same guest, hotel and dates."""
    groups: dict[tuple[Any, ...], list[str]] = {}
    for rec in records:
        key = duplicate_key(rec)
        if key is not None and rec.get("order_no"):
            groups.setdefault(key, []).append(str(rec["order_no"]))
    out: dict[str, list[str]] = {}
    for nos in groups.values():
        if len(nos) > 1:
            for no in nos:
                out[no] = [o for o in nos if o != no]
    return out


_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"


#: The author hoteldesk writes into the workbooks it creates (never a person who changed a row).
HOTELDESK = "hoteldesk"


def last_modified_by(path: Path) -> str:
    """Who saved the workbook last (docProps/core.xml lastModifiedBy); '' when unknown."""
    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read("docProps/core.xml")
        root = ElementTree.fromstring(xml)
    except (KeyError, OSError, zipfile.BadZipFile, ElementTree.ParseError):
        return ""
    node = root.find(f"{_CP}lastModifiedBy")
    return (node.text or "").strip() if node is not None else ""


@dataclass(frozen=True, slots=True)
class DeletedRow:
    """An order whose row was deleted from the workbook (never a cancellation): a person decides."""

    order_no: str
    at: datetime
    who: str
    values: dict[str, Any]  # the row as it was, to restore it

    def deleter(self, locale: str) -> str:
        """Who deleted the row: the workbook's last modifier, or 未知 — never hoteldesk, which deletes no
        row (a workbook ``init`` made keeps its author until a person's Excel saves it; QA stop 7 §2)."""
        who = self.who.strip()
        if who and who != HOTELDESK:
            return who
        return "unknown" if locale.startswith("en") else "未知"


def deleted_orders(journal: Journal, workbook: str = "workbooks/Bookings.xlsx") -> list[DeletedRow]:
    """Deleted order rows not restored since, oldest first (for the dashboard's review queue)."""
    rows = journal.db.execute(
        "SELECT row_id, old, at, who FROM change_events WHERE kind='deleted' AND workbook=? "
        "AND row_id NOT IN (SELECT row_id FROM snapshots WHERE workbook=? AND sheet=?) ORDER BY id",
        (workbook, workbook, ORDERS.key),
    )
    out: dict[str, DeletedRow] = {}
    for r in rows:
        values = loads(r[1]) if r[1] else {}
        out[str(r[0])] = DeletedRow(str(r[0]), datetime.fromisoformat(r[2]), str(r[3]), values)
    return list(out.values())
