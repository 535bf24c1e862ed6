"""Fill tasks: ``formkit bulk`` and its two baselines.

Every task writes one .docx file per record into its own folder, so they all
pay for the same output I/O (formkit's own writes are atomic: a temporary
file renamed into place, the folder synced once at the end; the baselines
use a plain write).

* :class:`FormkitBulk`: :func:`formkit.api.bulk_fill` in this process (the
  command's code path without the interpreter start-up), reading the
  ``.jsonl`` and writing into a folder, ``--jobs 1`` or ``--jobs 2``, each
  document read back before it is written (the default) or not (``--no-verify``).
* :class:`DocxtplLoop`: what a docxtpl user writes: a new ``DocxTemplate``
  per document over formkit's own derived, docxtpl-tagged template
  (``Filler(form).template.docx()``), the same values, ``InlineImage`` for
  photos, ``autoescape=True``, ``save``.
* :class:`ZipFloor`: the floor. A document formkit filled once with
  placeholder values is held in memory (members read once); per document the
  placeholders of its XML parts are replaced by the record's values (one
  join over the pre-split text), the record's photos are taken from memory,
  and the zip is written with formkit's own settings (deflate level 6 for
  XML, stored pictures). Same members, same size, no template engine.

Run as a script, the docxtpl loop is a whole process of its own (for the
whole-process comparison with ``formkit bulk``)::

    python benchmarks/_fill.py docxtpl FORM TEMPLATE.docx RECORDS.jsonl OUT_DIR
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


@contextlib.contextmanager
def _chdir(folder: Path) -> Iterator[None]:
    """Run with ``folder`` as the working directory (contextlib.chdir is 3.11+)."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def _quiet() -> contextlib.AbstractContextManager[Any]:
    """Swallow what formkit prints on stderr (progress, summary lines)."""
    return contextlib.redirect_stderr(io.StringIO())


@dataclass(slots=True)
class FormkitBulk:
    """``formkit bulk FORM DATA -o DIR --jobs J``, in-process."""

    form: str
    data: Path
    warm_data: Path
    out: Path
    jobs: int = 1
    verify: bool = True

    def run(self, warm: bool = False) -> None:
        """Fill every row of the data file (``warm``: the warm-up file)."""
        from formkit.api import bulk_fill

        with _quiet():  # the command's own path: formkit bulk calls exactly this
            outcome = bulk_fill(self.form, self.warm_data if warm else self.data, out_dir=self.out,
                                name="{form}-{row}.docx", jobs=self.jobs, verify=self.verify).finish()
        if outcome.failed:
            raise RuntimeError(f"formkit bulk: {outcome.failed} row(s) of {self.form} failed")


# -- the docxtpl loop -------------------------------------------------------------------------


class _Picture:
    """An InlineImage as run XML for formkit's ``{{r cell.picture }}`` tag
    (docxtpl drops the tag's run, so the value must be whole runs). Rendered
    lazily: an InlineImage only works while docxtpl renders its part."""

    def __init__(self, image: Any) -> None:
        self.image = image

    def __html__(self) -> str:
        return f"<w:r><w:t>{self.image}</w:t></w:r>"

    __str__ = __html__


def docxtpl_context(fields: tuple[Any, ...], record: dict[str, Any], image: Any) -> dict[str, Any]:
    """The context formkit's template expects, built from the raw record as a
    docxtpl user would: lines split, photos as InlineImages in rows of two cells."""
    ctx: dict[str, Any] = {}
    for f in fields:
        value = record.get(f.name)
        if f.kind == "section":
            ctx[f.name] = str(value or "").split("\n") if value else []
        elif f.kind == "repeat":
            ctx[f.name] = [docxtpl_context(f.fields, item, image) for item in value or []]
        elif f.kind == "images":
            cells = [{"picture": _Picture(image(p)), "caption": ""} for p in value or []]
            cells += [{"picture": "", "caption": ""}] * (len(cells) % 2)
            ctx[f.name] = [cells[i : i + 2] for i in range(0, len(cells), 2)]
        elif f.kind == "boxes":
            ctx[f.name] = {key: bool((value or {}).get(key)) for key, _ in f.items}
        elif f.kind == "lines":
            ctx[f.name] = list(value or [])
        else:
            ctx[f.name] = value if value is not None else ("" if f.kind != "level" else None)
    return ctx


@dataclass(slots=True)
class DocxtplLoop:
    """A new DocxTemplate per document over formkit's derived tagged template."""

    form: str
    records: list[dict[str, Any]]
    photos: dict[str, bytes]
    out: Path
    template: bytes = b""
    fields: tuple[Any, ...] = ()
    env: Any = None

    def __post_init__(self) -> None:
        import jinja2
        from formkit import forms

        definition = forms.load(self.form)
        if not self.template:
            from formkit.fill.filler import Filler

            self.template = Filler(definition).template.docx()
        self.fields = definition.fields
        self.env = jinja2.Environment(autoescape=True)
        self.out.mkdir(parents=True, exist_ok=True)

    def run(self, warm: bool = False) -> None:
        """Render every record (``warm``: the first few) to its own file."""
        for row, record in enumerate(self.records[:5] if warm else self.records, 1):
            self.render_one(record, self.out / f"{self.form}-{row}.docx")

    def render_one(self, record: dict[str, Any], target: Path | io.BytesIO) -> None:
        """One document: open the template, build the context, render, save."""
        from docx.shared import Mm
        from docxtpl import DocxTemplate, InlineImage

        tpl = DocxTemplate(io.BytesIO(self.template))

        def image(path: Any) -> Any:
            key = path["path"] if isinstance(path, dict) else path
            return InlineImage(tpl, io.BytesIO(self.photos[key]), width=Mm(75))

        tpl.render({"f": docxtpl_context(self.fields, record, image)}, self.env, autoescape=True)
        tpl.save(target)


