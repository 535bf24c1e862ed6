"""Filling a form: record -> canonical record -> context -> rendered .docx.

The template (:mod:`formkit.fill.template`) is derived and compiled once per
:class:`Filler`; each record is then one Jinja render of the tagged parts
(autoescape on: Thai answers hold & < > ") and one zip write. The canonical
record is what ``parse`` gives back for the filled document: text
normalized by the same functions parse uses, the printed year (and the
office in the page header) kept when none is given, untouched works
dropped, a value's printed label not repeated in front of it.
parse(fill(r)) == canonical(r).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from formkit.docx.writer import DateTime, Media, PhotoNames, TemplatePackage
from formkit.errors import FormkitError
from formkit.forms import FieldDef, FormDef
from formkit.forms.belongs import answers_without_box
from formkit.docx.images import MAX_DOCUMENT_PHOTO_BYTES, Photo, photo_version, prepare, read_photo, total_error
from formkit.locate import kinds, thaidate
from formkit.fill import kinds as more_kinds
from formkit.locate.labels import make_label
from formkit.text import clean_chars, clean_key, key_ends
from formkit.warnings import Warning
from formkit.output import atomic_write_bytes
from formkit.fill import control_values
from formkit.fill.layout import photo_cell
from formkit.fill.photos import caption, crop_to, drawing, photo_path
from formkit.fill.template import Template, derive


Cell = dict[str, Any]  # a cell of the photo grid: {"picture": run XML, "caption": text}
_EMPTY_CELL: Cell = {"picture": "", "caption": ""}


@dataclass(slots=True)
class _Photos:
    """The pictures of one document: media parts and the grid's cells
    (:mod:`formkit.fill.layout`, :mod:`formkit.fill.photos`)."""

    cell: tuple[int, int]  # the size of every picture, EMU
    names: PhotoNames
    full_resolution: bool
    cache: dict[tuple[str, tuple[int, int, int, int]], Photo]
    media: list[Media] = field(default_factory=list)

    def rows(self, given: list[Any], refs: list[dict[str, str]]) -> list[list[Cell]]:
        """Rows of two cells (the last one padded) for the record's photos
        ``given`` and their canonical entries ``refs``."""
        cells = [self._cell(photo, ref) for photo, ref in zip(given, refs)]
        return [(cells[i : i + 2] + [_EMPTY_CELL])[:2] for i in range(0, len(cells), 2)]

    def picture(self, photo: Any) -> dict[str, Any]:
        """A picture control's photo: its relationship id and size in pixels
        (:mod:`formkit.fill.controls` fits it into the control's frame)."""
        picture = self._load(photo_path(photo))
        part, rid = self.names.name(len(self.media) + 1, picture.info.ext)
        self.media.append(Media(part, picture.data, rid))
        return {"rid": rid, "width": picture.info.width, "height": picture.info.height}

    def _cell(self, photo: Any, ref: dict[str, str]) -> Cell:
        picture = self._load(photo_path(photo))
        n = len(self.media) + 1
        part, rid = self.names.name(n, picture.info.ext)
        self.media.append(Media(part, picture.data, rid))
        crop = crop_to(picture.info.width, picture.info.height, *self.cell)
        run = drawing(rid, 1000 + n, f"photo-{n}.{picture.info.ext}", self.cell, crop)
        return {"picture": Markup(run), "caption": ref.get("caption", "")}

    def _load(self, path: str) -> Photo:
        """The photo at ``path`` as embedded (:func:`formkit.docx.images.prepare`),
        prepared once per batch and file version; the photos of one document
        stay within :data:`~formkit.docx.images.MAX_DOCUMENT_PHOTO_BYTES`."""
        key = (path, photo_version(path, path))
        photo = self.cache.get(key)
        if photo is None:
            photo = self.cache[key] = _prepared(path, self.full_resolution, key[1])
        total = sum(len(m.data) for m in self.media) + len(photo.data)
        if total > MAX_DOCUMENT_PHOTO_BYTES:
            raise FormkitError("bad-data", f"photo {path}: {total_error(total, MAX_DOCUMENT_PHOTO_BYTES)}")
        return photo


class Filler:
    """Fills one form from many records; the template is derived and
    compiled once. ``page_breaks``: each repeated block after the first
    starts a new page; ``full_resolution``: photos are not scaled down
    (:func:`formkit.docx.images.prepare`)."""

    def __init__(self, form: FormDef, original: Path | None = None, clear: bool = False, *,
                 page_breaks: bool = True, full_resolution: bool = False) -> None:
        self.form = form
        self.page_breaks = page_breaks
        self.full_resolution = full_resolution
        self.template: Template = derive(form, original, clear)
        self.package = TemplatePackage(dict(self.template.members), self.template.main_part)
        self._photo_cache: dict[tuple[str, tuple[int, int, int, int]], Photo] = {}
        self._photo_cell = photo_cell(self.template.text_width_twips)
        try:
            self.compiled = {name: _ENV.from_string(part.skeleton()) for name, part in self.template.parts.items()}
            self.static = {name: tuple(map(Markup, part.static)) for name, part in self.template.parts.items()}
            self._rendered({})  # a template that cannot render is refused here, once (no zip written)
        except jinja2.TemplateError as exc:
            raise FormkitError(
                "bad-original", f"its blanks could not be turned into a fill template ({exc})", self.template.name
            ) from None
        code = "".join(part.skeleton() for part in self.template.parts.values())
        self.unplaced = frozenset(_unplaced(form.fields, code, "f", ""))

    def canonical(self, record: dict[str, Any]) -> dict[str, Any]:
        """What parse will read back from the document filled with ``record``."""
        return canonical(self.form, record, self.template.printed_year, self.template.printed_header,
                         self.full_resolution)

    def render(self, record: dict[str, Any], out: IO[bytes], when: DateTime | None = None) -> dict[str, Any]:
        """Write the filled document to ``out``, its members dated ``when``
        (default: now); return its canonical record."""
        canon, rendered, media = self._rendered(record)
        self.package.write(out, rendered, media, when)
        return canon

    def _rendered(self, record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, bytes], list[Media]]:
        """The canonical record, each compiled part rendered, and the photos."""
        canon = self.canonical(record)
        photos = _Photos(self._photo_cell, self.package.photo_names, self.full_resolution, self._photo_cache)
        fields = _context(self.form.fields, record, canon, photos)
        rendered = {
            part: t.render(f=fields, static=self.static[part], page_breaks=self.page_breaks).encode("utf-8")
            for part, t in self.compiled.items()
        }
        return canon, rendered, photos.media

    def fill(self, record: dict[str, Any], target: str | os.PathLike[str]) -> dict[str, Any]:
        """Render ``record`` into ``target`` atomically."""
        with atomic_write_bytes(target) as fh:
            return self.render(record, fh)


