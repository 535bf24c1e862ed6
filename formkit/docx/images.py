"""Photos given to fill: read once, checked by decoding their header.

A photo is a file named by a record, so it is untrusted input like any
other. :func:`read_photo` stats it before opening (a FIFO, a device or a
folder is refused, and so is a file over :data:`MAX_PHOTO_BYTES`, before a
byte is read: :mod:`formkit.files`), then has Pillow decode its header:
only PNG, JPEG, GIF and BMP pictures are embedded (the formats every Word
version shows), with a positive width and height of at most
:data:`MAX_SIDE` pixels each and at most :data:`MAX_PIXELS` in all (a small
file declaring a huge picture is how a decompression bomb starts). A file
that merely begins like a picture ("BM" and then text) is refused.
``Image.verify`` also checks what the format allows without decoding the
pixels (PNG: every chunk's CRC).

:data:`MAX_DOCUMENT_PHOTO_BYTES` bounds the photos of one document, so a
filled document stays within what ``parse`` accepts (its package limits:
:class:`formkit.docx.package.Limits`); record validation applies it to each
record and fill again to what it embeds.
"""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

from formkit.errors import FormkitError
from formkit.files import MiB, check_stat, read_regular, size_text

MAX_PHOTO_BYTES = 20 * MiB  # one photo file (a 48-megapixel phone JPEG is about 15 MiB)
MAX_DOCUMENT_PHOTO_BYTES = 60 * MiB  # every photo of one document together
MAX_SIDE = 20_000  # pixels, width or height
MAX_PIXELS = 100_000_000  # width x height (a 100-megapixel camera)

# Pillow format name -> (media type, file extension in the package)
_FORMATS = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpeg"),
    "MPO": ("image/jpeg", "jpeg"),  # a phone's JPEG with a second picture: a JPEG to Word
    "GIF": ("image/gif", "gif"),
    "BMP": ("image/bmp", "bmp"),
}

@dataclass(frozen=True, slots=True)
class PhotoInfo:
    """What a photo is: media type, package extension, pixel size, file size."""

    media_type: str
    ext: str
    width: int
    height: int
    size: int

@dataclass(frozen=True, slots=True)
class Photo:
    """A checked photo's bytes and what they are."""

    data: bytes
    info: PhotoInfo

class PhotoError(FormkitError):
    """A photo that cannot go into a document (``bad-data``): ``name`` is
    the file as the user wrote it, ``reason`` what is wrong with it."""

    def __init__(self, name: str, reason: str) -> None:
        self.name, self.reason = name, reason
        super().__init__("bad-data", f"photo {name}: {reason}")

    def __reduce__(self) -> tuple[type[PhotoError], tuple[str, str]]:  # type: ignore[override]
        return (type(self), (self.name, self.reason))

def _why(exc: FormkitError, name: str) -> PhotoError:
    """A file error from :mod:`formkit.files` as a ``bad-data`` photo error."""
    return PhotoError(name, exc.message)

def decode_header(data: bytes, name: str) -> PhotoInfo:
    """What ``data`` is, from Pillow decoding its header; ``bad-data``
    naming ``name`` when it is not a PNG, JPEG, GIF or BMP picture of a sane
    size."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the limits below apply
            with Image.open(BytesIO(data), formats=["PNG", "JPEG", "GIF", "BMP"]) as image:
                fmt, (width, height) = image.format, image.size
                image.verify()
    except Image.DecompressionBombError:
        raise PhotoError(name, f"the picture declares more than {MAX_PIXELS:,} pixels (or a negative "
                   "size), as a decompression bomb does") from None
    except Exception:  # Pillow raises OSError, SyntaxError, ValueError, struct.error ...
        raise PhotoError(name, "not a PNG, JPEG, GIF or BMP picture (or a damaged one)") from None
    if fmt not in _FORMATS:
        raise PhotoError(name, f"a {fmt} picture; only PNG, JPEG, GIF and BMP are put in a document")
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE) or width * height > MAX_PIXELS:
        raise PhotoError(name, f"the picture is {width} x {height} pixels; the limit is {MAX_SIDE:,} "
                   f"pixels a side and {MAX_PIXELS:,} in all")
    media, ext = _FORMATS[fmt]
    return PhotoInfo(media, ext, width, height, len(data))

def read_photo(path: str | os.PathLike[str], name: str | None = None) -> Photo:
    """The bytes of the photo file ``path``, checked (module docstring).
    Errors are ``bad-data`` naming the file (``name``, default the path)."""
    shown = name if name is not None else os.fspath(path)
    try:
        data = read_regular(path, MAX_PHOTO_BYTES, shown, "the photo size limit")
    except FormkitError as exc:
        raise _why(exc, shown) from None
    return Photo(data, decode_header(data, shown))

def check_photo(path: str, name: str | None = None) -> PhotoInfo:
    """:func:`read_photo`'s checks without keeping the bytes, remembered
    per file version (path, inode, size, modification time), so a batch
    that names the same photos in every row reads each once."""
    shown = name if name is not None else path
    try:
        st = os.stat(path)
        check_stat(st, shown, MAX_PHOTO_BYTES, "the photo size limit")
    except FormkitError as exc:
        raise _why(exc, shown) from None
    except FileNotFoundError:
        raise PhotoError(shown, "no such file") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise PhotoError(shown, f"cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    return _checked(path, shown, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)

@lru_cache(maxsize=1024)
def _checked(path: str, shown: str, dev: int, ino: int, size: int, mtime_ns: int) -> PhotoInfo:
    return read_photo(path, shown).info

def total_error(total: int, limit: int = MAX_DOCUMENT_PHOTO_BYTES) -> str:
    """The message for photos over ``limit`` bytes in all."""
    return (f"the photos come to {size_text(total)}, over the limit of {size_text(limit)} "
            "for one document; use smaller pictures")
