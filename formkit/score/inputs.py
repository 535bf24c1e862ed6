"""What ``score`` and ``report`` read: Word documents, parsed here as ``parse``
parses them, and parse or score results, checked field by field.

What an input is comes from its bytes, never from its name alone (the
magic numbers :mod:`formkit.docx.sniff` names files by; what a document is
then, and the error it gets, is ``parse``'s own):

* a folder gives the documents ``parse`` takes from it (the .docx family
  and, when converting, .doc/.rtf/.odt: :func:`formkit.read.inputs.expand_inputs`)
  and every other file whose first bytes show a document of another kind
  (a PDF, a workbook, a zip or other archive, a web page): an office that
  returned one has its row, with the error ``parse`` gives for it, so no
  office disappears from a batch. Photos, text and results files in a folder
  are no returned form: they are named in a note, not read;
* a file is a results file when its text is JSON (it opens with ``{`` or
  ``[``, or a line of it does: JSON Lines with a damaged first line); else
  it is a document and is parsed, which makes a PDF, a workbook or an
  image one error naming the file and what it is, never a row per line;
* ``-`` is stdin, read the same way.

Documents of the whole run are parsed in one batch
(:func:`formkit.read.batch.parse_files`: legacy files converted together by
one LibreOffice process) and their results put back in input order.

A results file may hold anything, so every value that scoring, the JSON and
CSV output, the workbook and the HTML page use is checked for the type they
expect before it is used (:mod:`formkit.score.fields`): a damaged or hostile
entry can neither stop the run nor put text where a number or a yes/no
belongs. An entry that fails a check becomes a failed result (``bad-input``)
whose message names the results file, the entry (line or item) and the
field; every other entry is still scored and reported.
"""
from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeAlias

from formkit import forms
from formkit.errors import FormkitError
from formkit.files import MiB, open_regular, read_regular, size_text
from formkit.read.inputs import DOCX_SUFFIXES, LEGACY_SUFFIXES, document_head, expand_inputs
from formkit.score.fields import parse_problem, score_problem

if TYPE_CHECKING:
    from formkit.read.parse import ParseResult

RESULTS_LIMIT = 256 * MiB  # one results file (or stdin): parse output of about 25,000 returned forms
_HEAD = 4096  # bytes read to tell a document from a results file
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_JSON_LINE = re.compile(r"^[ \t\ufeff]*[{\[]", re.MULTILINE)
_SHOWN_NAMES = 5  # files named in the note about files of a folder not read


