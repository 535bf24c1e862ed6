"""Warnings are values: a stable kebab-case code, the field they concern and
a message for the person checking the file. The codes are listed in README.md."""
from __future__ import annotations

from formkit.values import NamedTuple, compare_by_type


WARNING_CODES: dict[str, str] = {
    "field-not-found": "a field's printed label (or table, or box) was not found; the field is empty",
    "multiple-levels-ticked": "more than one quality level is ticked; level is null",
    "tracked-changes": "the document holds tracked changes; insertions were read as accepted, deletions ignored",
    "comments-ignored": "the document holds comments; they are not part of any answer",
    "converted-from-doc": "the file was converted from legacy .doc before reading",
    "converted-from-odt": "the file was converted from OpenDocument .odt before reading",
    "converted-from-fodt": "the file was converted from flat OpenDocument .fodt before reading",
    "converted-from-rtf": "the file was converted from RTF before reading",
    "converted-from-wpd": "the file was converted from WordPerfect before reading",
    "struck-text": "struck-through text inside an answer (a deletion) was left out of it",
    "struck-box": "a struck-through box or mark is not read as a tick",
    "box-glyph-dropped": "the program that saved the file dropped a box glyph; the mark or letter left was read as the box",
    "checkbox-state-lost": "legacy check boxes of an .rtf carry no state (LibreOffice's .rtf export drops it)",
    "line-breaks-lost": "LibreOffice moved a multi-line answer's line breaks out of it; read without them",
    "table-gone": "the document has no table (a program flattened it): the quality level was read from paragraphs",
    "answer-without-box": "a field that details a box (its belongs_to) holds an answer, but that box is not ticked",
    "form-incomplete": "the form was recognised from what remains of it; the phrases and labels not found are named",
}


class Warning(NamedTuple):
    code: str
    message: str
    field: str | None = None

    @classmethod
    def of(cls, code: str, field: str | None, message: str) -> Warning:
        if code not in WARNING_CODES:
            raise ValueError(f"unregistered warning code {code!r}")
        return cls(code, f"{field}: {message}" if field else message, field)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


compare_by_type(Warning)
