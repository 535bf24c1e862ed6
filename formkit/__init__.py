"""formkit: fill, parse and score the ESAO self-assessment Word forms.

The Python API (README "Using formkit from Python"; :mod:`formkit.api`)::

    import formkit
    form = formkit.open_form("esao-1-2")                 # an id, a folder or a form.yaml
    result = formkit.parse_file("returned.docx")         # never raises for a bad file
    result.as_dict()                                     # the documented JSON envelope
    for r in formkit.parse_files(["returned/"], jobs=2): # each result as it is ready, in order
        ...
    data = formkit.fill_bytes(form, {"level": 4})        # a filled .docx; fill_to writes a file
    run = formkit.bulk_fill(form, "rows.csv", out_dir="out").finish()
    scores = formkit.score_results(["parsed.jsonl"])     # formkit.write_report(scores, "report/")
    formkit.learn_form("blank.docx", "my-form", "forms/my-form")
    formkit.check_form("forms/my-form", roundtrip=20).ok

Names are imported on first use, so ``import formkit`` (and the command
line's start-up) stays cheap, and none of them imports the command line.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers see; at run time __getattr__ imports on first use
    from formkit.api import (
        CheckReport,
        LearnedForm,
        bulk_fill,
        check_form,
        fill_bytes,
        fill_to,
        learn_form,
        open_form,
        parse_files,
        score_results,
        write_judgments_template,
        write_report,
    )
    from formkit.fill.bulk import BulkRun, RowOutcome
    from formkit.errors import ERROR_CODES, FormkitError
    from formkit.fill.filler import Filler
    from formkit.forms import FormDef
    from formkit.read.parse import ParseResult, parse_file, read_model
    from formkit.score.scoring import Score, ScoreRun
    from formkit.warnings import WARNING_CODES, Warning

__all__ = [
    "ERROR_CODES",
    "WARNING_CODES",
    "BulkRun",
    "CheckReport",
    "Filler",
    "FormDef",
    "FormkitError",
    "LearnedForm",
    "ParseResult",
    "RowOutcome",
    "Score",
    "ScoreRun",
    "Warning",
    "bulk_fill",
    "check_form",
    "fill_bytes",
    "fill_to",
    "learn_form",
    "open_form",
    "parse_file",
    "parse_files",
    "read_model",
    "score_results",
    "write_judgments_template",
    "write_report",
]
__version__ = "0.1.0"

_WHERE = {
    "ERROR_CODES": "errors",
    "FormkitError": "errors",
    "ParseResult": "read.parse",
    "parse_file": "read.parse",
    "read_model": "read.parse",
    "WARNING_CODES": "warnings",
    "Warning": "warnings",
    "Filler": "fill.filler",
    "FormDef": "forms",
    "BulkRun": "fill.bulk",
    "RowOutcome": "fill.bulk",
    "Score": "score.scoring",
    "ScoreRun": "score.scoring",
    **{name: "api" for name in (
        "CheckReport", "LearnedForm", "bulk_fill", "check_form", "fill_bytes", "fill_to", "learn_form",
        "open_form", "parse_files", "score_results", "write_judgments_template", "write_report",
    )},
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'formkit' has no attribute {name!r}")
