"""``--profile N``: where formkit's time goes, per document (cProfile).

Profiles ``formkit.api.bulk_fill`` (jobs 1) over N generated records of each form, then
``run_parse`` over the N documents it wrote, after a warm-up of each (so the
one-time template derivation is not in the fill profile). Prints the top 15
functions by own time and by cumulative time, per document. Profiling slows
Python code unevenly: use it for where, not for how fast.
"""
from __future__ import annotations

import contextlib
import cProfile
import io
import pstats
from collections.abc import Callable
from pathlib import Path

import _fill
import _inputs
import _parse

TOP = 15


def _stats(prof: cProfile.Profile, title: str, docs: int) -> str:
    out = [f"### {title}: {docs} documents; per-document cost = cumtime ÷ {docs}", ""]
    for key in ("tottime", "cumulative"):
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(key).print_stats(TOP)
        body = buf.getvalue()
        start = body.find("   ncalls")
        total = next((line.strip() for line in body.splitlines() if "function calls" in line), "")
        out += [f"top {TOP} by {key} ({total})", "```", body[start:].rstrip(), "```", ""]
    return "\n".join(out)


def _run_all(tasks: list[_fill.FormkitBulk]) -> None:
    for task in tasks:
        task.run()


def profile(work: Path, samples: Path, photos: dict[str, bytes], forms: tuple[str, ...], n: int,
            log: Callable[[str], None]) -> str:
    """Profile fill and parse over ``n`` documents of each form; return Markdown."""
    folder = work / "profile"
    folder.mkdir(exist_ok=True)
    fills, files = [], []
    for form in forms:
        records = _inputs.make_records(samples, form, n, sorted(photos))
        data = _inputs.write_jsonl(work / f"profile-{form}.jsonl", records)
        warm = _inputs.write_jsonl(work / f"profile-{form}-warm.jsonl", records[:5])
        task = _fill.FormkitBulk(form, data, warm, folder / form)
        task.run(warm=True)
        fills.append(task)
    log(f"profile: fill {n} x {len(forms)}")
    fill_prof = cProfile.Profile()
    with contextlib.redirect_stderr(io.StringIO()):
        fill_prof.runcall(_run_all, fills)
    for form in forms:
        files += sorted(str(p) for p in (folder / form).glob("*.docx"))
    batch = _parse.FormkitBatch(files, work / "profile.jsonl")
    batch.run(warm=True)
    log(f"profile: parse {len(files)}")
    parse_prof = cProfile.Profile()
    parse_prof.runcall(batch.run)
    return "\n".join(["## cProfile (not part of the table)", "",
                      _stats(fill_prof, "formkit bulk --jobs 1 (bulk_fill)", n * len(forms)),
                      _stats(parse_prof, "formkit parse (run_parse → .jsonl)", len(files))])
