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
    by_form = {form: [f for f in files if Path(f).parent.name == form] for form in forms}
    return "\n".join(["## cProfile (not part of the table)", "",
                      _stats(fill_prof, "formkit bulk --jobs 1 (bulk_fill)", n * len(forms)),
                      _stats(parse_prof, "formkit parse (run_parse → .jsonl)", len(files)),
                      parse_stages(by_form)])


STAGES = ("zip + lxml floor", "open the package", "parse the main part", "read the model (rest, boxes decided)",
          "close, free the XML", "stream", "recognize", "locate", "JSON", "free the model")


def parse_stages(by_form: dict[str, list[str]], rounds: int = 3) -> str:
    """CPU ms per document of each stage of a parse, without a profiler
    (which slows Python code unevenly): the floor's zip read and lxml parse,
    then formkit's stages in the order parse_file runs them. Medians over
    ``rounds``; the stages are timed one after another on each document."""
    import json
    import statistics
    import time
    import zipfile

    from lxml import etree

    from formkit import forms as formdefs
    from formkit.docx.package import open_package
    from formkit.docx.reader import collector_paused, read_document
    from formkit.locate import locate
    from formkit.locate.stream import build
    from formkit.read.recognize import recognize_key, stream_key

    known = formdefs.load_all()
    lines = ["### parse stages (CPU ms per document, median of "
             f"{rounds} rounds; not profiled)", "", "| form | " + " | ".join(STAGES) + " | total (formkit) |",
             "|" + "---|" * (len(STAGES) + 2)]
    for form, files in by_form.items():
        per_round: list[list[float]] = []
        for _ in range(rounds):
            spent = [0.0] * len(STAGES)
            for path in files:
                clock = [time.process_time()]

                def tick(stage: int) -> None:
                    now = time.process_time()
                    spent[stage] += now - clock[0]
                    clock[0] = now

                with collector_paused():
                    with zipfile.ZipFile(path) as zf:
                        floor = etree.fromstring(zf.read("word/document.xml"))
                    sum(len(t.text or "") for t in floor.iter(_parse.W_T))
                    del floor
                    tick(0)
                    with open_package(path) as pkg:
                        tick(1)
                        pkg.xml(pkg.main_part)
                        tick(2)
                        doc = read_document(pkg, boxes=True)
                        tick(3)
                    del pkg
                    tick(4)
                    stream = build(doc.body)
                    tick(5)
                    rec = recognize_key(stream_key(stream), known)
                    tick(6)
                    located = locate(rec.form, doc, stream)
                    tick(7)
                    json.dumps({"form": rec.form.id, "record": located.record}, ensure_ascii=False)
                    tick(8)
                    del doc, stream, rec, located
                    tick(9)
            per_round.append([s * 1000 / len(files) for s in spent])
        medians = [statistics.median(r[i] for r in per_round) for i in range(len(STAGES))]
        cells = [f"{m:.2f}" for m in medians] + [f"{sum(medians[1:]):.2f} ({sum(medians[1:]) / medians[0]:.1f}× floor)"]
        lines.append(f"| {form} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
