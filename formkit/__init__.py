"""formkit: fill, parse and score the ESAO self-assessment Word forms.

The Python API::

    from formkit import parse_file
    result = parse_file("returned.docx")          # never raises for a bad file
    result.as_dict()                               # the documented JSON envelope
    result.located.where["level"].where            # where each field was found
"""
from __future__ import annotations

from .errors import ERROR_CODES, FormkitError
from .parse import ParseResult, parse_file, read_model
from .warnings import WARNING_CODES, Warning

__all__ = [
    "ERROR_CODES",
    "WARNING_CODES",
    "FormkitError",
    "ParseResult",
    "Warning",
    "parse_file",
    "read_model",
]
__version__ = "0.1.0"
