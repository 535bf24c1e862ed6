"""Form definitions: ``forms/<id>/form.yaml`` loaded into frozen values.

A definition names each field's locator kind and the printed labels that
anchor it; the Python side only implements the kinds (see
:mod:`formkit.locate`). A new form that fits the kinds needs no code.
The JSON Schema of a form's record is generated from the definition
(schema). Forms are found by id along a search path ($FORMKIT_FORMS, then the
shipped forms). Imports only the base modules.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from formkit.errors import FormkitError
from formkit.forms.controls import control_keys
from formkit.values import NamedTuple, compare_by_type
from formkit.yamlcache import load_yaml


# kind -> keys it requires besides kind/title
KINDS: dict[str, tuple[str, ...]] = {
    "level": ("header",),
    "section": ("label",),
    "value": ("label",),
    "lines": ("label",),
    "boxes": ("items",),
    "year": ("label",),
    "header": (),
    "images": ("label",),
    "repeat": ("start", "fields"),
    "control": ("control",),
    "grid": ("columns",),
    "date": ("label",),
    "signature": ("label", "fields"),
}


class FieldDef(NamedTuple):
    """One field of a form: its record name, locator kind and anchors."""

    name: str
    kind: str
    title: str
    label: str = ""
    optional: bool = False
    header: str = ""
    table: tuple[str, ...] = ()
    after: str = ""
    items: tuple[tuple[str, str], ...] = ()
    ignore: tuple[str, ...] = ()
    start: str = ""
    headings: tuple[str, ...] = ()
    fields: tuple[FieldDef, ...] = ()
    belongs_to: str = ""  # "group.key": the box whose answer this field details
    control: str = ""  # kind control: the control's type (forms.controls.CONTROL_TYPES)
    tag: str = ""  # kind control: the content control's tag, title (alias) or legacy field's bookmark
    alias: str = ""
    bookmark: str = ""
    choices: tuple[str, ...] = ()  # kind control: a list's display texts
    between: tuple[str, ...] = ()  # a date blank: the printed words (or "/") between its blanks
    until: str = ""  # a grid: the printed row ("Total") its rows end at


class FormDef(NamedTuple):
    """A whole form definition."""

    id: str
    title: str
    title_en: str
    folder: Path
    original: Path
    phrases: tuple[str, ...]
    min_score: float
    fields: tuple[FieldDef, ...]
    rubric: dict[str, Any]
    headings: tuple[str, ...] = ()

    def field(self, name: str) -> FieldDef:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@lru_cache(maxsize=1)
def shipped_dir() -> Path:
    """The forms shipped with formkit: ``formkit/_forms`` in an installed
    package (the repository's ``forms/``, mapped there by setup.cfg), else
    ``forms/`` of the source checkout the package runs from. Found once per
    process (every parse asks, and resolving the path costs system calls)."""
    package = Path(__file__).resolve().parent.parent  # formkit/
    inside = package / "_forms"
    return inside if inside.is_dir() else package.parent / "forms"


def search_path() -> tuple[Path, ...]:
    """Where forms are looked up by id, in order: each folder of
    ``$FORMKIT_FORMS`` (``os.pathsep``-separated, as PATH), then the shipped
    forms. An office keeps its learned forms in a folder of its own."""
    extra = [Path(p) for p in os.environ.get("FORMKIT_FORMS", "").split(os.pathsep) if p.strip()]
    return (*extra, shipped_dir())


def forms_dir() -> Path:
    """The first folder of the search path (where a new form would go first)."""
    return search_path()[0]


def _ids(folder: Path) -> list[str]:
    try:
        return sorted(p.name for p in folder.iterdir() if (p / "form.yaml").is_file())
    except OSError:  # a search-path folder that does not exist or cannot be listed
        return []


def catalog(root: Path | None = None) -> dict[str, Path]:
    """Form id -> its folder, over the search path (or ``root`` alone). Two
    folders holding one id are an error naming both: which one parse, fill
    and score would use must never depend on the order of a setting."""
    folders = (root,) if root is not None else search_path()
    return dict(_catalog(folders, tuple(_mtime(f) for f in folders)))


def _mtime(folder: Path) -> int:
    """A folder's modification time: it changes when a form folder is added
    or removed, so the listing cached below is redone then."""
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return -1


@lru_cache(maxsize=8)
def _catalog(folders: tuple[Path, ...], mtimes: tuple[int, ...]) -> tuple[tuple[str, Path], ...]:
    found: dict[str, Path] = {}
    for folder in folders:
        for form_id in _ids(folder):
            where = folder / form_id
            if form_id in found and found[form_id].resolve() != where.resolve():
                raise FormkitError("bad-form-definition", f"two forms have the id {form_id!r}: "
                                   f"{found[form_id]} and {where}; rename or remove one of them")
            found.setdefault(form_id, where)
    return tuple(found.items())


def available(root: Path | None = None) -> list[str]:
    """Ids of the known forms (the search path, or ``root`` alone), sorted."""
    return sorted(catalog(root))


def load_all(root: Path | None = None) -> list[FormDef]:
    """Every known form whose definition loads (the search path, or ``root``
    alone); the folders are listed once per process. A broken definition
    beside them is left out, so it never breaks another form: :func:`broken`
    names it (the command line says so once, on stderr), and loading it by
    its id or path gives its error."""
    return usable(root)[0]


def broken(root: Path | None = None) -> list[FormkitError]:
    """The error of each definition on the search path (or in ``root``) that does not load."""
    return usable(root)[1]


def usable(root: Path | None = None) -> tuple[list[FormDef], list[FormkitError]]:
    """The known forms that load, and the errors of those that do not."""
    good: list[FormDef] = []
    bad: list[FormkitError] = []
    for _, folder in sorted(catalog(root).items()):
        path = folder / "form.yaml"
        try:
            good.append(_load_path(str(path.resolve())))
        except FormkitError as exc:
            bad.append(exc)
        except OSError as exc:
            bad.append(FormkitError("bad-form-definition", f"{path}: {exc.strerror or exc}"))
    return good, bad


def broken_notices() -> list[str]:
    """One line per broken definition on the search path, for the command
    line to say once: which form is left out and why (nothing when the
    search path itself is wrong: the command reports that)."""
    try:
        problems = broken()
    except FormkitError:
        return []
    return [f"warning [{exc.code}]: form left out, the others work: {exc.message}" for exc in problems]


def load(form_id: str, root: Path | None = None) -> FormDef:
    """Load a form by id from the search path (or ``root``), cached per
    path. ``form_id`` may also be a path: a form folder or its form.yaml (a
    learned or draft form kept anywhere)."""
    if is_path(form_id):
        return load_path(Path(form_id))
    return load_id(form_id, root)


_ID = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}"  # compiled on first use: only a named form is looked up


def load_id(form_id: str, root: Path | None = None) -> FormDef:
    """The form whose id is ``form_id``, never a path: what an input file
    names as its form (a parse or score result) is looked up here."""
    known = catalog(root)
    folder = known.get(form_id) if isinstance(form_id, str) and re.fullmatch(_ID, form_id) else None
    if folder is None:
        names = ", ".join(sorted(known)) or "none"
        raise FormkitError("no-such-form", f"no form {str(form_id)[:100]!r} (known forms: {names})")
    return _load_path(str((folder / "form.yaml").resolve()))


def is_path(form: str) -> bool:
    """True when ``form`` names a folder or file rather than a form id."""
    return "/" in form or os.sep in form or form.endswith((".yaml", ".yml")) or form in (".", "..")


def load_path(where: Path) -> FormDef:
    """The definition in folder ``where`` (or the form.yaml ``where``)."""
    path = where / "form.yaml" if where.is_dir() else where
    if not path.is_file():
        raise FormkitError("no-such-form", f"{where}: no form.yaml there")
    return _load_path(str(path.resolve()))


@lru_cache(maxsize=64)
def _load_path(path: str) -> FormDef:
    where = Path(path)
    try:
        data = load_yaml(where.read_text("utf-8"))
        return _form(data, where.parent)
    except FormkitError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:  # YamlDataError is a ValueError
        raise FormkitError("bad-form-definition", f"{where}: {exc}") from None


def _form(data: dict[str, Any], folder: Path) -> FormDef:
    where = folder / "form.yaml"
    if not isinstance(data, dict):
        raise FormkitError("bad-form-definition", f"{where}: a mapping of keys (id, fields ...) is needed")
    for key in ("id", "fields"):
        if key not in data:
            raise FormkitError("bad-form-definition", f"{where}: no {key!r}")
    if not isinstance(data["fields"], dict) or not data["fields"]:
        raise FormkitError("bad-form-definition", f"{where}: 'fields' must map each field's name to its definition "
                           "(none given)")
    recognize = data.get("recognize") or {}
    fields = tuple(_field(name, spec, folder) for name, spec in data["fields"].items())
    _check_belongs(fields, folder)
    return FormDef(
        id=str(data["id"]),
        title=str(data.get("title", data["id"])),
        title_en=str(data.get("title_en", "")),
        folder=folder,
        original=folder / str(data.get("original", "original.docx")),
        phrases=tuple(str(p) for p in recognize.get("phrases") or ()),  # "phrases:" left empty is none
        min_score=float(recognize.get("min_score", 0.5)),
        fields=fields,
        rubric=dict(data.get("rubric") or {}),
        headings=tuple(str(h) for h in data.get("headings") or ()),
    )


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


def _check_name(name: Any, folder: Path, what: str) -> str:
    """A field name or box key is an identifier: it names a JSON key, a CSV
    column and a value in the fill template, so nothing else is accepted."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise FormkitError("bad-form-definition", f"{folder / 'form.yaml'}: {what} {name!r} is not a name "
                           "(letters, digits and _, not starting with a digit, at most 64)")
    return name


