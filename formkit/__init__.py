"""formkit: fill, parse and score the ESAO self-assessment Word forms.

The Python API::

    from formkit import parse_file
    result = parse_file("returned.docx")          # never raises for a bad file
    result.as_dict()                               # the documented JSON envelope
    result.located.where["level"].where            # where each field was found

Names are imported on first use, so ``import formkit`` (and the command
line's start-up) stays cheap.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "ERROR_CODES",
    "WARNING_CODES",
    "Filler",
    "FormkitError",
    "ParseResult",
    "Warning",
    "parse_file",
    "read_model",
]
__version__ = "0.1.0"

_WHERE = {
    "ERROR_CODES": "errors",
    "FormkitError": "errors",
    "ParseResult": "parse",
    "parse_file": "parse",
    "read_model": "parse",
    "WARNING_CODES": "warnings",
    "Warning": "warnings",
    "Filler": "fill",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'formkit' has no attribute {name!r}")
