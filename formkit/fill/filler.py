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

from formkit.docx.writer import Media, PhotoNames, TemplatePackage
from formkit.errors import FormkitError
from formkit.forms import FieldDef, FormDef
from formkit.forms.belongs import answers_without_box
from formkit.docx.images import MAX_DOCUMENT_PHOTO_BYTES, read_photo, total_error
from formkit.locate import kinds
from formkit.locate.labels import make_label
from formkit.text import clean_chars, clean_key, key_ends
from formkit.warnings import Warning
from formkit.output import atomic_write_bytes
from formkit.fill.template import Template, derive


@dataclass(slots=True)
class _Photos:
    """The pictures of one document: media parts and their run XML."""

    width_emu: int
    names: PhotoNames
    media: list[Media] = field(default_factory=list)
    cache: dict[str, tuple[bytes, str, int, int]] = field(default_factory=dict)

    def run(self, path: str) -> str:
        data, ext, width, height = self._load(path)
        n = len(self.media) + 1
        part, rid = self.names.name(n, ext)
        self.media.append(Media(part, data, rid))
        cx = self.width_emu
        cy = int(cx * height / width) if width else cx
        return _drawing(rid, 1000 + n, f"photo-{n}.{ext}", cx, min(cy, cx * 2))

    def _load(self, path: str) -> tuple[bytes, str, int, int]:
        """The photo at ``path``, read and checked once per batch
        (:func:`formkit.docx.images.read_photo`); the photos of one document stay
        within :data:`~formkit.docx.images.MAX_DOCUMENT_PHOTO_BYTES`."""
        if path not in self.cache:
            photo = read_photo(path)
            self.cache[path] = (photo.data, photo.info.ext, photo.info.width, photo.info.height)
        total = sum(len(m.data) for m in self.media) + len(self.cache[path][0])
        if total > MAX_DOCUMENT_PHOTO_BYTES:
            raise FormkitError("bad-data", f"photo {path}: {total_error(total, MAX_DOCUMENT_PHOTO_BYTES)}")
        return self.cache[path]


class Filler:
    """Fills one form from many records; the template is derived and
    compiled once."""

    def __init__(self, form: FormDef, original: Path | None = None, clear: bool = False) -> None:
        self.form = form
        self.template: Template = derive(form, original, clear)
        self.package = TemplatePackage(dict(self.template.members), self.template.main_part)
        self._photo_cache: dict[str, tuple[bytes, str, int, int]] = {}
        try:
            self.compiled = {name: _ENV.from_string(part.skeleton()) for name, part in self.template.parts.items()}
            self.static = {name: tuple(map(Markup, part.static)) for name, part in self.template.parts.items()}
            self._rendered({})  # a template that cannot render is refused here, once (no zip written)
        except jinja2.TemplateError as exc:
            raise FormkitError(
                "bad-original", f"its blanks could not be turned into a fill template ({exc})", self.template.name
            ) from None

    def canonical(self, record: dict[str, Any]) -> dict[str, Any]:
        """What parse will read back from the document filled with ``record``."""
        return canonical(self.form, record, self.template.printed_year, self.template.printed_header)

    def render(self, record: dict[str, Any], out: IO[bytes]) -> dict[str, Any]:
        """Write the filled document to ``out``; return its canonical record."""
        canon, rendered, media = self._rendered(record)
        self.package.write(out, rendered, media)
        return canon

    def _rendered(self, record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, bytes], list[Media]]:
        """The canonical record, each compiled part rendered, and the photos."""
        canon = self.canonical(record)
        photos = _Photos(self._photo_width(), self.package.photo_names, cache=self._photo_cache)
        fields = _context(self.form.fields, record, canon, photos)
        rendered = {
            part: t.render(f=fields, static=self.static[part]).encode("utf-8") for part, t in self.compiled.items()
        }
        return canon, rendered, photos.media

    def fill(self, record: dict[str, Any], target: str | os.PathLike[str]) -> dict[str, Any]:
        """Render ``record`` into ``target`` atomically."""
        with atomic_write_bytes(target) as fh:
            return self.render(record, fh)

    def _photo_width(self) -> int:
        gap = 180000  # about 0.5 cm between two photos of a row
        return (self.template.text_width_emu - gap) // 2 - 36000


