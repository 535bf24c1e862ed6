"""YAML data files (form definitions, the glyph table) read through a cache.

Every command reads the shipped form definitions and the glyph table: a
form must be recognised before a single field is read. Parsing them with
PyYAML costs more than the rest of a one-file ``formkit parse`` start-up
(importing PyYAML alone is some 10 ms, each definition a few more), so
what a YAML text loads to is kept as JSON beside the text itself, in an
entry named by the text's length and CRC-32: an entry is used only when its
text is the text being loaded, character for character, so an edited
definition is read again and a colliding name is merely a miss; an
unchanged one is read back with the json module, which the commands import
anyway (a cryptographic hash would cost more to set up than the rest).

The cache is a folder of the user's own (``FORMKIT_CACHE_DIR``, else the
platform's cache folder, ``formkit/yaml`` in it); it holds only what the
definitions say, never a record. A text whose value JSON would not give back
exactly (a date, a non-string key) is not cached; an entry that cannot be
read or written is simply not used: the cache only ever saves time.
"""
from __future__ import annotations

import json
import os
import sys
import zlib
from pathlib import Path
from typing import Any

_FORMAT = "2"  # changes when what an entry holds changes
_KEEP = 256  # entries kept; the oldest go first


class YamlDataError(ValueError):
    """The text is not valid YAML (PyYAML's message, with its line and column)."""


def cache_dir() -> Path | None:
    """Where entries live: ``$FORMKIT_CACHE_DIR`` (empty: no cache), else
    ``%LOCALAPPDATA%`` on Windows, ``~/Library/Caches`` on macOS,
    ``$XDG_CACHE_HOME`` or ``~/.cache`` elsewhere, with ``formkit/yaml``."""
    chosen = os.environ.get("FORMKIT_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) / "yaml" if chosen.strip() else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        root = Path(base) if base else Path.home() / "AppData" / "Local"
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Caches"
    else:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "formkit" / "yaml"


def load_yaml(text: str) -> Any:
    """What ``text`` loads to with PyYAML's safe loader (libyaml's when
    built), from the cache when an earlier run stored it. Invalid YAML
    raises :class:`YamlDataError`."""
    raw = text.encode("utf-8", "surrogatepass")
    key = f"{len(raw)}-{zlib.crc32(raw):08x}"
    folder = _folder()
    if folder is not None:
        try:
            entry = json.loads((folder / f"{key}.json").read_text("utf-8"))
            if entry["format"] == _FORMAT and entry["text"] == text:
                return entry["data"]
        except (OSError, ValueError, KeyError, TypeError):
            pass  # not there yet, unreadable or another text's: parse the YAML
    data = parse_yaml(text)
    if folder is not None:
        _store(folder, key, text, data)
    return data


def _folder() -> Path | None:
    try:
        return cache_dir()
    except (RuntimeError, KeyError):  # no home folder to put it in
        return None


def parse_yaml(text: str) -> Any:
    """What ``text`` loads to, parsed now and never cached (libyaml's safe
    loader when PyYAML was built with it, else PyYAML's own)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise YamlDataError(str(exc)) from None


def _store(folder: Path, key: str, text: str, data: Any) -> None:
    """Keep ``data`` with its ``text`` as JSON when JSON gives it back
    exactly; written to a temporary name and renamed, so a reader never sees
    half an entry."""
    try:
        encoded = json.dumps({"format": _FORMAT, "text": text, "data": data}, ensure_ascii=False)
        if json.loads(encoded)["data"] != data:
            return
    except (TypeError, ValueError):  # a date, a set, a nan ...
        return
    temp = folder / f"{key}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp.write_text(encoded, "utf-8")
        os.replace(temp, folder / f"{key}.json")
        _prune(folder)
    except OSError:
        try:
            temp.unlink()
        except OSError:
            pass


def _prune(folder: Path) -> None:
    """At most :data:`_KEEP` entries: the least recently written go."""
    entries = list(folder.glob("*.json"))
    if len(entries) <= _KEEP:
        return
    entries.sort(key=lambda p: p.stat().st_mtime_ns)
    for old in entries[: len(entries) - _KEEP]:
        old.unlink(missing_ok=True)
