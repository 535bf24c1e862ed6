"""Batch parsing: many files, one output, progress and a summary on stderr."""
from __future__ import annotations

import sys
from contextlib import ExitStack
from typing import IO, Any

import click

from .output import atomic_write, csv_row, to_json, write_csv
from .parse import ParseResult, parse_file


def run_parse(files: list[str], form: str | None, output: str | None, fmt: str) -> int:
    """Parse ``files`` into ``output`` (stdout when None); return the number failed."""
    counts = {"ok": 0, "warned": 0, "failed": 0}
    rows: list[dict[str, Any]] = []
    with ExitStack() as stack:
        if output:
            encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
            out: IO[str] = stack.enter_context(atomic_write(output, encoding=encoding, newline=""))
        else:
            out = sys.stdout
        first = True
        for result in _results(files, form):
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


def _results(files: list[str], form: str | None) -> Any:
    show = len(files) > 1
    with click.progressbar(
        files, label="parsing", file=sys.stderr, show_pos=True, hidden=not show or not sys.stderr.isatty()
    ) as bar:
        for path in bar:
            result = parse_file(path, form=form)
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