def _unplaced(fields: tuple[FieldDef, ...], code: str, var: str, prefix: str) -> list[str]:
    """Fields the template's ``code`` never writes (its original has no place
    for them: no label, blank or box was found), by name (``works.title``)."""
    out = []
    for f in fields:
        if f"{var}[{f.name!r}]" not in code and f"{var}.{f.name}" not in code:
            out.append(prefix + f.name)
        elif f.kind == "repeat":
            out += _unplaced(f.fields, code, "w", f"{prefix}{f.name}.")
    return out


# Sandboxed, though the template's code is formkit's own (the original's XML
# never reaches Jinja, see formkit.fill.tags): a second wall. Autoescape
# on: answers hold & < > " and are written into XML.
_ENV = ImmutableSandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


# -- the canonical record -----------------------------------------------------------------

def canonical(
    form: FormDef, record: dict[str, Any], printed_year: str | None, printed_header: str | None = None,
    full_resolution: bool = False,
) -> dict[str, Any]:
    """The record parse reads back: what the record gives, normalized (photos
    as embedded: :func:`photo_ref`); where it gives no year or office, what
    the original prints there (an office's copy carries its own name in the
    page header)."""
    out = _canon_fields(form.fields, record, full_resolution)
    printed = {"year": printed_year, "header": printed_header}
    for f in form.fields:
        if f.kind in printed and not out.get(f.name) and printed[f.kind]:
            out[f.name] = printed[f.kind]
    return {k: v for k, v in out.items() if not (_optional(form.fields, k) and v in (None, ""))}


def _optional(fields: tuple[FieldDef, ...], name: str) -> bool:
    return any(f.name == name and f.optional for f in fields)


def _canon_fields(fields: tuple[FieldDef, ...], record: dict[str, Any], full: bool) -> dict[str, Any]:
    return {f.name: _canon(f, record.get(f.name), full) for f in fields}


