"""Batch parsing: many files, one output, progress and a summary on stderr."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from contextlib import ExitStack
from typing import IO, Any

import click

from .errors import FormkitError
from .output import atomic_write, csv_row, to_json, write_csv
from .parse import ParseResult, legacy_format, parse_file


def run_parse(files: list[str], form: str | None, output: str | None, fmt: str, convert: bool = True) -> int:
    """Parse ``files`` into ``output`` (stdout when None); return the number failed."""
    counts = {"ok": 0, "warned": 0, "failed": 0}
    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        converted = _preconvert(files, stack) if convert else {}
        if output:
            encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
            out: IO[str] = stack.enter_context(atomic_write(output, encoding=encoding, newline=""))
        else:
            out = sys.stdout
        first = True
        for result in _results(files, form, converted, convert):
            _count(result, counts)
            data = result.as_dict()
            if fmt == "jsonl":
                out.write(to_json(data, indent=None) + "\n")
                out.flush()
            elif fmt == "json" and len(files) == 1:
                out.write(to_json(data) + "\n")
            elif fmt == "json":
                out.write(("[\n" if first else ",\n") + to_json(data))
            else:
                rows.append(csv_row(data))
            first = False
        if fmt == "json" and len(files) > 1:
            out.write("\n]\n")
        if fmt == "csv":
            if not output:
                out.write("\ufeff")
            write_csv(rows, out)
    _summary(len(files), counts)
    return counts["failed"]


_CHUNK = 200  # legacy files converted per soffice process


def _preconvert(files: list[str], stack: ExitStack) -> dict[str, tuple[str, Path | FormkitError]]:
    """Convert every legacy .doc/.rtf/.odt of the batch up front, with one
    LibreOffice process per chunk (not one per file): path -> (kind, output
    or the error that file got)."""
    legacy = {path: kind for path in files if (kind := legacy_format(path))}
    if not legacy:
        return {}
    from .convert import Converter

    out: dict[str, tuple[str, Path | FormkitError]] = {}
    try:
        converter = stack.enter_context(Converter(purpose="read .doc, .rtf and .odt files"))
    except FormkitError as exc:
        return {path: (kind, exc) for path, kind in legacy.items()}
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="formkit-parse-")))
    paths = list(legacy)
    for start in range(0, len(paths), _CHUNK):
        chunk = paths[start : start + _CHUNK]
        done = converter.convert([Path(p) for p in chunk], "docx", folder / str(start))
        out.update({p: (legacy[p], done[Path(p)]) for p in chunk})
    return out


def _results(
    files: list[str], form: str | None, converted: dict[str, tuple[str, Path | FormkitError]], convert: bool
) -> Any:
    show = len(files) > 1
    with click.progressbar(
        files, label="parsing", file=sys.stderr, show_pos=True, hidden=not show or not sys.stderr.isatty()
    ) as bar:
        for path in bar:
            if path in converted:
                kind, out = converted[path]
                if isinstance(out, FormkitError):
                    result = ParseResult(path, error=out.with_file(path))
                else:
                    result = parse_file(out, path, form, converted_from=kind)
            else:
                result = parse_file(path, form=form, convert=convert)
            if result.error:
                click.echo(f"error: {result.error} [{result.error.code}]", err=True)
            yield result


def _count(result: ParseResult, counts: dict[str, int]) -> None:
    if result.error:
        counts["failed"] += 1
    else:
        counts["ok"] += 1
        counts["warned"] += bool(result.warnings)


def _summary(total: int, counts: dict[str, int]) -> None:
    click.echo(
        f"formkit: {total} file(s): {counts['ok']} parsed ({counts['warned']} with warnings),"
        f" {counts['failed']} failed",
        err=True,
    )
