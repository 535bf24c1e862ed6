"""The photos of a parsed record written out as files (``parse --photos DIR``),
so that the record can be filled again (last year's return as the start of
this year's).

Each picture is written once, named by its SHA-256 (``DIR/<sha256>.png``):
the same photo in many documents, or twice in one, is one file, and a file
already there with the right content is left alone (a file of that name
holding anything else is replaced). Every write is atomic
(:func:`formkit.output.atomic_write_bytes`), so parse workers writing the
same photo at once each rename a complete file into place. The record's
photo entries become ``{"path", "sha256", "media_type"}`` (and the
``caption`` read under the photo, when there is one); ``path`` is the
file relative to ``relative_to`` (the folder the record is written to, so
``formkit fill FORM parsed.json`` finds the photos wherever the two are
moved together), or the folder as given joined with the name when no such
folder is known.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from formkit.errors import FormkitError
from formkit.files import read_regular
from formkit.forms import FieldDef
from formkit.output import atomic_write_bytes
from formkit.values import NamedTuple, compare_by_type

# A picture's media type (the content type its package gives it) -> the file's suffix.
_SUFFIX = {
    "image/png": "png", "image/jpeg": "jpg", "image/jpg": "jpg", "image/gif": "gif", "image/bmp": "bmp",
    "image/x-bmp": "bmp", "image/tiff": "tif", "image/x-emf": "emf", "image/x-wmf": "wmf",
    "image/svg+xml": "svg", "image/webp": "webp",
}


class PhotoFolder(NamedTuple):
    """Where ``parse`` writes photos (``folder``) and the folder their paths
    in the record are relative to (``relative_to``; None: ``folder`` as given
    joined with the file name). A plain value: sent to parse workers."""

    folder: Path
    relative_to: Path | None = None

    def entry_path(self, file: Path) -> str:
        """The path of ``file`` as the record gives it."""
        if self.relative_to is None:
            return str(file)
        try:
            return os.path.relpath(os.path.abspath(file), os.path.abspath(self.relative_to))
        except ValueError:  # Windows: another drive has no relative path
            return os.path.abspath(file)

    def file_for(self, digest: str, media_type: str) -> Path:
        return self.folder / f"{digest}.{_SUFFIX.get(media_type.lower(), 'bin')}"


def photo_folder(folder: str | os.PathLike[str] | None,
                 relative_to: str | os.PathLike[str] | None = None) -> PhotoFolder | None:
    """The :class:`PhotoFolder` of ``parse_file``'s arguments (None: no photos written)."""
    if folder is None:
        return None
    return PhotoFolder(Path(folder), Path(relative_to) if relative_to is not None else None)


def photo_entries(fields: tuple[FieldDef, ...], record: Mapping[str, Any]) -> Iterator[list[Any]]:
    """Each photo list (a field of kind ``images``) of ``record``, repeated
    blocks included, for its entries to be replaced in place."""
    for field in fields:
        value = record.get(field.name)
        if field.kind == "images" and isinstance(value, list):
            yield value
        elif field.kind == "repeat" and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    yield from photo_entries(field.fields, item)


def save_photos(
    fields: tuple[FieldDef, ...], record: Mapping[str, Any], parts: Mapping[str, str],
    read: Callable[[str], bytes], where: PhotoFolder,
) -> None:
    """Write every photo of ``record`` into ``where`` and give each entry its
    path. ``parts`` maps a photo's sha256 to its package part, ``read`` reads
    a part (the package is opened once, by the caller)."""
    written: dict[str, str] = {}
    for photos in photo_entries(fields, record):
        for n, entry in enumerate(photos):
            digest, media = entry["sha256"], entry["media_type"]
            if digest not in written:
                file = _write_once(where.file_for(digest, media), read(parts[digest]))
                written[digest] = where.entry_path(file)
            photos[n] = {"path": written[digest], **entry}


def _write_once(file: Path, data: bytes) -> Path:
    """``file`` holding ``data``: written atomically unless it already does."""
    if _holds(file, data):
        return file
    try:
        with atomic_write_bytes(file) as out:
            out.write(data)
    except FormkitError as exc:
        raise FormkitError(exc.code, f"photo {file}: {exc.message}") from None
    return file


def _holds(file: Path, data: bytes) -> bool:
    """True when ``file`` is a regular file holding ``data`` (stat-ed first:
    a FIFO or device of that name is never opened)."""
    try:
        return read_regular(file, len(data), str(file)) == data
    except (OSError, FormkitError):
        return False


compare_by_type(PhotoFolder)
