"""Rewrite a zip (an .xlsx) replacing some members and copying every other one byte for byte.

Each untouched member — local header, compressed data, data descriptor — is
copied as the exact bytes it had, in the same order; only offsets in the
central directory move. A replaced member is streamed through deflate with
its original name, timestamps and attributes.
"""

from __future__ import annotations

import struct
import zlib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO

from hoteldesk.errors import WorkbookFormatError

EOCD = struct.Struct("<4s4H2LH")
CDIR = struct.Struct("<4s6H3L5H2L")
LOCAL = struct.Struct("<4s5H3L2H")
EOCD_SIG = b"PK\x05\x06"
CDIR_SIG = b"PK\x01\x02"
LOCAL_SIG = b"PK\x03\x04"
COPY_CHUNK = 1024 * 1024

# A producer writes a member's new content by calling the sink it is given with chunks of bytes.
Producer = Callable[[Callable[[bytes], None]], None]


@dataclass(slots=True)
class Member:
    name: str
    record: bytes  # the central directory record, as it was
    local_offset: int
    method: int
    flags: int


@dataclass(slots=True)
class ZipLayout:
    members: list[Member]  # central directory order
    cd_offset: int
    cd_size: int
    eocd: bytes  # end record including its comment
    size: int

    def member(self, name: str) -> Member | None:
        return next((m for m in self.members if m.name == name), None)


def read_layout(fh: IO[bytes], where: str) -> ZipLayout:
    """Parse the central directory of an open zip file (ZIP64 archives are refused)."""
    fh.seek(0, 2)
    size = fh.tell()
    tail_len = min(size, 65557)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    pos = tail.rfind(EOCD_SIG)
    if pos < 0 or pos + EOCD.size > len(tail):
        raise WorkbookFormatError(f"{where}: the workbook is damaged (no zip directory) — restore it from archive/")
    _, _, _, _, total, cd_size, cd_offset, _ = EOCD.unpack_from(tail, pos)
    if total == 0xFFFF or cd_offset == 0xFFFFFFFF or cd_size == 0xFFFFFFFF:
        raise WorkbookFormatError(f"{where}: ZIP64 workbook (over 4 GB) — too large to update in place")
    fh.seek(cd_offset)
    cd = fh.read(cd_size)
    members: list[Member] = []
    p = 0
    while p + CDIR.size <= len(cd) and cd[p : p + 4] == CDIR_SIG:
        fields = CDIR.unpack_from(cd, p)
        flags, method, csize, usize = fields[3], fields[4], fields[8], fields[9]
        nlen, elen, clen, offset = fields[10], fields[11], fields[12], fields[16]
        if 0xFFFFFFFF in (csize, usize, offset):
            raise WorkbookFormatError(f"{where}: ZIP64 workbook (over 4 GB) — too large to update in place")
        raw_name = cd[p + CDIR.size : p + CDIR.size + nlen]
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437")
        end = p + CDIR.size + nlen + elen + clen
        members.append(Member(name, cd[p:end], offset, method, flags))
        p = end
    if len(members) != total:
        raise WorkbookFormatError(f"{where}: the workbook is damaged (zip directory) — restore it from archive/")
    return ZipLayout(members, cd_offset, cd_size, tail[pos:], size)


def _copy_range(src: IO[bytes], dst: IO[bytes], start: int, end: int) -> None:
    src.seek(start)
    left = end - start
    while left > 0:
        block = src.read(min(COPY_CHUNK, left))
        if not block:
            raise WorkbookFormatError("the workbook is truncated — restore it from archive/")
        dst.write(block)
        left -= len(block)