def _field(name: str, spec: dict[str, Any], folder: Path) -> FieldDef:
    _check_name(name, folder, "field")
    kind = spec.get("kind")
    if kind not in KINDS:
        raise FormkitError(
            "bad-form-definition", f"{folder / 'form.yaml'}: field {name!r}: unknown kind {kind!r}"
        )
    missing = [k for k in KINDS[kind] if not spec.get(k)]
    if missing:
        raise FormkitError(
            "bad-form-definition",
            f"{folder / 'form.yaml'}: field {name!r} ({kind}) needs {', '.join(missing)}",
        )
    items = spec.get("items") or {}
    if kind == "signature":
        _signature_parts(name, spec, folder)
    return FieldDef(
        name=name,
        kind=kind,
        title=str(spec.get("title", name)),
        label=str(spec.get("label", "")),
        optional=bool(spec.get("optional", False)),
        header=str(spec.get("header", "")),
        table=tuple(str(t) for t in spec.get("table", ())),
        after=str(spec.get("after", "")),
        items=tuple((_check_name(k, folder, f"box of field {name!r}"), str(v)) for k, v in items.items()),
        ignore=tuple(str(t) for t in spec.get("ignore", ())),
        start=str(spec.get("start", "")),
        headings=tuple(str(t) for t in spec.get("headings", ())),
        fields=_columns(name, spec, folder) if kind == "grid" else _sub_fields(spec, folder),
        belongs_to=str(spec.get("belongs_to") or ""),
        **control_keys(name, spec, folder),
        between=tuple(str(t) for t in spec.get("between") or ()),
        until=str(spec.get("until") or ""),
    )


