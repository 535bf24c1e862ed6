"""Field names for a learned definition and its form.yaml text.

Names are ASCII snake_case: the label's own ASCII words when it has some
("E-mail" -> ``e_mail``), else English parts for the Thai words of
formkit/data/learn.yaml, else ``field_N``. The YAML is written by hand (not
by a YAML dumper) so each doubt can stand as a ``# CHECK:`` comment beside
the field it is about; strings are JSON-quoted, which YAML reads as
double-quoted scalars.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from formkit.learn.model import Draft, Proposal, name_from

_DEFAULT_NAMES = {"level": "level", "header": "office", "images": "photos", "repeat": "blocks", "boxes": "boxes",
                  "grid": "rows", "date": "date", "signature": "signature"}


def name_fields(fields: list[Proposal]) -> None:
    """Give every field in ``fields`` (and in repeated blocks) a unique name."""
    used: set[str] = set()
    counter = [0]
    for f in fields:
        base = f.name or _name_for(f)
        if not base:
            counter[0] += 1
            base = f"field_{len(used) + 1}"
            f.notes.append("no clear English name in the label: rename this field")
        f.name = _unique(base, used)
        if f.fields:
            name_fields(f.fields)
        if f.kind == "boxes":
            f.spec["items"] = _item_names(f.spec["items"])
        if f.kind == "grid":
            f.spec["columns"] = _item_names(f.spec["columns"], "column")


def _item_names(labels: list[str] | dict[str, str], prefix: str = "item") -> dict[str, str]:
    if isinstance(labels, dict):
        return labels
    used: set[str] = set()
    out: dict[str, str] = {}
    for n, label in enumerate(labels, 1):
        out[_unique(name_from(label) or f"{prefix}_{n}", used)] = label
    return out


def _name_for(f: Proposal) -> str:
    if f.kind == "grid":
        return _DEFAULT_NAMES["grid"]
    label = str(f.spec.get("label") or f.spec.get("start") or f.spec.get("after") or f.title)
    return name_from(label) or _DEFAULT_NAMES.get(f.kind, "")


def _unique(base: str, used: set[str]) -> str:
    name, n = base, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name)
    return name


# Characters YAML may not hold even quoted (YAML 1.1 §5.1 "printable"): written as escapes.
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# Plain words YAML 1.1 (PyYAML's resolver) reads as booleans or null, not as text.
_YAML_WORDS = re.compile(r"y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
                         r"|null|Null|NULL|~")


def _q(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _key(name: str) -> str:
    """A field name or box key as a mapping key: plain, or quoted where YAML
    would read it as a boolean or null (a box "Yes" named ``yes``)."""
    return _q(name) if _YAML_WORDS.fullmatch(name) else name


def render(draft: Draft) -> str:
    """The form.yaml text of ``draft``."""
    name_fields(draft.fields)
    out = [
        f"# Form definition drafted by `formkit learn` from {draft.source}.",
        "# Read every CHECK comment, rename fields to taste, then test it:",
        "#   formkit check DIR                  every anchor found in the original",
        "#   formkit check DIR --roundtrip 20   generated records filled and parsed back",
        f"id: {_q(draft.form_id)}",
        f"title: {_q(draft.title)}",
        "original: original.docx",
        "",
        "# Recognition: the share of these printed phrases found in a document.",
        "recognize:",
        "  min_score: 0.5",
        "  phrases:" + ("" if draft.phrases else " []"),
        *[f"    - {_q(p)}" for p in draft.phrases],
    ]
    for note in draft.notes:
        out.append(f"# CHECK: {note}")
    for gone in draft.left_out:
        out.append(f"# CHECK: left out, as it did not pass check or come back filled: {gone}")
    if draft.headings:
        out += ["", "# Printed lines that end the answer above them.", "headings:"]
        out += [f"  - {_q(h)}" for h in draft.headings]
    out += ["", "fields:"]
    for f in draft.fields:
        out += _field(f, "  ")
    return "\n".join(out) + "\n"


def _field(f: Proposal, pad: str) -> list[str]:
    lines = [""] if pad == "  " else []
    lines += [f"{pad}# CHECK: {note}" for note in f.notes]
    lines.append(f"{pad}{_key(f.name)}:")
    inner = pad + "  "
    lines.append(f"{inner}kind: {f.kind}")
    lines.append(f"{inner}title: {_q(f.title or f.name)}")
    for key, value in f.spec.items():
        lines += _value(key, value, inner)
    if f.fields:
        lines.append(f"{inner}fields:")
        for sub in f.fields:
            lines += _field(sub, inner + "  ")
    return lines


def _value(key: str, value: Any, pad: str) -> list[str]:
    if isinstance(value, bool):
        return [f"{pad}{key}: {'true' if value else 'false'}"]
    if isinstance(value, dict):
        return [f"{pad}{key}:"] + [f"{pad}  {_key(k)}: {_q(v)}" for k, v in value.items()]
    if isinstance(value, list):
        return [f"{pad}{key}: [{', '.join(_q(v) for v in value)}]"]
    return [f"{pad}{key}: {_q(str(value))}"]


def write_draft(original: Path, form_id: str, out_dir: Path | None, force: bool = False) -> tuple[str, Draft]:
    """Learn ``original``: the form.yaml text and the draft. With ``out_dir``,
    write ``out_dir``/form.yaml and original.docx (each atomically); the
    written definition is loaded back before this returns, so a draft that
    formkit cannot read is never left behind."""
    from formkit.errors import FormkitError
    from formkit.files import read_regular
    from formkit.forms import load_path
    from formkit.learn.learner import learn
    from formkit.docx.package import Limits
    from formkit.output import atomic_write, atomic_write_bytes
    from formkit.read.parse import legacy_format
    from formkit.learn.verify import verified

    if not _ID.fullmatch(form_id):
        raise FormkitError("bad-input", f"--id {form_id!r}: use lower-case letters, digits, '-' and '_'")
    target = out_dir / "form.yaml" if out_dir is not None else None
    if target is not None and target.exists() and not force:
        raise FormkitError("bad-input", f"{target} exists: give --force to replace it", str(target))
    data = read_regular(original, Limits().max_file_bytes, str(original), "max_file_bytes")
    kind = legacy_format(original)
    if kind is not None:
        data = _converted(original, kind)
    draft = learn(data, form_id, str(original))
    draft.source = original.name
    if kind is not None:
        draft.notes.insert(0, f"learned from a .{kind} original converted by LibreOffice; original.docx is that conversion")
    if target is None:
        return render(draft), draft
    text = verified(draft, data, render)
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write_bytes(target.parent / "original.docx") as fh:
        fh.write(data)
    with atomic_write(target) as fh:
        fh.write(text)
    load_path(target.parent)
    return text, draft


def _converted(original: Path, kind: str) -> bytes:
    """A legacy (.doc, .rtf, .odt) original as .docx bytes, through LibreOffice."""
    import tempfile

    from formkit.office.convert import Converter
    from formkit.errors import FormkitError

    with Converter(purpose=f"learn from a .{kind} file") as converter, tempfile.TemporaryDirectory() as tmp:
        out = converter.convert([original], "docx", Path(tmp))[original]
        if isinstance(out, FormkitError):
            raise out
        return Path(out).read_bytes()


_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
