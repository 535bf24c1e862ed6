"""formkit performance benchmarks (issues 6 and 17): one command, one table.

    python benchmarks/bench.py [--sizes 245,2000] [--memory-files 10000] [--quick]

Generates N records per form in a temporary folder, fills them with
``formkit bulk`` and two baselines, parses the filled documents with
``formkit parse`` and three baselines, times the CLI start-up and the peak
memory of ``formkit parse`` over many files, then prints the command line,
the machine, the versions, a Markdown table and the issue's targets (met or
not, by how much), and writes the same to benchmarks/latest.md (not with
``--quick`` unless ``--output`` is given). Progress goes to stderr.
See benchmarks/README.md for what each row measures.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
if str(ROOT) not in sys.path:  # the formkit of this checkout, before any installed one
    sys.path.insert(0, str(ROOT))

import _fill  # noqa: E402
import _inputs  # noqa: E402
import _parse  # noqa: E402
import _process  # noqa: E402
import _procs  # noqa: E402
from _report import Row, Target, environment, load, table, targets_table  # noqa: E402
from _timing import Task, Timings, time_group  # noqa: E402

FILL_LABELS = {
    "bulk1": "formkit bulk --jobs 1",
    "bulk1nv": "formkit bulk --jobs 1 --no-verify",
    "bulk2": "formkit bulk --jobs 2",
    "docxtpl": "docxtpl loop (new DocxTemplate per doc)",
    "zipfloor": "zip-copy floor",
}
PARSE_LABELS = {
    "parse1": "formkit parse (run_parse → .jsonl)",
    "parse_loop": "formkit parse_file loop",
    "parse2": "formkit parse --jobs 2",
    "pydocx": "python-docx open + walk",
    "d2p": "docx2python",
    "lxmlfloor": "zip + lxml floor",
}
STARTUP_LABELS = {
    "module": "start-up: python -m formkit parse 1 file",
    "script": "start-up: formkit parse 1 file (console script)",
    "bare": "start-up: python -c 'import lxml.etree, click'",
}
# What --only may name; parse without fill still fills its documents once, untimed.
SECTIONS = frozenset(("fill", "parse", "startup", "process", "memory"))
MEMORY_LABEL = "formkit parse DIR -o out.jsonl --format jsonl ({n:,} files)"
# The bulk-with-verification tasks (--jobs 1, --jobs 2), when the fill group has them.
LABELS = {**FILL_LABELS, **PARSE_LABELS, **STARTUP_LABELS}


@dataclass(slots=True)
class Config:
    """What to run, from the command line."""

    sizes: list[int]
    memory_files: int
    startup_runs: int
    rounds: int | None
    quick: bool
    output: Path | None
    profile: int
    keep: bool
    process_rows: int = 600
    process_rounds: int = 2
    forms: tuple[str, ...] = _inputs.FORMS
    only: frozenset[str] = SECTIONS

    def runs(self, section: str) -> bool:
        """Whether ``section`` (one of :data:`SECTIONS`) is measured in this run."""
        return section in self.only

    def rounds_for(self, n: int) -> int:
        """Timed rounds per group: 3 for small batches, 2 for large ones (each
        round of 2,000 documents is already a long average), unless given."""
        return self.rounds if self.rounds else (3 if n <= 500 else 2)


def parse_args(argv: list[str]) -> Config:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", help="documents per form, comma-separated (default 245,2000; --quick: 5)")
    p.add_argument("--memory-files", type=int, help="files for the peak-memory run (default 10000; --quick: 20); "
                                                     "flatness is checked against a tenth of it")
    p.add_argument("--startup-runs", type=int, help="timed start-up runs per command (default 15; --quick: 2)")
    p.add_argument("--rounds", type=int, help="timed rounds per group (default 3 for N <= 500, else 2; --quick: 1)")
    p.add_argument("--quick", action="store_true", help="tiny sizes for a smoke run")
    p.add_argument("--output", type=Path, help="write the report here (default benchmarks/latest.md; none with --quick or --only)")
    p.add_argument("--profile", type=int, default=0, metavar="N", help="also print cProfile top 15 of bulk fill and batch parse over N docs per form")
    p.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    p.add_argument("--process-rows", type=int, help="esao-1-2 records of the whole-process bulk runs (default 600; --quick: 5)")
    p.add_argument("--process-rounds", type=int, help="interleaved rounds of the whole-process bulk runs (default 2; --quick: 1)")
    p.add_argument("--only", help="comma-separated sections to run: " + ", ".join(sorted(SECTIONS))
                   + " (default all; e.g. --only parse: parse alone, its documents filled once untimed)")
    a = p.parse_args(argv)
    only = frozenset(s.strip() for s in a.only.split(",")) if a.only else SECTIONS
    if not only <= SECTIONS:
        p.error(f"--only: unknown section(s) {', '.join(sorted(only - SECTIONS))}")
    sizes = [int(s) for s in a.sizes.split(",")] if a.sizes else ([5] if a.quick else [245, 2000])
    return Config(
        sizes=sizes,
        memory_files=a.memory_files or (20 if a.quick else 10_000),
        startup_runs=a.startup_runs or (2 if a.quick else 15),
        rounds=a.rounds or (1 if a.quick else None),
        quick=a.quick,
        output=a.output or (None if a.quick or a.only else HERE / "latest.md"),
        profile=a.profile,
        keep=a.keep,
        process_rows=a.process_rows or (5 if a.quick else 600),
        process_rounds=a.process_rounds or (1 if a.quick else 2),
        only=only,
    )


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ratio(label: str, a: float, b: float) -> str:
    """``a``'s time as a multiple of ``b``'s."""
    return f"{a / b:.2f}× {label}"


@dataclass(slots=True)
class Results:
    """Everything measured, for the table and the targets."""

    rows: list[Row] = field(default_factory=list)
    ms: dict[tuple[str, str, int], float] = field(default_factory=dict)
    cpu: dict[tuple[str, str, int], float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    startup_ms: dict[str, float] = field(default_factory=dict)
    startup_cpu: dict[str, float] = field(default_factory=dict)
    memory: dict[int, _procs.Run] = field(default_factory=dict)
    process: _procs.StartupResult | None = None

    def keep(self, timings: Timings, form: str) -> None:
        for key in timings.per_doc:
            self.ms[(key, form, timings.n)] = timings.ms(key)
            self.cpu[(key, form, timings.n)] = timings.cpu_ms(key)

    def get(self, key: str, form: str, n: int) -> float | None:
        return self.ms.get((key, form, n))

    def quotient(self, a: str, b: str, form: str, n: int) -> tuple[float | None, float | None]:
        """Wall-time and CPU-time quotients of task ``a`` over task ``b``."""
        wa, wb = self.ms.get((a, form, n)), self.ms.get((b, form, n))
        ca, cb = self.cpu.get((a, form, n)), self.cpu.get((b, form, n))
        return (wa / wb if wa and wb else None), (ca / cb if ca and cb else None)


# -- fill -------------------------------------------------------------------------------------


def bench_fill(cfg: Config, res: Results, work: Path, photos: dict[str, bytes], form: str, n: int) -> Path:
    """Time the fill group for ``form`` x ``n``; return the folder of formkit's documents."""
    inputs = _inputs.prepare(work, ROOT / "samples", form, n, sorted(photos))
    warm = _inputs.write_jsonl(work / f"{form}-{n}-warm.jsonl", inputs.records[:5])
    out = work / f"fill-{form}-{n}"
    tasks: dict[str, Task] = {
        "bulk1": _fill.FormkitBulk(form, inputs.jsonl, warm, out / "formkit"),
        "bulk1nv": _fill.FormkitBulk(form, inputs.jsonl, warm, out / "formkit-no-verify", verify=False),
        "docxtpl": _fill.DocxtplLoop(form, inputs.records, photos, out / "docxtpl"),
        "zipfloor": _fill.ZipFloor(form, inputs.records, photos, work, out / "floor"),
    }
    if n == max(cfg.sizes):
        tasks["bulk2"] = _fill.FormkitBulk(form, inputs.jsonl, warm, out / "formkit-jobs2", jobs=2)
    timings = time_group(tasks, n, cfg.rounds_for(n), lambda m: log(f"fill {form} N={n}: {m}"))
    res.keep(timings, form)
    rounds = len(next(iter(timings.per_doc.values())))
    one, tpl, floor = timings.ms("bulk1"), timings.ms("docxtpl"), timings.ms("zipfloor")
    bare = timings.ms("bulk1nv")
    cpu = timings.cpu_ms
    res.rows.append(Row("fill", FILL_LABELS["bulk1"], form, n, one,
                        [ratio("docxtpl loop", one, tpl), ratio("floor", one, floor), ratio("--no-verify", one, bare)],
                        cpu_ms=cpu("bulk1")))
    res.rows.append(Row("fill", FILL_LABELS["bulk1nv"], form, n, bare,
                        [ratio("docxtpl loop", bare, tpl), ratio("floor", bare, floor)], cpu_ms=cpu("bulk1nv")))
    if "bulk2" in timings.per_doc:
        two = timings.ms("bulk2")
        res.rows.append(Row("fill", FILL_LABELS["bulk2"], form, n, two,
                            [f"{one / two:.2f}× the --jobs 1 throughput", ratio("floor", two, floor)],
                            cpu_ms=cpu("bulk2")))
    res.rows.append(Row("fill", FILL_LABELS["docxtpl"], form, n, tpl, [ratio("floor", tpl, floor)], cpu_ms=cpu("docxtpl")))
    res.rows.append(Row("fill", FILL_LABELS["zipfloor"], form, n, floor, [], cpu_ms=cpu("zipfloor")))
    if n == min(cfg.sizes):
        res.notes.append(_equivalence(form, out))
    log(f"fill {form} N={n}: done ({rounds} round(s))")
    return out / "formkit"


def fill_untimed(work: Path, photos: dict[str, bytes], form: str, n: int) -> Path:
    """``formkit bulk --no-verify`` over ``n`` records of ``form``, once and
    untimed: the documents the parse group reads when fill is not measured."""
    inputs = _inputs.prepare(work, ROOT / "samples", form, n, sorted(photos))
    out = work / f"fill-{form}-{n}" / "formkit"
    log(f"fill {form} N={n}: untimed (--only without fill)")
    _fill.FormkitBulk(form, inputs.jsonl, inputs.jsonl, out, verify=False).run()
    return out


def _equivalence(form: str, out: Path) -> str:
    """Whether the docxtpl loop's first document reads back as formkit's does."""
    from formkit.read.parse import parse_file

    mine = parse_file(str(out / "formkit" / f"{form}-1.docx"))
    theirs = parse_file(str(out / "docxtpl" / f"{form}-1.docx"))
    same = mine.error is None and theirs.error is None and mine.record == theirs.record
    return (f"{form}: the docxtpl loop's document for row 1 parses to "
            f"{'the same record as' if same else 'a DIFFERENT record from'} formkit's.")


# -- parse ------------------------------------------------------------------------------------


def bench_parse(cfg: Config, res: Results, work: Path, form: str, n: int, docs: Path) -> None:
    """Time the parse group over formkit's filled documents of ``form`` x ``n``."""
    files = sorted(str(p) for p in docs.glob("*.docx"))
    assert len(files) == n, f"expected {n} documents in {docs}, found {len(files)}"
    tasks: dict[str, Task] = {
        "parse1": _parse.FormkitBatch(files, work / f"parse-{form}-{n}.jsonl"),
        "parse_loop": _parse.FormkitLoop(files),
        "pydocx": _parse.PythonDocxWalk(files),
        "lxmlfloor": _parse.ZipLxmlFloor(files),
    }
    if _parse.docx2python_available():
        tasks["d2p"] = _parse.Docx2Python(files)
    jobs = _parse.parse_jobs_supported()
    if jobs and n == max(cfg.sizes):
        tasks["parse2"] = _parse.FormkitBatch(files, work / f"parse-{form}-{n}-jobs2.jsonl", jobs=2)
    timings = time_group(tasks, n, cfg.rounds_for(n), lambda m: log(f"parse {form} N={n}: {m}"))
    res.keep(timings, form)
    floor, walk = timings.ms("lxmlfloor"), timings.ms("pydocx")
    d2p = timings.ms("d2p") if "d2p" in timings.per_doc else None

    def versus(ms: float) -> list[str]:
        out = [ratio("python-docx", ms, walk)]
        out += [ratio("docx2python", ms, d2p)] if d2p else []
        return out + [ratio("floor", ms, floor)]

    cpu = timings.cpu_ms
    one = timings.ms("parse1")
    res.rows.append(Row("parse", PARSE_LABELS["parse1"], form, n, one, versus(one), cpu_ms=cpu("parse1")))
    loop = timings.ms("parse_loop")
    res.rows.append(Row("parse", PARSE_LABELS["parse_loop"], form, n, loop, versus(loop), cpu_ms=cpu("parse_loop")))
    if "parse2" in timings.per_doc:
        two = timings.ms("parse2")
        res.rows.append(Row("parse", PARSE_LABELS["parse2"], form, n, two,
                            [f"{one / two:.2f}× the --jobs 1 throughput", ratio("floor", two, floor)],
                            cpu_ms=cpu("parse2")))
    elif n == max(cfg.sizes):
        res.rows.append(Row("parse", PARSE_LABELS["parse2"], form, n,
                            skipped="formkit parse has no --jobs option (run_parse takes no jobs)"))
    res.rows.append(Row("parse", PARSE_LABELS["pydocx"], form, n, walk, [ratio("floor", walk, floor)], cpu_ms=cpu("pydocx")))
    if d2p:
        res.rows.append(Row("parse", PARSE_LABELS["d2p"], form, n, d2p, [ratio("floor", d2p, floor)], cpu_ms=cpu("d2p")))
    else:
        res.rows.append(Row("parse", PARSE_LABELS["d2p"], form, n, skipped="docx2python not installed (pip install -e .[bench])"))
    res.rows.append(Row("parse", PARSE_LABELS["lxmlfloor"], form, n, floor, [], cpu_ms=cpu("lxmlfloor")))


# -- start-up and memory ---------------------------------------------------------------------


def bench_startup(cfg: Config, res: Results, work: Path, small: Path) -> None:
    """Whole-process start-up, interleaved runs, medians."""
    import formkit

    env = _procs.child_env(Path(formkit.__file__).resolve().parent.parent, work / "pycache")
    commands = {"module": [sys.executable, "-m", "formkit", "parse", str(small)]}
    script = _procs.console_script()
    if script:
        commands["script"] = [str(script), "parse", str(small)]
    commands["bare"] = [sys.executable, "-c", "import lxml.etree, click"]
    log(f"start-up: {cfg.startup_runs} run(s) of {len(commands)} command(s)")
    result = _procs.startup(commands, work, env, cfg.startup_runs)
    bare = result.median_ms("bare")
    for key, label in STARTUP_LABELS.items():
        if key not in commands:
            res.rows.append(Row("start-up", label, skipped="no formkit console script found"))
            continue
        ms = result.median_ms(key)
        res.startup_ms[key] = ms
        res.startup_cpu[key] = result.median_cpu_ms(key)
        res.rows.append(Row("start-up", label, "esao-1-2" if key != "bare" else "", None, ms,
                            [] if key == "bare" else [ratio("bare import", ms, bare)], result.median_rss(key),
                            cpu_ms=result.median_cpu_ms(key)))
    if script:
        res.notes.append(f"console script measured: {script}")


def bench_memory(cfg: Config, res: Results, work: Path, sources: list[Path]) -> None:
    """Peak RSS of the parse CLI over a tenth of ``memory_files`` and all of them."""
    import formkit

    env = _procs.child_env(Path(formkit.__file__).resolve().parent.parent, work / "pycache")
    small_n, big_n = max(1, cfg.memory_files // 10), cfg.memory_files
    for n in (small_n, big_n):
        folder = _procs.link_corpus(sources, work / f"memory-{n}", n)
        out = work / f"memory-{n}.jsonl"
        log(f"memory: formkit parse over {n} files")
        run = _procs.measure([sys.executable, "-m", "formkit", "parse", str(folder), "-o", str(out), "--format", "jsonl"],
                             work, env)
        lines = sum(1 for _ in out.open(encoding="utf-8"))
        if lines != n:
            raise RuntimeError(f"memory run: {lines} JSON lines for {n} files")
        res.memory[n] = run
        shutil.rmtree(folder)
    res.notes.append(f"memory corpus: hard links cycling over {len(sources)} filled documents "
                     f"({', '.join(sorted({p.name.rsplit('-', 1)[0] for p in sources}))}); formkit parse run with its defaults.")
    small, big = res.memory[small_n], res.memory[big_n]
    res.rows.append(Row("memory", MEMORY_LABEL.format(n=small_n), "both", small_n, small.wall_s * 1000 / small_n,
                        [], small.rss_mb, cpu_ms=small.cpu_s * 1000 / small_n))
    res.rows.append(Row("memory", MEMORY_LABEL.format(n=big_n), "both", big_n, big.wall_s * 1000 / big_n,
                        [f"RSS {big.rss_mb / small.rss_mb:.2f}× the {small_n:,}-file run "
                         f"({(big.rss_mb - small.rss_mb) * 1024 / max(1, big_n - small_n):+.2f} KiB per extra file)"],
                        big.rss_mb,
                        cpu_ms=big.cpu_s * 1000 / big_n))


def bench_process(cfg: Config, res: Results, work: Path, photos: dict[str, bytes]) -> None:
    """``formkit bulk`` as whole processes against a docxtpl user's script (issue 17: see _process.py)."""
    res.process, rows = _process.bench(cfg.process_rows, cfg.process_rounds, work, photos, log)
    res.rows += rows


# -- targets ----------------------------------------------------------------------------------


def targets(cfg: Config, res: Results) -> list[Target]:
    """Issue 17's targets, and those of issue 6 it leaves standing (bulk fill
    vs the zip-copy floor, peak RSS), from what was measured (wall time; CPU
    time beside it)."""
    out: list[Target] = []
    big = max(cfg.sizes)
    for form in cfg.forms if cfg.runs("parse") else ():
        for n in cfg.sizes:
            wall, cpu = res.quotient("parse1", "lxmlfloor", form, n)
            out.append(Target(f"batch parse (1 job) vs zip+lxml floor, {form}, N={n:,}: time ÷ floor", wall, 2.5, False,
                              cpu=cpu))
            wall, cpu = res.quotient("pydocx", "parse1", form, n)
            out.append(Target(f"batch parse (1 job) vs python-docx walk (open + walk), {form}, N={n:,}: speed-up", wall,
                              3.0, True, cpu=cpu))
    for form in cfg.forms if cfg.runs("parse") else ():
        wall, _ = res.quotient("parse1", "parse2", form, big)
        out.append(Target(f"batch parse --jobs 2 vs --jobs 1, {form}, N={big:,}: throughput", wall, 1.8, True,
                          why_missing="formkit parse has no --jobs option"))
    for form in cfg.forms if cfg.runs("fill") else ():  # bulk reads back every document by default (bulk1, bulk2); bulk1nv without
        wall, _ = res.quotient("bulk1", "bulk2", form, big)
        out.append(Target(f"bulk fill --jobs 2 vs --jobs 1 (read-back on), {form}, N={big:,}: throughput", wall, 1.8,
                          True))
    for form in cfg.forms if cfg.runs("fill") else ():  # issue 6: fill itself against the floor, so without the read-back
        for n in cfg.sizes:
            wall, cpu = res.quotient("bulk1nv", "zipfloor", form, n)
            out.append(Target(f"bulk fill (1 job) vs zip-copy floor, {form}, N={n:,}: time ÷ floor (--no-verify; issue 6)",
                              wall, 1.5, False, cpu=cpu))
    if res.memory:
        small_n, big_n = min(res.memory), max(res.memory)
        out.append(Target(f"peak RSS of formkit parse over {big_n:,} files (issue 6)", res.memory[big_n].rss_mb, 150,
                          False, " MiB"))
        out.append(Target(f"flat memory: peak RSS over {big_n:,} files ÷ over {small_n:,} files",
                          res.memory[big_n].rss_mb / res.memory[small_n].rss_mb, 1.10, False))
    return out


# -- the run ----------------------------------------------------------------------------------


def method_notes(cfg: Config) -> list[str]:
    rounds = ", ".join(f"N={n:,}: {cfg.rounds_for(n)}" for n in cfg.sizes)
    return [
        "ms/doc (fill, parse): the median over interleaved rounds (" + rounds + ") of one batch's wall time ÷ N; "
        "CPU ms/doc the same for CPU time (user + system, this process and the workers it reaped); "
        "every task of a form x N group timed in this one process, after a warm-up batch of 5 documents "
        "(so formkit's one-time template derivation and imports are not in the figure; see 'one-time' below).",
        "formkit rows run the command's own functions in-process: formkit.api.bulk_fill (reads the .jsonl, "
        "validates, renders, writes each file atomically: temp file + rename, the folder fsynced once at "
        "the end; with --jobs 2 the workers write their own files) and formkit.read.batch.run_parse (JSON Lines "
        "to a file); 'parse_file loop' is formkit.read.parse.parse_file per file with no output.",
        "docxtpl loop: a new DocxTemplate per document over formkit's derived tagged template "
        "(Filler(form).template.docx()), context built from the raw record, InlineImage per photo, "
        "autoescape, save to a file. zip-copy floor: a document formkit filled once with placeholder values, "
        "held in memory; per document its placeholders are substituted as strings and the zip written "
        "(deflate 6 for XML, photos stored, as formkit does), plain write.",
        "parse baselines read formkit's --jobs 1 output documents: python-docx Document() + text of every "
        "body paragraph and table cell (nested tables too); docx2python(path).text; floor: "
        "zipfile read of word/document.xml + lxml.etree.fromstring + iterate w:t.",
        "start-up and memory: whole processes under benchmarks/_rss.py (wall time from inside the wrapper; "
        "peak RSS = getrusage(RUSAGE_CHILDREN).ru_maxrss, per process, not summed over workers); start-up: "
        f"2 untimed runs then {cfg.startup_runs} interleaved runs per command, median. Memory rows' ms/doc "
        "is the whole process's wall time ÷ files (start-up included), one run each. Measured processes "
        "use a private bytecode cache (PYTHONPYCACHEPREFIX, PYTHONDONTWRITEBYTECODE unset) filled by the "
        "warm-up runs, so modules are not recompiled on every start.",
        "Target verdicts use wall time, as the issue states them; the CPU-time quotient is shown beside "
        "each (steadier when other work shares the machine, but blind to fsync waits).",
        "esao-3-1 records: 5 works x 4 photos (20 distinct 120x90 PNGs made with zlib+struct, read once).",
        f"bulk process rows: whole processes under benchmarks/_rss.py, {cfg.process_rounds} interleaved round(s) "
        f"after one untimed run of each over 3 records, median; ms/doc = the process's wall time ÷ "
        f"{cfg.process_rows:,} (start-up, template derivation and the fsync included); formkit bulk with "
        "read-back on (the default) and --no-verify, --jobs 1 and 2; the docxtpl loop as a script of its own "
        "(reads the .jsonl, one new DocxTemplate per record over formkit's derived template saved as a file).",
    ]


def one_time(res: Results, forms: tuple[str, ...], work: Path) -> None:
    """Time formkit's one-time costs in a fresh interpreter: import + template derivation."""
    import subprocess

    import formkit

    env = _procs.child_env(Path(formkit.__file__).resolve().parent.parent, work / "pycache")
    code = (
        "import time; t=time.perf_counter(); from formkit import forms; from formkit.fill.filler import Filler; "
        "t1=time.perf_counter(); "
        + "; ".join(f"Filler(forms.load({f!r}))" for f in forms)
        + "; t2=time.perf_counter(); print(f'{(t1-t)*1000:.0f} {(t2-t1)*1000/" + str(len(forms)) + ":.0f}')"
    )
    subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # compile
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    imp, derive = out.stdout.split()
    res.notes.append(f"one-time (fresh process): importing formkit.fill.filler {imp} ms; Filler(form) "
                     f"(derive + compile the template) {derive} ms per form.")


def report(cfg: Config, res: Results, header: list[str]) -> str:
    lines = ["## Performance benchmarks: latest run", "", *header, "", *table(res.rows), "",
             "### Targets (issue 17; issue 6 where it still stands)", "", *targets_table(targets(cfg, res)), ""]
    if cfg.runs("process") or cfg.runs("startup"):
        lines += ["### Targets (issue 17: bulk with read-back over 600 records and start-up, whole processes)", "",
                  *targets_table(_process.targets(res.process, res.startup_ms, res.startup_cpu)), ""]
    lines += ["### How measured", ""]
    lines += [f"- {note}" for note in method_notes(cfg) + res.notes]
    return "\n".join(lines) + "\n"


def run(cfg: Config, argv: list[str], work: Path) -> str:
    import formkit

    root = Path(formkit.__file__).resolve().parent.parent
    header = environment(argv, root, work)
    for line in header:
        log(line)
    res = Results()
    photos = _inputs.write_photos(work / "photos")
    if cfg.runs("fill"):
        one_time(res, cfg.forms, work)
    firsts: dict[str, Path] = {}
    for n in cfg.sizes:
        for form in cfg.forms:
            if cfg.runs("fill"):
                docs = bench_fill(cfg, res, work, photos, form, n)
            else:
                docs = fill_untimed(work, photos, form, n)
            firsts.setdefault(form, docs)
            if cfg.runs("parse"):
                bench_parse(cfg, res, work, form, n, docs)
    if cfg.runs("startup"):
        small = work / "small.docx"
        shutil.copyfile(firsts["esao-1-2"] / "esao-1-2-1.docx", small)
        bench_startup(cfg, res, work, small)
    if cfg.runs("process"):
        bench_process(cfg, res, work, photos)
    if cfg.runs("memory"):
        sources = [firsts[f] / f"{f}-{i}.docx" for f in cfg.forms for i in range(1, 6)
                   if (firsts[f] / f"{f}-{i}.docx").exists()]
        bench_memory(cfg, res, work, sources)
    res.notes.append(f"load average at the end: {load()}")
    text = report(cfg, res, header)
    if cfg.profile:
        import _profile

        text += "\n" + _profile.profile(work, ROOT / "samples", photos, cfg.forms, cfg.profile, log)
    return text


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    cfg = parse_args(args)
    work = Path(tempfile.mkdtemp(prefix="formkit-bench-"))
    try:
        text = run(cfg, ["benchmarks/bench.py", *args], work)
    finally:
        if not cfg.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(text, end="")
    if cfg.output:
        body = text.split("\n## cProfile")[0]
        cfg.output.write_text(body, encoding="utf-8")
        log(f"wrote {cfg.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
