"""Deriving a fill template from an original form, by the form's locators.

The original (ours in forms/<id>/, or an office's own copy) is read and
located exactly as ``parse`` reads a returned form; every blank and box the
locators find becomes a docxtpl tag in a copy of its XML: dotted lines become
``{%p for line in f.process %}`` paragraphs (the dots kept in an ``else``),
dots after a label become ``{{ f.title }}``, boxes get a ticked glyph of
their own family when their condition holds, the printed year becomes
``{{ f.fiscal_year }}``, the repeated block a ``{%p for w in f.works %}``
loop with its photos. Nothing is hand-typed, so an office's copy whose runs
are split elsewhere gets the same template. The tags never become text of
the document (:mod:`formkit.fill.tags`); :mod:`formkit.fill.build`
applies them field by field, :mod:`formkit.fill.members` chooses what a
filled document carries.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from formkit import forms as formdefs
from formkit.forms import FormDef
from formkit.locate import Located, locate
from formkit.locate.stream import build
from formkit.errors import FormkitError
from formkit.read.recognize import recognize_key, stream_key
from formkit.fill import layout
from formkit.fill.build import Builder
from formkit.fill.controls import apply_controls
from formkit.fill.header import prepare_header
from formkit.fill.members import carried
from formkit.fill.tags import Part, Tags
from formkit.fill.answers import held_answers, not_cleared, refusal
from formkit.fill.clear import Side, clear_document, repack
from formkit.fill.edit import W_P, heading_styles, unhead_added


@dataclass(slots=True)
class Template:
    """A derived template: the members of the filled documents, the parts
    that are rendered (static XML and tags), and what rendering needs."""

    form: FormDef
    members: dict[str, bytes]
    parts: dict[str, Part]
    main_part: str
    header_part: str | None
    printed_year: str | None
    text_width_twips: int  # of the last section: the photo grid's cells are sized from it
    notes: list[str] = field(default_factory=list)
    name: str = ""
    printed_header: str | None = None

    def docx(self) -> bytes:
        """The template as an ordinary .docx with docxtpl's tags, to open in
        Word and see where each value goes. formkit renders ``parts``, never
        this file: in it, static text of the original that holds ``{{`` would
        be read by docxtpl as a tag."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in self.members.items():
                part = self.parts.get(name)
                zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), part.docxtpl() if part else data)
        return buf.getvalue()


def derive(form: FormDef, original: Path | None = None, clear: bool = False) -> Template:
    """The template for ``form`` from ``original`` (default: the shipped one),
    cached per (form definition, original bytes, ``clear``). An original that
    holds answers is refused (``original-has-answers``), or with ``clear``
    cleared first (:mod:`formkit.fill.clear`)."""
    path = original or form.original
    data = _read_original(path)
    key = _key(form, data, clear)
    return _derive_cached(key, str(form.folder), data, str(path), clear)


def _read_original(path: Path) -> bytes:
    from formkit.files import read_regular
    from formkit.docx.package import Limits

    return read_regular(path, Limits().max_file_bytes, str(path), "max_file_bytes")


def _key(form: FormDef, data: bytes, clear: bool = False) -> str:
    definition = (form.folder / "form.yaml").read_bytes()
    return hashlib.sha256(definition + b"\0" + data + (b"\0clear" if clear else b"")).hexdigest()


@lru_cache(maxsize=16)
def _derive_cached(key: str, folder: str, data: bytes, name: str, clear: bool) -> Template:
    return _derive(formdefs.load_path(Path(folder)), data, name, clear)


@dataclass(slots=True)
class _Read:
    """An original read and located: what deriving (or clearing) takes from it."""

    located: Located
    root: etree._Element
    members: dict[str, bytes]
    main: str
    styles: etree._Element | None

    def side(self) -> Side:
        assert self.located.stream is not None
        return Side(self.located.stream, self.located.where, list(self.root.iter(W_P)))


def _read(form: FormDef, data: bytes, name: str) -> _Read:
    from formkit.docx.package import open_package
    from formkit.docx.reader import read_document, styles_part

    with open_package(data, name) as pkg:
        model = read_document(pkg, refs=True, boxes=True)
        stream = build(model.body)  # keyed once, for recognition and the locators
        recognize_key(stream_key(stream), formdefs.load_all(), form)
        located = locate(form, model, stream)
        main = pkg.main_part
        root = pkg.xml(main)  # parsed once: the reader is done with it, the template takes it over
        members = carried(pkg)
        main = pkg.member_name(main) or main
        part = styles_part(pkg)
        styles = pkg.xml(part) if part is not None else None
    return _Read(located, root, members, main, styles)


@lru_cache(maxsize=4)
def _blank(key: str, folder: str) -> Side:
    """The form's own blank original, read and located (never changed: clearing copies from it)."""
    form = formdefs.load_path(Path(folder))
    return _read(form, _read_original(form.original), str(form.original)).side()


def _cleared(form: FormDef, read: _Read, name: str, clear: bool) -> _Read:
    """``read`` when its original holds no answers; else refused, or cleared and read again."""
    held = held_answers(form, read.located)
    if not held:
        return read
    if not clear:
        raise refusal(name, held)
    blank = _blank(_key(form, _read_original(form.original)), str(form.folder))
    try:
        clear_document(form, read.side(), blank)
    except FormkitError as exc:
        raise exc.with_file(name) from None
    again = _read(form, repack(read.members, read.main, read.root), name)
    still = held_answers(form, again.located)
    if still:
        raise not_cleared(name, still)
    return again


def _derive(form: FormDef, data: bytes, name: str, clear: bool = False) -> Template:
    read = _cleared(form, _read(form, data, name), name, clear)
    located, root, members, main = read.located, read.root, read.members, read.main
    tags = Tags()
    builder = Builder(root, located, tags)
    builder.fields(form.fields, located.where, "f")
    unhead_added(root, builder.elements, heading_styles(read.styles))
    trees = {main: root}
    trees.update(apply_controls(form, root, members, tags, builder.notes))
    head = None
    if _has_kind(form, "header"):
        field = next(f for f in form.fields if f.kind == "header")
        head, trees[head] = prepare_header(members, main, root, f"f[{field.name!r}]", tags)
    parts = {part_name: tags.part(tree) for part_name, tree in trees.items()}
    year, office = (_printed(form, located, kind) for kind in ("year", "header"))
    return Template(form, members, parts, main, head, year, layout.text_width_twips(root), builder.notes, name, office)


def _printed(form: FormDef, located: Located, kind: str) -> str | None:
    """What the original prints for its first field of ``kind`` (its year, its header), or None."""
    printed = [located.record.get(f.name) for f in form.fields if f.kind == kind]
    return printed[0] if printed and isinstance(printed[0], str) and printed[0] else None


def _has_kind(form: FormDef, kind: str) -> bool:
    return any(f.kind == kind for f in form.fields)
