"""A bounded reader of an OLE2 compound file's directory (MS-CFB), enough to
say what a legacy file is: its stream names and the first bytes of a stream.

LibreOffice opens a compound file's streams by name without regard to case
(a .doc whose stream is "worddocument" opens as Word), so names are given
case-folded. Every chain walked is bounded by the number of sectors the
file can hold, so a damaged or hostile directory (a loop, a sector past the
end) ends the walk instead of hanging it; anything that does not fit the
layout gives None and the caller falls back to a byte search.
"""
from __future__ import annotations

import struct
from typing import BinaryIO

from formkit.values import NamedTuple, compare_by_type

_ENDOFCHAIN = 0xFFFFFFFE
_HEADER_DIFAT = 109
_MAX_ENTRIES = 4096  # directory entries read at most (a Word file has a few dozen)


class Entry(NamedTuple):
    """One directory entry: ``name`` case-folded, ``kind`` 1 storage, 2 stream, 5 root."""

    name: str
    kind: int
    start: int
    size: int


class _File:
    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        stream.seek(0, 2)
        self.length = stream.tell()
        stream.seek(0)
        header = stream.read(512)
        if len(header) < 512:
            raise ValueError("short header")
        shift = struct.unpack_from("<H", header, 0x1E)[0]
        if shift not in (9, 12):
            raise ValueError("sector size")
        self.size = 1 << shift
        self.sectors = max(0, self.length // self.size - 1)
        self.dir_start = struct.unpack_from("<I", header, 0x30)[0]
        self.difat_start, self.difat_count = struct.unpack_from("<II", header, 0x44)
        self.header_difat = struct.unpack_from(f"<{_HEADER_DIFAT}I", header, 0x4C)

    def read(self, sector: int, offset: int, n: int) -> bytes:
        if not 0 <= sector < self.sectors or offset + n > self.size:
            raise ValueError("sector out of range")
        self.stream.seek((sector + 1) * self.size + offset)
        data = self.stream.read(n)
        if len(data) != n:
            raise ValueError("short sector")
        return data

    def fat_sector(self, k: int) -> int:
        """The k-th FAT sector's number, from the header's DIFAT or its chain."""
        if k < _HEADER_DIFAT:
            return int(self.header_difat[k])
        k -= _HEADER_DIFAT
        per = self.size // 4 - 1
        sector = self.difat_start
        for _ in range(min(self.difat_count, self.sectors) + 1):
            if k < per:
                return int(struct.unpack("<I", self.read(sector, 4 * k, 4))[0])
            k -= per
            sector = struct.unpack("<I", self.read(sector, 4 * per, 4))[0]
        raise ValueError("DIFAT chain")

    def next(self, sector: int) -> int:
        per = self.size // 4
        return int(struct.unpack("<I", self.read(self.fat_sector(sector // per), 4 * (sector % per), 4))[0])


def directory(stream: BinaryIO) -> list[Entry] | None:
    """The entries of the compound file open in ``stream``, or None when its
    directory cannot be read (not a compound file, damaged)."""
    try:
        cf = _File(stream)
        out: list[Entry] = []
        sector, seen = cf.dir_start, 0
        while sector != _ENDOFCHAIN and len(out) < _MAX_ENTRIES:
            seen += 1
            if seen > cf.sectors:
                raise ValueError("directory chain loops")
            block = cf.read(sector, 0, cf.size)
            for at in range(0, cf.size, 128):
                out.append(_entry(block[at : at + 128]))
            sector = cf.next(sector)
        return [e for e in out if e.kind in (1, 2, 5)]
    except (ValueError, struct.error, OSError):
        return None


def _entry(raw: bytes) -> Entry:
    length = min(struct.unpack_from("<H", raw, 0x40)[0], 64)
    name = raw[: max(0, length - 2)].decode("utf-16-le", "replace").casefold()
    kind = raw[0x42]
    start, size = struct.unpack_from("<IQ", raw, 0x74)
    return Entry(name, kind, int(start), int(size) & 0xFFFFFFFF)


def stream_head(stream: BinaryIO, entry: Entry, n: int) -> bytes | None:
    """The first ``n`` bytes (within its first sector) of a stream kept in
    regular sectors (4096 bytes or more, as Word's main stream is), or None."""
    if entry.size < 4096 or n > entry.size:
        return None
    try:
        cf = _File(stream)
        return cf.read(entry.start, 0, min(n, cf.size))
    except (ValueError, struct.error, OSError):
        return None


compare_by_type(Entry)