class ResultsError(FormkitError):
    """A RESULTS file cannot be read at all (missing, a folder, a FIFO, over
    the size limit), or no folder given holds a document: the run stops, a
    usage error (exit 2) on the command line, as README "Scoring" says.
    ``code`` says why (``not-found``, ``too-large`` ...)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(code, message)

    def __reduce__(self) -> tuple[type[ResultsError], tuple[str, str]]:  # type: ignore[override]
        return (type(self), (self.message, self.code))


@dataclass(frozen=True, slots=True)
class _NotJson:
    why: str


# What score and report take: a results file, a Word file or folder, or a result itself.
Input: TypeAlias = "str | os.PathLike[str] | Mapping[str, Any] | ParseResult"


def load_inputs(inputs: Iterable[Input], stdin: IO[bytes] | None = None, *, convert: bool = True,
                notes: list[str] | None = None) -> list[dict[str, Any]]:
    """Parse or score results from every input, in order. Documents (files
    and folders, see above) are parsed, .doc/.rtf/.odt through LibreOffice
    when ``convert`` (as ``parse --convert``); ``"-"`` reads ``stdin`` when one
    is given; a result given as a value (a dict, a
    :class:`~formkit.read.parse.ParseResult`) is checked as a file's entries
    are, named "result N". An entry that is no result, or has a field of the
    wrong type, becomes a failed result (``bad-input``) so it is listed, not
    lost. The files of a folder that were not read are said in ``notes``
    (when given). A results file that cannot be read, or folders that hold
    no document, raise :class:`ResultsError`."""
    plan = _Plan(convert)
    check = _Checks(escapes=True)
    for n, arg in enumerate(inputs, 1):
        if arg == "-" and stdin is not None:
            plan.add_stdin(stdin)
        elif isinstance(arg, (str, os.PathLike)):
            plan.add_path(os.fspath(arg))
        else:  # a result itself: a dict, or a ParseResult (whose module is not imported here for the test)
            value = dict(arg) if isinstance(arg, Mapping) else arg.as_dict()
            plan.parts.append([check.entry(value, f"result {n}")])
    entries = plan.entries()
    if not entries and plan.folders:
        said = "".join(f"; {note}" for note in plan.notes)
        raise ResultsError(f"{', '.join(plan.folders)}: no Word documents found in the given folders{said}", "not-found")
    if notes is not None:
        notes += plan.notes
    return entries


@dataclass(slots=True)
class _Plan:
    """The inputs of one run in order: ``parts`` holds each input's entries,
    or the index of a document in ``documents``, parsed together at the end."""

    convert: bool
    parts: list[list[dict[str, Any]] | int] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add_document(self, path: str) -> None:
        self.parts.append(len(self.documents))
        self.documents.append(path)

    def add_stdin(self, stdin: IO[bytes]) -> None:
        data = stdin.read(RESULTS_LIMIT + 1)
        if len(data) > RESULTS_LIMIT:
            raise ResultsError(f"<stdin>: more than {size_text(RESULTS_LIMIT)} of results; split the batch", "too-large")
        if not data.strip() or (_may_be_results(data[:_HEAD]) and _is_results(data)):  # nothing piped in: no entries
            self.parts.append(_from_text(data.decode("utf-8-sig", errors="replace"), "<stdin>"))
        else:  # a document piped in: parse says what it is (bytes are never converted)
            from formkit.read.parse import parse_file

            self.parts.append([parse_file(data, "<stdin>", convert=False).as_dict()])

    def add_path(self, arg: str) -> None:
        if Path(arg).is_dir():
            self._add_folder(arg)
            return
        try:
            with open_regular(arg, RESULTS_LIMIT, limit_name="a results file") as fh:
                head = fh.read(_HEAD)
            data = read_regular(arg, RESULTS_LIMIT, limit_name="a results file") if _may_be_results(head) else b""
        except OSError as exc:
            raise ResultsError(f"{arg}: the file cannot be read ({exc.strerror or exc})", "not-found") from None
        except FormkitError as exc:
            if arg.lower().endswith(DOCX_SUFFIXES + LEGACY_SUFFIXES):
                self.add_document(arg)  # no bytes to look at: parse says what is wrong with it
                return
            raise ResultsError(str(exc), exc.code) from None
        if data and _is_results(data):
            self.parts.append(_from_text(data.decode("utf-8-sig", errors="replace"), arg))
        else:
            self.add_document(arg)

    def _add_folder(self, folder: str) -> None:
        """The documents ``parse`` takes from ``folder`` and the other
        documents in it, in the order of the walk; the rest named in a note."""
        self.folders.append(folder)
        documents = set(expand_inputs([folder], legacy=self.convert))
        skipped: list[str] = []
        for path in _walk(folder):
            if path in documents or _is_document(path):
                self.add_document(path)
            else:
                skipped.append(os.path.relpath(path, folder))
        if skipped:
            shown = ", ".join(skipped[:_SHOWN_NAMES]) + (f" and {len(skipped) - _SHOWN_NAMES} more"
                                                          if len(skipped) > _SHOWN_NAMES else "")
            self.notes.append(f"{len(skipped)} file(s) in {folder} are not documents and were not read (photos, "
                              f"text, results files): {shown}; give a results file by its name to score it")

    def entries(self) -> list[dict[str, Any]]:
        """Every input's entries in order, the documents parsed in one batch."""
        parsed: list[dict[str, Any]] = []
        if self.documents:
            from formkit.read.batch import parse_files

            with closing(parse_files(self.documents, convert=self.convert, models=False)) as results:
                parsed = [result.as_dict() for result in results]
        return [entry for part in self.parts for entry in (part if isinstance(part, list) else [parsed[part]])]


def _walk(folder: str) -> list[str]:
    """The regular files under ``folder``, sorted, named as
    :func:`~formkit.read.inputs.expand_inputs` names them, without hidden
    files and Word's "~$" owner files (the files a folder walk considers)."""
    root = Path(folder)
    return [str(root / found.relative_to(root)) for found in sorted(root.rglob("*"))
            if not any(part.startswith((".", "~$")) for part in found.relative_to(root).parts) and found.is_file()]


