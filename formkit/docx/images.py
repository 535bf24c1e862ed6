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

:func:`prepare` makes a photo what fill embeds (README, "Photos"): a JPEG
whose EXIF orientation says the camera was held sideways is turned upright,
and a picture whose long side exceeds :data:`MAX_LONG_SIDE` pixels is scaled
down to it (JPEG stays JPEG at quality :data:`JPEG_QUALITY`, PNG stays PNG,
GIF and BMP become PNG); any other photo is embedded byte for byte. The
record's photo digest is the digest of these bytes, the ones parse reads
back.
"""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from typing import Any

from formkit.errors import FormkitError
from formkit.files import MiB, check_stat, read_regular, size_text

MAX_PHOTO_BYTES = 20 * MiB  # one photo file (a 48-megapixel phone JPEG is about 15 MiB)
MAX_DOCUMENT_PHOTO_BYTES = 60 * MiB  # every photo of one document together
MAX_SIDE = 20_000  # pixels, width or height
MAX_PIXELS = 100_000_000  # width x height (a 100-megapixel camera)
# The long side of an embedded photo: a cell of the photo grid is about 8 cm
# wide, so 1,600 pixels print at about 500 dpi even after cropping to the cell.
MAX_LONG_SIDE = 1600
JPEG_QUALITY = 85
_ORIENTATION = 0x0112  # the EXIF (TIFF 6.0) Orientation tag, values 1..8

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
    return _checked(path, shown, *photo_version(path, shown))

@lru_cache(maxsize=1024)
def _checked(path: str, shown: str, dev: int, ino: int, size: int, mtime_ns: int) -> PhotoInfo:
    return read_photo(path, shown).info

def photo_version(path: str, shown: str) -> tuple[int, int, int, int]:
    """The file version of the photo ``path`` (device, inode, size,
    modification time), stat-ed and checked as :func:`check_photo` does:
    what a remembered photo is keyed by, so a changed file is read again."""
    try:
        st = os.stat(path)
        check_stat(st, shown, MAX_PHOTO_BYTES, "the photo size limit")
    except FormkitError as exc:
        raise _why(exc, shown) from None
    except FileNotFoundError:
        raise PhotoError(shown, "no such file") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise PhotoError(shown, f"cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def prepare(photo: Photo, full_resolution: bool = False, name: str = "the photo") -> Photo:
    """``photo`` as fill embeds it (module docstring): upright, its long
    side at most :data:`MAX_LONG_SIDE` pixels unless ``full_resolution``;
    the same photo when nothing needs changing. A picture whose pixels
    cannot be decoded is a ``bad-data`` error naming ``name``."""
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # decode_header's limits apply
            with Image.open(BytesIO(photo.data), formats=["PNG", "JPEG", "GIF", "BMP"]) as image:
                turn = _orientation(image)
                limit = None if full_resolution or max(image.size) <= MAX_LONG_SIDE else MAX_LONG_SIDE
                if turn == 1 and limit is None:
                    return photo
                return _encode(image, turn, limit)
    except PhotoError:
        raise
    except Exception:  # Pillow raises OSError, SyntaxError, ValueError ... on damaged pixel data
        raise PhotoError(name, "its pixels cannot be decoded (a damaged or truncated picture): "
                         "save it again from a photo program, or use another") from None


def _orientation(image: Any) -> int:
    """The EXIF orientation of a JPEG (1 = upright; 2..8 flipped or turned),
    where phones record how they were held instead of turning the pixels."""
    if image.format not in ("JPEG", "MPO"):
        return 1
    value = image.getexif().get(_ORIENTATION, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _encode(image: Any, turn: int, limit: int | None) -> Photo:
    """``image`` scaled to fit ``limit`` x ``limit`` (JPEG decoded at a
    reduced scale first: ``thumbnail`` uses the decoder's draft mode),
    turned by its EXIF ``turn`` (the transposes of ``ImageOps.exif_transpose``),
    and encoded; its colour profile kept, its other metadata (EXIF, with the
    place a phone photo was taken) left out."""
    from PIL import Image

    jpeg = image.format in ("JPEG", "MPO")
    icc = image.info.get("icc_profile")
    if not jpeg and image.mode not in ("L", "LA", "RGB", "RGBA"):
        alpha = image.mode in ("PA", "La") or "transparency" in image.info
        image = image.convert("RGBA" if alpha else "RGB")
    if limit is not None:
        image.thumbnail((limit, limit), Image.Resampling.LANCZOS)
    method = _transposes().get(turn)
    if method is not None:
        image = image.transpose(method)
    out = BytesIO()
    extra = {"icc_profile": icc} if icc else {}
    if jpeg:
        image.save(out, "JPEG", quality=JPEG_QUALITY, **extra)
    else:
        image.save(out, "PNG", **extra)
    data = out.getvalue()
    media, ext = _FORMATS["JPEG" if jpeg else "PNG"]
    return Photo(data, PhotoInfo(media, ext, image.width, image.height, len(data)))


def _transposes() -> dict[int, Any]:
    from PIL import Image

    t = Image.Transpose
    return {2: t.FLIP_LEFT_RIGHT, 3: t.ROTATE_180, 4: t.FLIP_TOP_BOTTOM, 5: t.TRANSPOSE,
            6: t.ROTATE_270, 7: t.TRANSVERSE, 8: t.ROTATE_90}


def total_error(total: int, limit: int = MAX_DOCUMENT_PHOTO_BYTES) -> str:
    """The message for photos over ``limit`` bytes in all."""
    return (f"the photos come to {size_text(total)}, over the limit of {size_text(limit)} "
            "for one document; use smaller pictures")


def check_sha256(path: str, shown: str, digest: str) -> None:
    """Raise :class:`PhotoError` unless the file at ``path`` has the SHA-256
    ``digest`` (a record written by ``parse --photos`` names each photo's
    file and digest: a file changed since is not the photo read)."""
    try:
        st = os.stat(path)
        actual = _sha256_of(path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    except (OSError, FormkitError) as exc:  # replaced or removed since check_photo looked at it
        raise PhotoError(shown, f"cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    if actual != digest:
        raise PhotoError(shown, f"not the picture the record names (the file's sha256 is {actual[:12]}…, the "
                         f"record's {digest[:12]}…): the file was changed or replaced; parse the document again, "
                         'or leave "sha256" out to take the file as it is')


@lru_cache(maxsize=1024)
def _sha256_of(path: str, dev: int, ino: int, size: int, mtime_ns: int) -> str:
    """The SHA-256 of a photo file, remembered per file version (a batch whose
    rows name the same photos reads each once)."""
    import hashlib  # not at start-up: a parse without pictures never needs OpenSSL's

    return hashlib.sha256(read_regular(path, MAX_PHOTO_BYTES, path, "the photo size limit")).hexdigest()