def _canon(f: FieldDef, value: Any, full: bool) -> Any:
    kind = f.kind
    if kind == "level":
        return int(value) if value not in (None, "") else None
    if kind == "section":
        return kinds.section_value(str(value or ""))
    if kind == "value":  # written on the label's line, where a leading colon reads as punctuation
        return kinds.value_value(kinds.strip_lead(without_label(f.label, kinds.strip_lead(str(value or "")))))
    if kind == "header":
        return kinds.value_value(str(value or ""))
    if kind == "year":
        return kinds.year_value(str(value)) if value else None
    if kind == "lines":
        items = value.split("\n") if isinstance(value, str) else list(value or [])
        return kinds.lines_value("\n".join(kinds.value_value(str(i)) for i in items), f.ignore)
    if kind == "boxes":
        given = value or {}
        return {key: bool(given.get(key)) for key, _ in f.items}
    if kind == "images":
        return [photo_ref(p, full) for p in value or []]
    if kind == "control":
        return control_values.canonical(f, value, lambda photo: photo_ref(photo, full))
    if kind == "repeat":
        works = [_canon_fields(f.fields, item or {}, full) for item in value or []]
        return [w for w in works if any(w.values())]
    if kind == "signature":
        return _canon_fields(f.fields, value if isinstance(value, dict) else {}, full)
    if kind in ("grid", "date"):
        return more_kinds.canonical(f, value)
    return value


def photo_ref(photo: Any, full_resolution: bool) -> dict[str, str]:
    """The canonical entry of a record's photo: the digest and media type
    of the bytes fill embeds (:func:`formkit.docx.images.prepare`), and its
    caption when it has one (:mod:`formkit.fill.photos`)."""
    path = photo_path(photo)
    ref = dict(_digest(path, full_resolution, photo_version(path, path)))
    text = caption(photo)
    if text:
        ref["caption"] = text
    return ref


def without_label(label: str, text: str) -> str:
    """``text`` without its field's printed label in front: fill writes a
    value after the label, so a group "กลุ่มบริหารงานบุคคล" under the label
    "กลุ่ม" would read "กลุ่ม กลุ่มบริหารงานบุคคล". The label (compared by its
    key, as labels are found) is written once, and the canonical record
    holds the value without it, as parse reads it back (README, "Records":
    a value is what was written after its label)."""
    key = make_label(label).key
    clean = clean_chars(text)
    if not key or not clean_key(clean).startswith(key):
        return text
    return clean[key_ends(clean)[len(key) - 1] :]


def fill_warnings(form: FormDef, record: dict[str, Any]) -> list[Warning]:
    """What filling ``record`` warns about: an answer given for a field that
    details a box the record leaves unticked (:mod:`formkit.forms.belongs`;
    fill does not tick it: a tick is the office's own claim)."""
    return answers_without_box(form.fields, record, _answered)


def _answered(f: FieldDef, value: Any) -> bool:
    """Whether ``value`` fills field ``f`` (photos are not read for it)."""
    return bool(value) if f.kind == "images" else bool(_canon(f, value, True))


@lru_cache(maxsize=4096)
def _digest(path: str, full: bool, version: tuple[int, int, int, int]) -> tuple[tuple[str, str], ...]:
    """A photo's digest and media type as embedded, once per file version
    (a batch reuses the same pictures across many records)."""
    photo = _prepared(path, full, version)
    return (("sha256", hashlib.sha256(photo.data).hexdigest()), ("media_type", photo.info.media_type))


@lru_cache(maxsize=16)
def _prepared(path: str, full: bool, version: tuple[int, int, int, int]) -> Photo:
    """The photo file ``path`` as embedded, remembered for the last few: the
    canonical record takes its digest, then the render embeds it."""
    return prepare(read_photo(path), full, path)


# -- the render context ---------------------------------------------------------------------

def _context(fields: tuple[FieldDef, ...], record: dict[str, Any], canon: dict[str, Any], photos: _Photos) -> dict[str, Any]:
    ctx: dict[str, Any] = {}
    for f in fields:
        value = canon.get(f.name)
        if f.kind == "section":
            ctx[f.name] = value.split("\n") if value else []
        elif f.kind == "repeat":
            full = photos.full_resolution
            works = [w for w in (record.get(f.name) or []) if any(_canon_fields(f.fields, w or {}, full).values())]
            items = [_context(f.fields, w, c, photos) for w, c in zip(works, value or [])]
            ctx[f.name] = items or [_context(f.fields, {}, _canon_fields(f.fields, {}, full), photos)]
        elif f.kind == "images":
            ctx[f.name] = photos.rows(record.get(f.name) or [], value or [])
        elif f.kind == "control" and f.control == "picture":
            ctx[f.name] = photos.picture(record.get(f.name)) if value else None
        elif f.kind == "signature":
            ctx[f.name] = _context(f.fields, record.get(f.name) or {}, value or {}, photos)
        elif f.kind == "date":
            ctx[f.name] = thaidate.pieces(value or "", f.between)
        elif f.kind == "header":  # none given: the printed header stays as it is, every paragraph of it
            ctx[f.name] = _canon(f, record.get(f.name), False)
        else:
            ctx[f.name] = value if value is not None else ("" if f.kind != "level" else None)
    return ctx