def _signature_parts(name: str, spec: dict[str, Any], folder: Path) -> None:
    """A signature's parts are value and date fields (name, position, date):
    the signature itself is never filled."""
    parts = spec.get("fields")
    bad = [k for k, v in parts.items() if not isinstance(v, dict) or v.get("kind") not in ("value", "date")] \
        if isinstance(parts, dict) else ["fields"]
    if bad:
        raise FormkitError("bad-form-definition", f"{folder / 'form.yaml'}: field {name!r} (signature): "
                           f"{', '.join(map(str, bad))} must be value or date fields")


def _columns(name: str, spec: dict[str, Any], folder: Path) -> tuple[FieldDef, ...]:
    """A grid's columns (``columns: {key: printed header}``) as one-line
    value fields labelled by their header cells."""
    columns = spec.get("columns") or {}
    if not isinstance(columns, dict):
        raise FormkitError("bad-form-definition", f"{folder / 'form.yaml'}: field {name!r} (grid): columns "
                           "is a mapping of column names to printed headers")
    return tuple(FieldDef(name=_check_name(k, folder, f"column of field {name!r}"), kind="value", title=str(v),
                          label=str(v)) for k, v in columns.items())


def _sub_fields(spec: dict[str, Any], folder: Path) -> tuple[FieldDef, ...]:
    fields = tuple(_field(n, s, folder) for n, s in (spec.get("fields") or {}).items())
    _check_belongs(fields, folder)
    return fields


_BELONGS_KINDS = ("section", "value", "lines", "images")


def _check_belongs(fields: tuple[FieldDef, ...], folder: Path) -> None:
    """``belongs_to: group.key`` names a box of a ``boxes`` field among the
    same fields (the box "other evidence, please specify" and the lines that
    specify it): fill and parse warn when the field holds an answer and that
    box is not ticked. Only answer fields may belong to a box."""
    boxes = {f.name: {key for key, _ in f.items} for f in fields if f.kind == "boxes"}
    for f in fields:
        if not f.belongs_to:
            continue
        where = f"{folder / 'form.yaml'}: field {f.name!r}: belongs_to {f.belongs_to!r}"
        if f.kind not in _BELONGS_KINDS:
            raise FormkitError("bad-form-definition", f"{where}: only a {', '.join(_BELONGS_KINDS)} field "
                               "may belong to a box")
        group, _, key = f.belongs_to.partition(".")
        if key not in boxes.get(group, ()):
            known = ", ".join(f"{g}.{k}" for g, keys in boxes.items() for k in sorted(keys)) or "none"
            raise FormkitError("bad-form-definition", f"{where} is not a box of a boxes field beside it "
                               f"(write it as field.key; the boxes here: {known})")


compare_by_type(FieldDef)
compare_by_type(FormDef)