def _is_document(path: str) -> bool:
    """Whether the first bytes of ``path`` show a document, or it cannot be
    read at all (then parse says why)."""
    try:
        with open_regular(path, RESULTS_LIMIT) as fh:
            return document_head(fh.read(_HEAD))
    except (OSError, FormkitError):
        return True


def _may_be_results(head: bytes) -> bool:
    """No document, and JSON's first character or text: worth reading whole."""
    return not document_head(head) and (_opens_json(head) or _is_text(head))


def _is_text(head: bytes) -> bool:
    """UTF-8 (a character cut at the end of ``head`` allowed) with no control
    character but white space: text, as a results file is."""
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        return False
    return not _CONTROL.search(text)


def _is_results(data: bytes) -> bool:
    """JSON (the bytes of a file :func:`_may_be_results` let through): it
    opens with ``{`` or ``[``, or a line of it does (JSON Lines whose first
    line is damaged)."""
    return _opens_json(data) or bool(_JSON_LINE.search(data.decode("utf-8", errors="replace")))


def _opens_json(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"["))


def _from_text(text: str, name: str) -> list[dict[str, Any]]:
    """One JSON value (an object or a list of them), else JSON Lines. Lone
    surrogates can only come from \\u escapes (the text was decoded from
    UTF-8), so values are searched for them only when the text has one."""
    if not text.strip():
        return []
    check = _Checks(escapes=bool(_SURROGATE_ESCAPE.search(text)))
    try:
        whole = json.loads(text)
    except (ValueError, RecursionError):
        values = [(f"{name} line {n}", _json(line)) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    else:
        values = [(f"{name} item {n}", v) for n, v in enumerate(whole if isinstance(whole, list) else [whole], 1)]
    return [check.entry(value, where) for where, value in values]


def _json(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        return _NotJson(f"not JSON ({exc.msg})")
    except ValueError:  # an integer of more digits than Python converts
        return _NotJson("not JSON this program reads (a number of thousands of digits)")
    except RecursionError:
        return _NotJson("not JSON this program reads (nested too deeply)")


@dataclass(slots=True)
class _Checks:
    """The checks of one input: whether it may hold lone surrogates, and the
    forms its parse results name (each loaded once)."""

    escapes: bool
    known: dict[str, forms.FormDef | None] = field(default_factory=dict)

    def entry(self, value: Any, where: str) -> dict[str, Any]:
        """``value`` if it is a well-typed parse or score result, else a failed
        result naming ``where`` (the file and the line or item) and the field."""
        if isinstance(value, _NotJson):
            return _failed(where, where, value.why)
        shaped = isinstance(value, dict) and isinstance(value.get("file"), str) and (
            ("basis" in value and "reasons" in value) or "record" in value or bool(value.get("error")))
        if not shaped:
            file = value.get("file") if isinstance(value, dict) else None
            named = file if isinstance(file, str) and not _SURROGATE.search(file) else where
            return _failed(named, where, "not a parse or score result")
        unreadable = _lone_surrogate(value) if self.escapes else ""
        if unreadable:
            return _failed(where, where, f"{unreadable}: holds a lone surrogate (\\ud800-\\udfff), not a character")
        problem = score_problem(value) if "basis" in value else parse_problem(value, self.form(value.get("form")))
        return _failed(value["file"], where, problem) if problem else value

    def form(self, form_id: Any) -> forms.FormDef | None:
        """The form a parse result names, when it is a known one."""
        if not isinstance(form_id, str):
            return None
        if form_id not in self.known:
            try:
                self.known[form_id] = forms.load_id(form_id)
            except FormkitError:
                self.known[form_id] = None
        return self.known[form_id]


def _failed(file: str, where: str, why: str) -> dict[str, Any]:
    error = FormkitError("bad-input", f"{where}: {why}")
    return {"file": file, "form": None, "saved_by": None, "record": None, "warnings": [], "error": error.as_dict()}


def _lone_surrogate(value: Any) -> str:
    """The field (``record.works[2].title``) of the first text holding a lone
    surrogate, which JSON's \\u escapes allow and no UTF-8 output can hold."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str) and _SURROGATE.search(item):
            return f"field {path!r}" if path else "a key"
        if isinstance(item, dict):
            for key, sub in item.items():
                if _SURROGATE.search(key):
                    return f"a key of {path!r}" if path else "a key"
                stack.append((f"{path}.{key}" if path else key, sub))
        elif isinstance(item, list):
            stack += [(f"{path}[{n}]", sub) for n, sub in enumerate(item)]
    return ""
