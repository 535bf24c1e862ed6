"""The ZIP container of a package (ECMA-376 Part 2, §10.2 and Annex C; PKWARE
APPNOTE 6.3), read without trusting it.

Before anything is inflated, the directory is checked against
:class:`Limits`: the entry count from the end record (before zipfile builds
one object per entry), each declared size, the total and the compression
ratio. Every read is bounded by the size its header declared, so neither a
zip bomb nor a header that lies about its size is expanded. Used for .docx
packages (:mod:`formkit.docx.package`), ODF copies (:mod:`formkit.office.unlink`)
and workbooks (:mod:`formkit.fill.xlsx`).
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import BinaryIO
from urllib.parse import unquote

from formkit.docx.sniff import file_error
from formkit.files import MiB, size_text
from formkit.values import NamedTuple, compare_by_type

_CHUNK = 256 * 1024


def part_key(part: str) -> str:
    """Comparison key of a part name or ZIP item name (§9.1.1, §10.2.4): no
    leading slash, percent-escapes decoded, case folded."""
    return unquote(part.replace("\\", "/").lstrip("/")).lower()


class Limits(NamedTuple):
    """Resource limits for one input, all checked before anything is inflated."""

    max_file_bytes: int = 100 * MiB  # whole input file (os.stat, before reading)
    max_members: int = 2000  # ZIP entries
    max_member_bytes: int = 64 * MiB  # declared uncompressed size of one member
    max_total_bytes: int = 256 * MiB  # sum of declared uncompressed sizes
    max_ratio: int = 200  # uncompressed/compressed, for members over 1 MiB


CONVERTED_FLOOR = 16 * MiB  # what LibreOffice's output of any file may unpack to, at least


def converted_limits(input_bytes: int, base: Limits = Limits()) -> Limits:
    """The limits for LibreOffice's own .docx output of a file of
    ``input_bytes``. LibreOffice compresses what it writes far beyond 200:1
    (an embedded PDF or picture data it expands), so its output is not held
    to the ratio meant for returned files; it is bounded by the file that
    was sent instead: all its parts together may unpack to ``max_ratio``
    times that file's size (at least :data:`CONVERTED_FLOOR`, at most the
    usual ``max_total_bytes``), and no part to more than that."""
    total = min(base.max_total_bytes, max(CONVERTED_FLOOR, base.max_ratio * max(input_bytes, 0)))
    return Limits(base.max_file_bytes, base.max_members, min(base.max_member_bytes, total), total,
                  max_ratio=2**62)



def directory_size(stream: BinaryIO) -> tuple[int, int] | None:
    """(entry count, directory bytes) from the end-of-central-directory record
    (or its ZIP64 form), read before zipfile builds one object per entry: a
    100 MB file could otherwise declare millions of entries."""
    end = stream.seek(0, io.SEEK_END)
    stream.seek(max(0, end - 22 - 0xFFFF))
    tail = stream.read()
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or len(tail) - pos < 22:
        return None  # zipfile will say it is not a zip
    count, cd_size = struct.unpack("<HI", tail[pos + 10 : pos + 16])
    locator = tail[max(0, pos - 20) : pos]
    if (count == 0xFFFF or cd_size == 0xFFFFFFFF) and locator[:4] == b"PK\x06\x07":
        stream.seek(struct.unpack("<Q", locator[8:16])[0])
        record = stream.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) == 56:
            count, cd_size = struct.unpack("<QQ", record[32:48])
    return int(count), int(cd_size)


def directory_names(stream: BinaryIO) -> bytes | None:
    """The raw central directory (APPNOTE 4.3.12), where zipfile finds it: right
    before the end record; None for a ZIP64 or unusual archive (ask zipfile
    then). Its bytes hold every member name as stored, so a name missing from
    them is missing from the zip: a cheap "no such member" before zipfile
    builds one object per entry."""
    end = stream.seek(0, io.SEEK_END)
    start = max(0, end - 22 - 0xFFFF)
    stream.seek(start)
    tail = stream.read()
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or len(tail) - pos < 22:
        return None
    count, cd_size = struct.unpack("<HI", tail[pos + 10 : pos + 16])
    if count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_size > pos:
        return None  # ZIP64, or a directory longer than the tail read
    directory = tail[pos - cd_size : pos]
    return directory if count == 0 or directory.startswith(b"PK\x01\x02") else None


def _check_count(count: int, name: str, limits: Limits) -> None:
    if count > limits.max_members:
        raise file_error("too-large", name, f"the package has {count:,} zip entries, over the limit "
                   f"of {limits.max_members:,} (max_members)")


def open_zip(stream: BinaryIO, name: str, limits: Limits) -> zipfile.ZipFile:
    sizes = directory_size(stream)
    if sizes is not None:
        _check_count(sizes[0], name, limits)
        if sizes[1] > limits.max_members * 1024 + 65536:
            raise file_error("too-large", name, f"the zip directory is {size_text(sizes[1])}, far more "
                       f"than {limits.max_members:,} entries (max_members) need")
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            struct.error, UnicodeDecodeError, NotImplementedError):
        raise file_error("corrupt", name, "the file is damaged or incomplete (its zip container "
                   "cannot be read; perhaps the download was cut short)") from None


def _check_member(info: zipfile.ZipInfo, name: str, limits: Limits) -> None:
    size, packed = info.file_size, max(info.compress_size, 1)
    if info.flag_bits & 0x41:  # APPNOTE 4.4.4 bit 0: encrypted, bit 6: strong encryption
        raise file_error("encrypted", name, f"the part {info.filename} is encrypted (the zip is "
                   "password-protected)", "remove the password, save it and send it again")
    if size > limits.max_member_bytes:
        raise file_error("too-large", name, f"the part {info.filename} would unpack to {size_text(size)}, "
                   f"over the limit of {size_text(limits.max_member_bytes)} (max_member_bytes)")
    if size > MiB and size > limits.max_ratio * packed:
        raise file_error("too-large", name, f"the part {info.filename} is compressed "
                   f"{size // packed:,}:1 ({size_text(size)} from {size_text(info.compress_size)}), "
                   f"over the limit of {limits.max_ratio}:1 (max_ratio), as in a zip bomb; "
                   "it was not unpacked")


def index_members(zf: zipfile.ZipFile, name: str, limits: Limits) -> dict[str, zipfile.ZipInfo]:
    """Check every directory header against the limits, before anything is
    inflated, and index the members by part-name key."""
    infos = zf.infolist()
    _check_count(len(infos), name, limits)
    index: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        _check_member(info, name, limits)
        key = part_key(info.filename)
        if key in index:  # §9.1.1: names equal but for case are one part
            raise file_error("corrupt", name, f"the package holds two entries for {info.filename}")
        if not info.is_dir():
            index[key] = info
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_bytes:
        raise file_error("too-large", name, f"the parts would unpack to {size_text(total)} in all, over "
                   f"the limit of {size_text(limits.max_total_bytes)} (max_total_bytes)")
    return index


def _seek_data(stream: BinaryIO, info: zipfile.ZipInfo, name: str) -> None:
    """Seek past the member's local file header (APPNOTE 4.3.7) to its data."""
    if info.header_offset < 0:
        raise file_error("corrupt", name, f"the part {info.filename} is damaged (bad header offset)")
    stream.seek(info.header_offset)
    header = stream.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise file_error("corrupt", name, f"the part {info.filename} is damaged (bad local header)")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    stream.seek(info.header_offset + 30 + int(name_len) + int(extra_len))


