"""Record text to data, bounded; values shown in messages, cut first.

A record file (or one line of JSON Lines) is untrusted: JSON nested a
thousand levels deep makes the decoder recurse until Python gives up, a
YAML file of nested aliases (``&a [*b, *b, ...]``) stands for billions of
values in a few hundred bytes, and an integer of 5,000 digits is more than
Python converts. :func:`load_json` and :func:`load_yaml` refuse all of
these with a ``bad-data`` message, before anything walks the value:

* at most :data:`MAX_DEPTH` levels of lists and objects (a record needs 5);
* at most :data:`MAX_VALUES` values (each number, text, list and object);
* YAML: no alias (``*name``). The YAML events are read first (libyaml when
  present), stopping at the first alias or at the depth limit, so the
  value is built only from text that passed (libyaml's own composer
  recurses once per level and would overflow the C stack on deep input).

:func:`show` writes a value for a message, at most 60 characters, walking
only as much of it as it shows (an error message never serialises a whole
value first), with characters a terminal should not get escaped.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from formkit.errors import FormkitError

if TYPE_CHECKING:
    import yaml

PathSegments = tuple[str | int, ...]  # a field's path in a record: names and item numbers

MAX_DEPTH = 16  # levels of lists and objects in one record
MAX_VALUES = 20_000  # numbers, texts, lists and objects in one record
SHOWN = 60  # characters of a value shown in a message

_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_DIGITS_LIMIT = re.compile(r"Exceeds the limit \((\d+) digits\)")


def _bad(message: str) -> FormkitError:
    return FormkitError("bad-data", message)


def _too_deep() -> FormkitError:
    return _bad(f"nested more than {MAX_DEPTH} levels deep (a record needs 5); is this a record?")


def _too_many() -> FormkitError:
    return _bad(f"more than {MAX_VALUES:,} values (texts, numbers, lists and objects); "
                "a record of one form has far fewer")


def check_shape(data: Any) -> None:
    """Refuse ``data`` nested deeper than :data:`MAX_DEPTH` or holding more
    than :data:`MAX_VALUES` values (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    count = 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise _too_many()
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise _too_deep()
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)


def _number_problem(exc: ValueError) -> FormkitError | None:
    """Python's refusal of a long integer (CPython: 4,300 digits), said plainly."""
    found = _DIGITS_LIMIT.search(str(exc))
    return _bad(f"a number with more than {int(found.group(1)):,} digits") if found else None


def load_json(text: str, one_line: bool = False) -> Any:
    """JSON text as data within the limits; ``bad-data`` otherwise (syntax
    errors with their column, and line unless ``one_line``)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"column {exc.colno}" if one_line else f"line {exc.lineno}, column {exc.colno}"
        raise _bad(f"not valid JSON: {exc.msg} ({where})") from None
    except RecursionError:
        raise _too_deep() from None
    except ValueError as exc:  # CPython: an integer of more than 4,300 digits
        raise (_number_problem(exc) or _bad(f"not valid JSON: {exc}")) from None
    check_shape(data)
    return data


def _yaml_error(exc: yaml.YAMLError) -> FormkitError:
    mark = getattr(exc, "problem_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return _bad(f"not valid YAML: {problem}{where}")


def _loader() -> Any:
    """PyYAML's safe loader (libyaml's when built), imported only for YAML records."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _check_events(text: str) -> None:
    """Read the YAML events, refusing an alias, the depth or the count limit."""
    import yaml

    opening = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    closing = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    depth = count = 0
    for event in yaml.parse(text, Loader=_loader()):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 1 if event.start_mark else 0
            raise _bad(f"a YAML alias (*{show_text(event.anchor or '')}) at line {line}: aliases are not "
                       "allowed in a record (nested aliases can stand for billions of values); "
                       "write the value out in full")
        if isinstance(event, opening):
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep()
        elif isinstance(event, closing):
            depth -= 1
        count += isinstance(event, (*opening, yaml.ScalarEvent))
        if count > MAX_VALUES:
            raise _too_many()


def load_yaml(text: str) -> Any:
    """YAML text (safe loader) as data within the limits; ``bad-data``
    otherwise, syntax errors with line and column."""
    import yaml

    try:
        _check_events(text)
        data = yaml.load(text, Loader=_loader())
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from None
    except (ValueError, OverflowError) as exc:  # a value YAML resolves but Python will not build
        problem = _number_problem(exc) if isinstance(exc, ValueError) else None  # (5,000 digits, 30 February)
        raise (problem or _bad(f"not valid YAML: a value that is no {_what(exc)} ({exc})")) from None
    check_shape(data)
    return data


def _what(exc: Exception) -> str:
    """What a YAML value failed to be, from Python's complaint."""
    text = str(exc)
    return "number" if "int()" in text or "float" in text else "date or time"


# -- values in messages ---------------------------------------------------------------

def show_text(text: str) -> str:
    """``text`` with control characters, lone surrogates and non-characters
    escaped as ``\\uXXXX`` (safe to print, and visible)."""
    return _UNSHOWN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _scalar(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        if value.bit_length() > 3 * SHOWN:  # str() of a huge int is slow (and refused past 4,300 digits)
            return f"<a number of about {int(value.bit_length() * 0.30103) + 1:,} digits>"
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value[: SHOWN + 1], ensure_ascii=False)[: -1] + ('"' if len(value) <= SHOWN else "")
    if isinstance(value, (bytes, bytearray)):
        return repr(bytes(value[: SHOWN + 1]))
    return str(value)[: SHOWN + 1]


def _pieces(value: Any) -> Iterator[str]:
    """``value`` in JSON-like text, piece by piece (lazily: :func:`show`
    stops asking once it has enough, so at most ``SHOWN`` levels are entered)."""
    if isinstance(value, dict):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            yield (", " if i else "") + _scalar(str(key)) + ": "
            yield from _pieces(item)
        yield "}"
    elif isinstance(value, (list, tuple, set, frozenset)):
        yield "["
        for i, item in enumerate(value):
            if i:
                yield ", "
            yield from _pieces(item)
        yield "]"
    else:
        yield _scalar(value)


def show(value: Any) -> str:
    """``value`` for a message: JSON-like, at most :data:`SHOWN` characters."""
    text = ""
    for piece in _pieces(value):
        text += piece
        if len(text) > SHOWN:
            return show_text(text[: SHOWN - 1]) + "…"
    return show_text(text)


def bracket_path(path: PathSegments) -> str:
    """A field path as in JSON: ``works[2].photos[0]`` (0-based items)."""
    out = ""
    for seg in path:
        out += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if out else seg)
    return out


def quoted(key: Any, limit: int = 60) -> str:
    """A key or file name for a message: quoted, escaped, cut to ``limit`` characters."""
    text = str(key)
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def suggest(name: str, known: Sequence[str]) -> str:
    """' (did you mean 'x'?)' for the closest of ``known``, or ""."""
    import difflib  # only when a record names a field the form lacks

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close and close[0] != name else ""
