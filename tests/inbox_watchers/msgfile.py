"""Write a small Outlook .msg (an OLE compound file, MS-CFB v3 + MS-OXMSG) for the drop-folder tests.

Only what a real Outlook-saved reply carries that matters here: message class, subject,
plain body, the transport headers (From, Date, Message-ID, Authentication-Results) and
attachments by value. Streams below 4,096 bytes live in the mini stream, as the format
requires; the directory is a sorted right-leaning chain, which is a valid tree.
"""

from __future__ import annotations

import itertools
import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF


@dataclass
class Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[Entry] = field(default_factory=list)
    sid: int = 0
    start: int = END
    right: int = NOSTREAM
    child: int = NOSTREAM


def _key(e: Entry) -> tuple[int, str]:
    return (len(e.name), e.name.upper())


def _flatten(root: Entry) -> list[Entry]:
    out = [root]
    queue = [root]
    while queue:
        node = queue.pop(0)
        kids = sorted(node.children, key=_key)
        for k in kids:
            k.sid = len(out)
            out.append(k)
        for a, b in itertools.pairwise(kids):
            a.right = b.sid
        if kids:
            node.child = kids[0].sid
        queue += kids
    return out


def _dir_entry(e: Entry) -> bytes:
    name = e.name.encode("utf-16-le") + b"\0\0"
    size = len(e.data) if e.kind in (2, 5) else 0  # the root's data is the mini stream
    start = e.start if size else (0 if e.kind == 1 else END)
    return (
        name.ljust(64, b"\0")
        + struct.pack("<HBB", len(name), e.kind, 1)
        + struct.pack("<III", NOSTREAM, e.right, e.child)
        + b"\0" * 16
        + struct.pack("<I", 0)
        + b"\0" * 16
        + struct.pack("<IQ", start, size)
    )


def compound_file(root_children: list[Entry]) -> bytes:
    root = Entry("Root Entry", 5, children=root_children)
    entries = _flatten(root)
    # mini stream for small streams
    mini = bytearray()
    minifat: list[int] = []
    big: list[Entry] = []
    for e in entries:
        if e.kind != 2 or not e.data:
            continue
        if len(e.data) < CUTOFF:
            e.start = len(minifat)
            n = -(-len(e.data) // MINI)
            minifat += [len(minifat) + i + 1 for i in range(n - 1)] + [END]
            mini += e.data.ljust(n * MINI, b"\0")
        else:
            big.append(e)
    root.data = bytes(mini)
    sectors: list[bytes] = []
    fat: list[int] = []

    def put(data: bytes) -> int:
        if not data:
            return END
        first = len(sectors)
        n = -(-len(data) // SECTOR)
        for i in range(n):
            sectors.append(data[i * SECTOR : (i + 1) * SECTOR].ljust(SECTOR, b"\0"))
            fat.append(first + i + 1 if i < n - 1 else END)
        return first

    for e in big:
        e.start = put(e.data)
    root.start = put(root.data)
    minifat_bytes = b"".join(struct.pack("<I", v) for v in minifat)
    minifat_start = put(minifat_bytes.ljust(-(-len(minifat_bytes) // SECTOR) * SECTOR, b"\xff"))
    n_minifat = -(-len(minifat_bytes) // SECTOR)
    dir_bytes = b"".join(_dir_entry(e) for e in entries)
    dir_bytes = dir_bytes.ljust(-(-len(dir_bytes) // SECTOR) * SECTOR, b"\0")
    # unused directory slots must be empty entries with NOSTREAM siblings
    pad = len(dir_bytes) // 128 - len(entries)
    dir_bytes = (
        dir_bytes[: len(entries) * 128]
        + (b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM) + b"\0" * 52)
        * pad
    )
    dir_start = put(dir_bytes)
    # FAT sectors (they describe themselves too)
    n_fat = 1
    while (len(fat) + n_fat) > n_fat * (SECTOR // 4):
        n_fat += 1
    fat_start = len(sectors)
    fat += [FATSECT] * n_fat
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat).ljust(n_fat * SECTOR, b"\xff")
    for i in range(n_fat):
        sectors.append(fat_bytes[i * SECTOR : (i + 1) * SECTOR])
    difat = [fat_start + i for i in range(n_fat)] + [FREE] * (109 - n_fat)
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack(
            "<IIIIIIIII", 0, n_fat, dir_start, 0, CUTOFF, minifat_start if n_minifat else END, n_minifat, END, 0
        )
        + b"".join(struct.pack("<I", v) for v in difat)
    )
    assert len(header) == SECTOR
    return header + b"".join(sectors)


def _props(entries: list[tuple[int, int, bytes]], header: bytes) -> bytes:
    """__properties_version1.0: the header, then (tag, flags, 8-byte value) entries."""
    out = bytearray(header)
    for tag, flags, value in entries:
        out += struct.pack("<II", tag, flags) + value.ljust(8, b"\0")
    return bytes(out)


def _text(prop: int, value: str) -> tuple[Entry, tuple[int, int, bytes]]:
    data = value.encode("utf-16-le")
    tag = (prop << 16) | 0x001F
    return Entry(f"__substg1.0_{tag:08X}", 2, data), (tag, 6, struct.pack("<II", len(data) + 2, 0))


def outlook_msg(*, subject: str, body: str, headers: str, attachments: list[tuple[str, bytes]] = ()) -> bytes:  # type: ignore[assignment]
    children: list[Entry] = []
    props: list[tuple[int, int, bytes]] = []
    for prop, value in ((0x001A, "IPM.Note"), (0x0037, subject), (0x1000, body), (0x007D, headers)):
        entry, p = _text(prop, value)
        children.append(entry)
        props.append(p)
    for i, (name, data) in enumerate(attachments):
        att_children: list[Entry] = []
        att_props: list[tuple[int, int, bytes]] = [(0x37050003, 6, struct.pack("<I", 1))]  # ATTACH_BY_VALUE
        for prop, value in ((0x3707, name), (0x3704, name[:12])):
            entry, p = _text(prop, value)
            att_children.append(entry)
            att_props.append(p)
        att_children.append(Entry("__substg1.0_37010102", 2, data))
        att_props.append((0x37010102, 6, struct.pack("<II", len(data), 0)))
        att_children.append(Entry("__properties_version1.0", 2, _props(att_props, b"\0" * 8)))
        children.append(Entry(f"__attach_version1.0_#{i:08X}", 1, children=att_children))
    named = [Entry(f"__substg1.0_000{i}0102", 2, b"") for i in (2, 3, 4)]  # GUID, entry, string streams
    children.append(Entry("__nameid_version1.0", 1, children=named))
    n_att = len(attachments)
    header = b"\0" * 8 + struct.pack("<IIII", 0, n_att, 0, n_att) + b"\0" * 8
    children.append(Entry("__properties_version1.0", 2, _props(props, header)))
    return compound_file(children)