def _inflate(stream: BinaryIO, info: zipfile.ZipInfo, name: str) -> bytes:
    """Read one member (stored or deflated), producing at most its declared size
    + 1 byte: more data than declared means the header lies (``too-large``);
    less, bad deflate data or a CRC mismatch is ``corrupt``."""
    want, left = info.file_size, info.compress_size
    inflater = None if info.compress_type == zipfile.ZIP_STORED else zlib.decompressobj(-15)
    out: list[bytes] = []
    crc = got = 0
    while left > 0 and not (inflater and inflater.eof):
        raw = stream.read(min(_CHUNK, left))
        if not raw:
            break
        left -= len(raw)
        while raw:
            piece = raw if inflater is None else inflater.decompress(raw, want + 1 - got)
            raw = b"" if inflater is None or inflater.eof else inflater.unconsumed_tail
            got += len(piece)
            if got > want:
                raise file_error("too-large", name, f"the part {info.filename} holds more data than "
                           f"its header declares ({size_text(want)}); it was not unpacked")
            out.append(piece)
            crc = zlib.crc32(piece, crc)
            if not piece and raw:
                break  # no progress: reported as damaged below
    complete = inflater.eof if inflater else left == 0
    if not complete or got != want or crc != info.CRC:
        raise file_error("corrupt", name, f"the part {info.filename} is damaged (truncated or "
                   "checksum mismatch)")
    return b"".join(out)


def read_member(stream: BinaryIO, info: zipfile.ZipInfo, name: str) -> bytes:
    """One member's bytes (stored or deflated only), never more than declared."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise file_error("corrupt", name, f"the part {info.filename} uses compression "
                   f"method {info.compress_type}, which Word never writes")
    try:
        _seek_data(stream, info, name)
        return _inflate(stream, info, name)
    except (OSError, zlib.error, struct.error):
        raise file_error("corrupt", name, f"the part {info.filename} is damaged and "
                   "cannot be unpacked") from None


def read_members(stream: BinaryIO, name: str, limits: Limits = Limits()) -> list[tuple[str, bytes]]:
    """Every file member of the zip in ``stream`` as (name as stored, bytes),
    in directory order, after the checks :func:`open_package` makes: for
    copying a whole package (formkit.office.unlink), ODF packages included."""
    with open_zip(stream, name, limits) as zf:
        return [(info.filename, read_member(stream, info, name))
                for info in index_members(zf, name, limits).values()]


compare_by_type(Limits)
