"""One exception family for everything a user can be told about a file.

Every error carries a stable kebab-case ``code`` (documented in README.md) and a
message written for the person holding the file. Nothing below this layer
(zipfile, lxml, KeyError ...) may escape to a user: the edge code converts it
into a :class:`FormkitError`.
"""
from __future__ import annotations

# code -> one-line meaning, as listed in README.md
ERROR_CODES: dict[str, str] = {
    "not-found": "the file does not exist or cannot be opened",
    "not-docx": "the file is not a Word .docx package (empty, not a zip, or a legacy .doc)",
    "corrupt": "the zip container is damaged or truncated",
    "encrypted": "the document is password-protected",
    "missing-part": "the package has no main document part",
    "bad-xml": "a part of the package is not well-formed XML",
    "unsafe-xml": "a part declares a DOCTYPE or entities; refused, never resolved",
    "too-large": "a size, expansion-ratio or member-count limit was exceeded",
    "unknown-form": "the document is not one of the known forms",
    "form-mismatch": "the document is a known form, but not the one named with --form",
    "internal-error": "formkit itself failed on this file (a bug: please report it with the file)",
    "bad-original": "the original given to fill cannot be turned into a fill template",
    "original-has-answers": "the original given to fill already holds answers (use the blank form, or --clear)",
    "no-such-form": "no form definition has that id",
    "bad-form-definition": "a forms/<id>/form.yaml is invalid",
    "converter-missing": "LibreOffice is not installed (needed to convert or preview documents)",
    "renderer-missing": "poppler-utils (pdftoppm, pdfinfo) is not installed (needed for PNG previews)",
    "conversion-failed": "LibreOffice could not convert the file (damaged, or not a Word/OpenDocument/RTF document)",
    "conversion-timeout": "LibreOffice did not finish converting the file within the time limit and was stopped",
    "bad-data": "a data file for fill or bulk cannot be read, or a record in it does not fit the form",
    "bad-input": "an input to score or report is not a parse or score result (not JSON, or without the result's keys)",
    "cannot-write": "an output could not be written (no such folder, read-only, disk full); nothing half-written was left",
    "no-rubric": "the form has no rubric section in its form.yaml, so its records cannot be scored",
    "cannot-learn": "learn could not draft a definition that loads and passes check on its own original",
    "verify-failed": "a filled document did not read back as its record (named field by field); it was not written",
}


class FormkitError(Exception):
    """An error about one input, with a stable code and a readable message."""

    def __init__(self, code: str, message: str, file: str | None = None) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unregistered error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.file = file

    def __reduce__(self) -> tuple[type[FormkitError], tuple[str, str, str | None]]:
        """Rebuilt whole after crossing a process boundary (worker pools)."""
        return (type(self), (self.code, self.message, self.file))

    def with_file(self, file: str) -> FormkitError:
        """Return the same error naming ``file`` (kept if one is already named)."""
        if self.file is None:
            self.file = file
        return self

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": str(self)}

    def __str__(self) -> str:
        return f"{self.file}: {self.message}" if self.file else self.message
