"""Field paths in a record, as the CSV columns name them: ``level``,
``evidence.km_plan``, ``works.2.title`` (list items numbered from 1)."""
from __future__ import annotations

import copy
from typing import Any

_MISSING = object()


def _step(node: Any, part: str) -> Any:
    if isinstance(node, dict):
        return node.get(part, _MISSING)
    if isinstance(node, list) and part.isdigit() and 1 <= int(part) <= len(node):
        return node[int(part) - 1]
    return _MISSING


def get_path(record: dict[str, Any] | None, path: str) -> Any:
    """The value at ``path``, or None when the record has no such field."""
    node: Any = record or {}
    for part in path.split("."):
        node = _step(node, part)
        if node is _MISSING:
            return None
    return node


def has_path(record: dict[str, Any] | None, path: str) -> bool:
    node: Any = record or {}
    for part in path.split("."):
        node = _step(node, part)
        if node is _MISSING:
            return False
    return True


def set_path(record: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``record`` with ``value`` at ``path`` (a missing dict key is
    added; a list item must exist). Raises KeyError for a path that cannot be set."""
    out = copy.deepcopy(record)
    parts = path.split(".")
    node: Any = out
    for part in parts[:-1]:
        nxt = _step(node, part)
        if nxt is _MISSING and isinstance(node, dict):
            nxt = node[part] = {}
        if nxt is _MISSING or not isinstance(nxt, (dict, list)):
            raise KeyError(path)
        node = nxt
    last = parts[-1]
    if isinstance(node, dict):
        node[last] = value
    elif isinstance(node, list) and last.isdigit() and 1 <= int(last) <= len(node):
        node[int(last) - 1] = value
    else:
        raise KeyError(path)
    return out


def leaf_paths(record: Any, prefix: str = "") -> list[str]:
    """Every leaf's path, in the record's order (a list of text is one leaf)."""
    if isinstance(record, dict):
        return [p for k, v in record.items() for p in leaf_paths(v, f"{prefix}{k}.")]
    if isinstance(record, list) and any(isinstance(v, dict) for v in record):
        return [p for n, v in enumerate(record, 1) for p in leaf_paths(v, f"{prefix}{n}.")]
    return [prefix[:-1]] if prefix else []