def _write_member(src: IO[bytes], dst: IO[bytes], m: Member, produce: Producer, level: int) -> bytes:
    """Write a new version of ``m``; return its new central directory record."""
    src.seek(m.local_offset)
    head = src.read(LOCAL.size)
    if head[:4] != LOCAL_SIG:
        raise WorkbookFormatError(f"{m.name}: damaged zip entry — restore the workbook from archive/")
    sig, version, flags, method, mtime, mdate, _, _, _, nlen, elen = LOCAL.unpack(head)
    name_extra = src.read(nlen + elen)
    method = 0 if m.method == 0 else 8
    flags &= ~0x08  # sizes go in the header, no data descriptor
    start = dst.tell()
    dst.write(LOCAL.pack(sig, version, flags, method, mtime, mdate, 0, 0, 0, nlen, elen) + name_extra)
    crc = 0
    usize = 0
    csize = 0
    comp = zlib.compressobj(level, zlib.DEFLATED, -15) if method == 8 else None

    def work(data: bytes) -> None:  # runs on the one deflate thread, chunks in order
        nonlocal crc, usize, csize
        crc = zlib.crc32(data, crc)
        usize += len(data)
        out = comp.compress(data) if comp is not None else data
        if out:
            dst.write(out)
            csize += len(out)

    # zlib releases the GIL: deflate the sheet on a second thread while this one reads and patches.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hoteldesk-deflate") as pool:
        inflight: deque[Future[None]] = deque()

        def sink(data: bytes) -> None:
            if data:
                inflight.append(pool.submit(work, data))
                while len(inflight) > 2:
                    inflight.popleft().result()

        try:
            produce(sink)
        finally:
            while inflight:
                inflight.popleft().result()
    if comp is not None:
        out = comp.flush()
        dst.write(out)
        csize += len(out)
    if usize >= 0xFFFFFFFF or csize >= 0xFFFFFFFF:
        raise WorkbookFormatError(f"{m.name}: the new sheet is over 4 GB — too large")
    end = dst.tell()
    dst.seek(start)
    dst.write(LOCAL.pack(sig, version, flags, method, mtime, mdate, crc, csize, usize, nlen, elen))
    dst.seek(end)
    fields = list(CDIR.unpack_from(m.record))
    fields[3], fields[4], fields[7], fields[8], fields[9], fields[16] = flags, method, crc, csize, usize, start
    return CDIR.pack(*fields) + m.record[CDIR.size :]


def _in_file_order(layout: ZipLayout) -> Iterator[tuple[Member, int]]:
    """Members sorted by where their data starts, with where the next one starts."""
    ordered = sorted(layout.members, key=lambda m: m.local_offset)
    for i, m in enumerate(ordered):
        yield m, ordered[i + 1].local_offset if i + 1 < len(ordered) else layout.cd_offset


def rewrite(src: IO[bytes], dst: IO[bytes], layout: ZipLayout, replace: dict[str, Producer], *, level: int = 6) -> None:
    """Copy ``src`` into ``dst``, streaming new content for the members named in ``replace``."""
    first = min((m.local_offset for m in layout.members), default=layout.cd_offset)
    _copy_range(src, dst, 0, first)  # anything before the first entry (rare, but kept)
    records: dict[int, bytes] = {}
    for m, nxt in _in_file_order(layout):
        produce = replace.get(m.name)
        if produce is None:
            new_offset = dst.tell()
            _copy_range(src, dst, m.local_offset, nxt)
            fields = list(CDIR.unpack_from(m.record))
            fields[16] = new_offset
            records[id(m)] = CDIR.pack(*fields) + m.record[CDIR.size :]
        else:
            records[id(m)] = _write_member(src, dst, m, produce, level)
    cd_offset = dst.tell()
    cd = b"".join(records[id(m)] for m in layout.members)
    dst.write(cd)
    sig, disk, cd_disk, n_disk, n_total, _, _, clen = EOCD.unpack_from(layout.eocd)
    if cd_offset >= 0xFFFFFFFF:
        raise WorkbookFormatError("the new workbook is over 4 GB — too large")
    dst.write(EOCD.pack(sig, disk, cd_disk, n_disk, n_total, len(cd), cd_offset, clen) + layout.eocd[EOCD.size :])