# -- the zip-copy floor -------------------------------------------------------------------------

_MARK = re.compile(r"QZX(\d+)XZQ")


def _placeholders(record: Any, paths: list[tuple[Any, ...]], prefix: tuple[Any, ...] = ()) -> Any:
    """A copy of ``record`` with every text leaf (photos excepted) replaced by
    a numbered marker; ``paths`` gets each marker's path into the record."""
    if isinstance(record, dict):
        return {k: (v if k == "photos" else _placeholders(v, paths, prefix + (k,))) for k, v in record.items()}
    if isinstance(record, list):
        return [_placeholders(v, paths, prefix + (i,)) for i, v in enumerate(record)]
    if isinstance(record, str) and prefix and prefix[-1] != "fiscal_year":
        paths.append(prefix)
        return f"QZX{len(paths) - 1}XZQ"
    return record


def _lookup(record: Any, path: tuple[Any, ...]) -> str:
    for key in path:
        record = record[key]
    return escape(str(record).replace("\n", " "))


@dataclass(slots=True)
class _Member:
    """One member of the floor's template: fixed bytes, or text pieces
    between markers (pieces[0], marker, pieces[1], marker, ...)."""

    name: str
    data: bytes = b""
    pieces: list[str] = field(default_factory=list)
    markers: list[int] = field(default_factory=list)
    media: bool = False


@dataclass(slots=True)
class ZipFloor:
    """Copy the template package, substitute its text as strings, write the zip."""

    form: str
    records: list[dict[str, Any]]
    photos: dict[str, bytes]
    work: Path
    out: Path
    members: list[_Member] = field(default_factory=list)
    paths: list[tuple[Any, ...]] = field(default_factory=list)
    photo_keys: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        from formkit import forms
        from formkit.fill.filler import Filler

        skeleton = _placeholders(self.records[0], self.paths)
        filler = Filler(forms.load(self.form))
        buf = io.BytesIO()
        with _chdir(self.work):  # photo paths are relative to the data folder
            filler.render(skeleton, buf)
        self._split(buf.getvalue())
        self.out.mkdir(parents=True, exist_ok=True)

    def _split(self, docx: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(docx)) as zf:
            for info in zf.infolist():
                data = zf.read(info)
                if info.compress_type == zipfile.ZIP_STORED and "/media/" in info.filename:
                    self.members.append(_Member(info.filename, data, media=True))
                elif b"QZX" in data:
                    parts = _MARK.split(data.decode("utf-8"))
                    self.members.append(_Member(info.filename, pieces=parts[0::2], markers=[int(m) for m in parts[1::2]]))
                else:
                    self.members.append(_Member(info.filename, data))
        found = {m for member in self.members for m in member.markers}
        missing = set(range(len(self.paths))) - found
        if missing:
            raise RuntimeError(f"floor: {len(missing)} placeholder(s) not found in the filled {self.form}")
        self.photo_keys = [(w, p) for w, work in enumerate(self.records[0].get("works", [])) for p in range(len(work["photos"]))]

    def run(self, warm: bool = False) -> None:
        """Write every record's document (``warm``: the first few)."""
        for row, record in enumerate(self.records[:5] if warm else self.records, 1):
            with open(self.out / f"{self.form}-{row}.docx", "wb") as fh:
                self.write_one(record, fh)

    def write_one(self, record: dict[str, Any], out: Any) -> None:
        """One document: substituted text parts, the record's photos, the rest copied."""
        photos = iter([self.photos[record["works"][w]["photos"][p]] for w, p in self.photo_keys])
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for m in self.members:
                info = zipfile.ZipInfo(m.name, _FIXED_TIME)
                if m.media:
                    info.compress_type = zipfile.ZIP_STORED
                    zf.writestr(info, next(photos))
                    continue
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, self._text(m, record) if m.markers else m.data)

    def _text(self, m: _Member, record: dict[str, Any]) -> bytes:
        values = [_lookup(record, self.paths[i]) for i in m.markers]
        out = [m.pieces[0]]
        for value, piece in zip(values, m.pieces[1:]):
            out.append(value)
            out.append(piece)
        return "".join(out).encode("utf-8")


# -- the docxtpl loop as a process of its own ------------------------------------------------------


class _PhotoFiles(dict[str, bytes]):
    """Photo bytes by the record's relative path, read from ``folder`` when first asked for."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def __missing__(self, key: str) -> bytes:
        data = (self.folder / key).read_bytes()
        self[key] = data
        return data


def docxtpl_process(argv: list[str]) -> int:
    """``docxtpl FORM TEMPLATE RECORDS OUT``: what a docxtpl user's script does,
    start to end: read the records, one new DocxTemplate per record, save."""
    import json
    import sys

    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:  # formkit's definitions give the fields (for the context)
        sys.path.insert(0, str(root))
    _, form, template, data, out = argv
    source = Path(data)
    with source.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    loop = DocxtplLoop(form, records, _PhotoFiles(source.parent), Path(out), Path(template).read_bytes())
    loop.run()
    return 0


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] != ["docxtpl"] or len(sys.argv) != 6:
        sys.exit(__doc__.split("Run as a script")[1])
    sys.exit(docxtpl_process(sys.argv[1:]))
