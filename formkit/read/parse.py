"""The parse pipeline and its result envelope.

    bytes -> package -> reader -> checkboxes -> recognize -> locate -> record

:func:`parse_file` never raises for a problem with the file: the problem is
the result's ``error`` (a stable code and a message naming the file), so a
batch goes on with the next file.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from formkit import forms as formdefs
from formkit.docx import savedby
from formkit.errors import FormkitError
from formkit.locate import Located, locate
from formkit.locate.stream import build
from formkit.docx.model import Document
from formkit.read import doubts
from formkit.read.photos import PhotoFolder, photo_folder, save_photos
from formkit.read.recognize import Recognition, recognize_key, stream_key
from formkit.warnings import Warning


class ParseResult:
    """One file's result; ``as_dict`` is the documented JSON envelope.

    Results compare by every field but ``line`` and ``found_at``, which the
    repr leaves out too; a result is changed in place, so it has no hash. A
    plain class, not a dataclass: the ``dataclasses`` module and the methods
    it generates would cost every start-up 7 million instructions.
    """

    __match_args__ = ("file", "form", "record", "warnings", "error", "recognition", "located", "document",
                      "saved_by", "line", "found_at")
    __slots__ = __match_args__
    _COMPARED = __slots__[:-2]  # all but line and found_at

    def __init__(self, file: str, form: str | None = None, record: dict[str, Any] | None = None,
                 warnings: list[Warning] | None = None, error: FormkitError | None = None,
                 recognition: Recognition | None = None, located: Located | None = None,
                 document: Document | None = None, saved_by: str | None = None, line: str | None = None,
                 found_at: dict[str, str] | None = None) -> None:
        self.file = file
        self.form = form
        self.record = record
        self.warnings = warnings if warnings is not None else []
        self.error = error
        self.recognition = recognition
        self.located = located
        self.document = document
        self.saved_by = saved_by  # the program that last saved the file (formkit.docx.savedby)
        #: ``as_dict`` as one line of compact JSON, when a worker process made it
        #: (so the main process of a batch only writes it out).
        self.line = line
        #: where each field was found, kept by a worker process that leaves ``located`` behind
        self.found_at = found_at

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._COMPARED)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ParseResult) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._compared() == other._compared()

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._COMPARED)
        return f"{self.__class__.__qualname__}({shown})"

    @property
    def ok(self) -> bool:
        return self.error is None

    def places(self) -> dict[str, str]:
        """Where each field was found (its printed anchor), by field name; empty when not parsed."""
        if self.found_at is not None:
            return self.found_at
        if self.located is None:
            return {}
        return {name: found.where for name, found in self.located.where.items() if getattr(found, "where", "")}

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "form": self.form,
            "saved_by": self.saved_by,
            "record": self.record,
            "warnings": [w.as_dict() for w in self.warnings],
            "error": self.error.as_dict() if self.error else None,
        }


def read_model(source: str | os.PathLike[str] | bytes, name: str) -> Document:
    """Open a package and read it into the document model, boxes decided."""
    from formkit.docx.package import open_package
    from formkit.docx.reader import read_document

    with open_package(source, name) as pkg:
        return read_document(pkg, boxes=True)


def legacy_format(path: str | os.PathLike[str]) -> str | None:
    """"doc", "rtf", "odt" or "fodt" when ``path`` holds a format LibreOffice must
    convert first; None otherwise, including anything that is not a regular
    file within the package size limit (a FIFO would block ``open`` and a
    device never end): the package reader then says what is wrong."""
    from formkit.files import open_regular
    from formkit.docx.package import Limits
    from formkit.docx.legacy import legacy_kind
    from formkit.office.odf_flat import is_flat_odt

    try:
        with open_regular(path, Limits().max_file_bytes) as fh:
            head = fh.read(4096)
            return legacy_kind(head, fh) or ("fodt" if is_flat_odt(head) else None)
    except (OSError, FormkitError):
        return None


def parse_file(
    source: str | os.PathLike[str] | bytes,
    name: str | None = None,
    form: str | None = None,
    forms_root: Path | None = None,
    *,
    convert: bool = True,
    converted_from: str | None = None,
    photos_dir: str | os.PathLike[str] | None = None,
    photos_relative_to: str | os.PathLike[str] | None = None,
) -> ParseResult:
    """Parse one document. ``form`` forces a form id (checked, not trusted).
    A legacy .doc, .rtf or .odt is converted through LibreOffice first unless
    ``convert`` is False; ``converted_from`` says a caller already did that.
    With ``photos_dir``, each photo is written there and the record's photo
    entries give its path (:mod:`formkit.read.photos`): relative to
    ``photos_relative_to`` (where the record will be written) when given,
    else ``photos_dir`` as given joined with the file name."""
    photos = photo_folder(photos_dir, photos_relative_to)
    display = name if name is not None else str(source) if not isinstance(source, bytes) else "<bytes>"
    if convert and converted_from is None and not isinstance(source, bytes):
        kind = legacy_format(source)
        if kind is not None:
            return _parse_legacy(Path(source), display, kind, form, forms_root, photos)
    from formkit.docx.reader import collector_paused

    result = ParseResult(display)
    try:
        with collector_paused():  # the stream and record are built in bulk too
            _read(result, source, display, form, forms_root, photos, converted_from is not None)
        if converted_from:
            result.warnings.insert(0, converted_warning(converted_from))
            result.saved_by = _saved_by_original(name, converted_from)
            result.warnings[1:1] = _lost_in_original(name, converted_from, result.located)
    except FormkitError as exc:
        result.error = exc.with_file(display)
    except Exception as exc:  # noqa: BLE001 - no traceback ever reaches a user
        result.error = FormkitError(
            "internal-error", f"formkit could not read this file ({type(exc).__name__}: {exc})", display
        )
    if result.error is not None:
        result.form = result.record = result.saved_by = None
        result.warnings = []
    return result


def _read(result: ParseResult, source: str | os.PathLike[str] | bytes, display: str, form: str | None,
          root: Path | None, photos: PhotoFolder | None, converted: bool = False) -> None:
    """The document read into ``result``; with ``photos``, its photos
    written out while the package is open. LibreOffice's own output
    (``converted``) is bounded by the size of the file sent (``display``)."""
    from formkit.docx.package import Limits, open_package
    from formkit.docx.reader import read_document
    from formkit.docx.zipread import converted_limits

    with open_package(source, display, converted_limits(_size(display)) if converted else Limits()) as pkg:
        doc = read_document(pkg, boxes=True)
        result.saved_by = savedby.from_package(pkg)
        definition = _fill(result, doc, form, root)
        if photos is not None and result.record is not None and result.located is not None:
            stream = result.located.stream or build(doc.body)
            parts = {img.sha256: img.part for para in stream.paras for img in para.images}
            save_photos(definition.fields, result.record, parts, pkg.read, photos)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return 0


def _saved_by_original(name: str | None, kind: str) -> str | None:
    return savedby.from_file(name, kind) if name and os.path.isfile(name) else None


def _lost_in_original(name: str | None, kind: str, located: Located | None) -> list[Warning]:
    """What the original file itself lost, said once (formkit.office.rtf_boxes)."""
    if kind != "rtf" or not name or not os.path.isfile(name):
        return []
    from formkit.docx.package import Limits
    from formkit.office.rtf_boxes import stateless_boxes

    lost = stateless_boxes(name, Limits().max_file_bytes)
    if not lost:
        return []
    out = [Warning.of("checkbox-state-lost", None, f"{lost} legacy check box(es) in this .rtf carry no state "
                      "(LibreOffice's .rtf export drops it): whether they were ticked is not in the file; "
                      "ask for the .docx")]
    paths = doubts.box_paths(located, "form-field") if located is not None else []
    return out + [Warning.of("checkbox-state-lost", path, "read as empty, but the file does not say") for path in paths]


def converted_warning(kind: str) -> Warning:
    return Warning.of(f"converted-from-{kind}", None, f"read after LibreOffice converted it from .{kind} to .docx")


def _parse_legacy(path: Path, display: str, kind: str, form: str | None, root: Path | None,
                  photos: PhotoFolder | None) -> ParseResult:
    """One legacy file: convert it alone (batches convert together, see batch.py)."""
    import tempfile

    from formkit.office.convert import Converter
    from formkit.office.odf_fields import rewrite

    try:
        with Converter(purpose=f"read a .{kind} file", rewrite=rewrite) as converter, tempfile.TemporaryDirectory() as tmp:
            out = converter.convert([path], "docx", Path(tmp))[path]
            if isinstance(out, FormkitError):
                raise out
            return parse_file(out, display, form, root, converted_from=kind,
                              photos_dir=photos.folder if photos else None,
                              photos_relative_to=photos.relative_to if photos else None)
    except FormkitError as exc:
        return ParseResult(display, error=exc.with_file(display))


@lru_cache(maxsize=8)
def _forms_of(entries: tuple[tuple[str, Path], ...], root: Path | None) -> list[formdefs.FormDef]:
    """:func:`formkit.forms.load_all` for one listing of the form folders."""
    return formdefs.load_all(root)


def _known_forms(root: Path | None) -> list[formdefs.FormDef]:
    """Every known form, loaded again only when the folders' listing
    changes (it is checked per file, the definitions are not re-resolved)."""
    return _forms_of(tuple(sorted(formdefs.catalog(root).items())), root)


def _fill(result: ParseResult, doc: Document, form: str | None, root: Path | None) -> formdefs.FormDef:
    available = _known_forms(root)
    forced = formdefs.load(form, root) if form else None
    stream = build(doc.body)
    rec = recognize_key(stream_key(stream), available, forced)
    located = locate(rec.form, doc, stream)
    result.form = rec.form.id
    result.recognition = rec
    result.located = located
    result.document = doc
    result.record = located.record
    result.warnings = _document_warnings(doc) + rec.warnings + located.warnings + doubts.apply(located, doc, rec.form)
    return rec.form


def _document_warnings(doc: Document) -> list[Warning]:
    out = []
    if doc.tracked_changes:
        out.append(
            Warning.of(
                "tracked-changes", None,
                "the document holds tracked changes: insertions were read as accepted, deletions ignored",
            )
        )
    if doc.comments:
        out.append(Warning.of("comments-ignored", None, f"{doc.comments} comment(s) are not read as answers"))
    return out