# Sandboxed, though the template's code is formkit's own (the original's XML
# never reaches Jinja, see formkit.fill.tags): a second wall. Autoescape
# on: answers hold & < > " and are written into XML.
_ENV = ImmutableSandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)


# -- the canonical record -----------------------------------------------------------------

def canonical(
    form: FormDef, record: dict[str, Any], printed_year: str | None, printed_header: str | None = None
) -> dict[str, Any]:
    """The record parse reads back: what the record gives, normalized; where
    it gives no year or office, what the original prints there (an office's
    copy carries its own name in the page header)."""
    out = _canon_fields(form.fields, record)
    printed = {"year": printed_year, "header": printed_header}
    for f in form.fields:
        if f.kind in printed and not out.get(f.name) and printed[f.kind]:
            out[f.name] = printed[f.kind]
    return {k: v for k, v in out.items() if not (_optional(form.fields, k) and v in (None, ""))}


def _optional(fields: tuple[FieldDef, ...], name: str) -> bool:
    return any(f.name == name and f.optional for f in fields)


def _canon_fields(fields: tuple[FieldDef, ...], record: dict[str, Any]) -> dict[str, Any]:
    return {f.name: _canon(f, record.get(f.name)) for f in fields}


def _canon(f: FieldDef, value: Any) -> Any:
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
        return [_photo_ref(p) for p in value or []]
    if kind == "repeat":
        works = [_canon_fields(f.fields, item or {}) for item in value or []]
        return [w for w in works if any(w.values())]
    return value


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
    return answers_without_box(form.fields, record, lambda f, value: bool(_canon(f, value)))


def _photo_path(photo: Any) -> str:
    if isinstance(photo, dict):
        if "path" not in photo:
            raise FormkitError("bad-data", "a photo to fill needs a file path (got a parsed photo reference)")
        return str(photo["path"])
    return str(photo)


def _photo_ref(photo: Any) -> dict[str, str]:
    return dict(_photo_digest(_photo_path(photo)))


@lru_cache(maxsize=4096)
def _photo_digest(path: str) -> tuple[tuple[str, str], ...]:
    """A photo's digest and media type, read and checked once per process
    (a batch reuses the same pictures across many records)."""
    photo = read_photo(path)
    return (("sha256", hashlib.sha256(photo.data).hexdigest()), ("media_type", photo.info.media_type))


# -- the render context ---------------------------------------------------------------------

def _context(fields: tuple[FieldDef, ...], record: dict[str, Any], canon: dict[str, Any], photos: _Photos) -> dict[str, Any]:
    ctx: dict[str, Any] = {}
    for f in fields:
        value = canon.get(f.name)
        if f.kind == "section":
            ctx[f.name] = value.split("\n") if value else []
        elif f.kind == "repeat":
            works = [w for w in (record.get(f.name) or []) if any(_canon_fields(f.fields, w or {}).values())]
            items = [_context(f.fields, w, c, photos) for w, c in zip(works, value or [])]
            ctx[f.name] = items or [_context(f.fields, {}, _canon_fields(f.fields, {}), photos)]
        elif f.kind == "images":
            runs = [photos.run(_photo_path(p)) for p in record.get(f.name) or []]
            ctx[f.name] = [Markup(_SPACE_RUN.join(runs[i : i + 2])) for i in range(0, len(runs), 2)]
        else:
            ctx[f.name] = value if value is not None else ("" if f.kind != "level" else None)
    return ctx


_SPACE_RUN = '<w:r><w:t xml:space="preserve">  </w:t></w:r>'


def _drawing(rid: str, pid: int, name: str, cx: int, cy: int) -> str:
    """An inline picture run (ECMA-376 Part 1, 20.4.2.8 inline; 20.2.2.5 pic)."""
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    pic = "http://schemas.openxmlformats.org/drawingml/2006/picture"
    wp = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return (
        f'<w:r><w:drawing><wp:inline xmlns:wp="{wp}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{pid}" name="Picture {pid}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{a}" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic xmlns:a="{a}"><a:graphicData uri="{pic}"><pic:pic xmlns:pic="{pic}">'
        f'<pic:nvPicPr><pic:cNvPr id="0" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip xmlns:r="{r}" r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )
