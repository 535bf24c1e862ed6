"""Read-back: every document fill or bulk writes is parsed back before it is
written, and compared with the record it was filled from.

The comparison is the round trip's (``parse(fill(r)) == canonical(r)``,
proved over generated records by the tests and by ``formkit check
--roundtrip``): the bytes about to be written are parsed as ``parse`` parses
a returned document, with the form the fill used, and the record parse gives
is compared with the filled record's canonical form
(:meth:`formkit.fill.filler.Filler.canonical`: text normalised as parse
normalises it, photos as the digest and media type of the bytes embedded,
the printed year and office kept where the record gives none, untouched
works dropped). What parse cannot read back because the original has no
place for it is not the document's fault and not compared: fields the
original lacks (the template found no blank for them).

A difference is ``verify-failed`` for that document, naming each field by
its path (``works[2].title``: the second work's title; ``evidence.km_plan``),
what the record says and what was read back; nothing is written.
"""
from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from formkit.errors import FormkitError

if TYPE_CHECKING:
    from formkit.docx.writer import DateTime
    from formkit.fill.filler import Filler
    from formkit.forms import FormDef

_SHOWN = 6  # differences named in the message (all of them are in ``differences``)
_CHARS = 80  # characters of a value shown in the message


@dataclass(frozen=True, slots=True)
class Difference:
    """One field that did not come back as filled: its path in the record
    (list items counted from 1), the value filled and the value read back
    (None: absent)."""

    path: str
    expected: Any
    got: Any

    def describe(self) -> str:
        return f"{self.path}: filled {_short(self.expected)}, read back {_short(self.got)}"


def differences(expected: Any, got: Any, path: str = "", skip: Iterable[str] = (), _field: str = "") -> list[Difference]:
    """Where ``got`` (what parse read) differs from ``expected`` (the canonical
    record), field by field; a field missing on one side counts as None.
    ``skip``: fields not compared, by name (``works.title`` for a field of
    every work)."""
    if isinstance(expected, dict) and isinstance(got, dict):
        left = skip if isinstance(skip, (set, frozenset)) else frozenset(skip)
        out: list[Difference] = []
        for key in sorted(set(expected) | set(got), key=str):
            name = f"{_field}.{key}" if _field else str(key)
            if name not in left:
                out += differences(expected.get(key), got.get(key), f"{path}.{key}" if path else str(key), left, name)
        return out
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        return [d for n, (e, g) in enumerate(zip(expected, got), 1)
                for d in differences(e, g, f"{path}[{n}]", skip, _field)]
    return [] if expected == got else [Difference(path or "(record)", expected, got)]


class ReadBackError(FormkitError):
    """``verify-failed``: the document read back differs from its record;
    ``differences`` says where."""

    def __init__(self, message: str, file: str | None = None, found: tuple[Difference, ...] = ()) -> None:
        super().__init__("verify-failed", message, file)
        self.differences = found

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.file, self.differences))


def read_back(form: FormDef, data: bytes, canon: dict[str, Any], name: str | None = None,
              skip: Iterable[str] = ()) -> None:
    """Parse ``data`` (a document filled for ``form``, to be written as
    ``name``) as parse would and compare its record with ``canon``; raise
    :class:`ReadBackError` when they differ or the document cannot be read."""
    from formkit.read.parse import parse_file

    result = parse_file(data, name or "filled.docx", str(form.folder))
    if result.error is not None:
        raise ReadBackError(f"the filled document could not be read back ({result.error.code}: "
                            f"{result.error.message}); it was not written", name)
    found = tuple(differences(canon, result.record or {}, skip=skip))
    if found:
        shown = "; ".join(d.describe() for d in found[:_SHOWN])
        more = f"; and {len(found) - _SHOWN} more" if len(found) > _SHOWN else ""
        raise ReadBackError(f"the filled document does not read back as its record ({shown}{more}); "
                            "it was not written (a bug: please report it with the record)", name, found)


def render_checked(filler: Filler, record: dict[str, Any], name: str | None = None, when: DateTime | None = None,
                   verify: bool = True) -> tuple[bytes, dict[str, Any]]:
    """The document ``filler`` fills from ``record`` and its canonical record,
    read back first when ``verify``."""
    buf = io.BytesIO()
    canon = filler.render(record, buf, when)
    data = buf.getvalue()
    if verify:
        read_back(filler.form, data, canon, name, filler.unplaced)
    return data, canon


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _CHARS else text[: _CHARS - 3] + "..."
