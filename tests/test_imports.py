"""The package's shape, read from its imports: the core never loads the
command line, only the command line (cli.py and the commands' modules)
imports click, and no two modules import each other, directly or round a
loop (function-level imports included).

Imports are read from each module's AST. An import under ``if
TYPE_CHECKING:`` never runs (it is for type checkers only), so it is not an
edge of the graph; every other import is, wherever it stands.
"""
from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

import formkit
from tests.conftest import ROOT

PACKAGE = ROOT / "formkit"


def module_names() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = module_names()
COMMAND_LINE = {"formkit.cli", "formkit.__main__", "formkit.season.commands"}
COMMAND_LINE |= {m for m in MODULES if m.startswith("formkit.commands")}  # the commands, one module each or a few


def _run_time_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of ``tree`` except those inside ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def imported(module: str) -> set[str]:
    """The absolute names ``module`` imports at run time (``from . import x``
    gives ``formkit.x`` when x is a module, else the package)."""
    path = MODULES[module]
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names: set[str] = set()
    for node in _run_time_nodes(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
            continue
        if node.level:
            parent = ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
        else:
            parent = node.module or ""
        subs = {f"{parent}.{alias.name}" for alias in node.names} & MODULES.keys()
        names.update(subs or {parent})
        if len(subs) < len(node.names):
            names.add(parent)
    return names


def graph() -> dict[str, set[str]]:
    """module -> the package's modules it imports (a name imported from a
    module's attribute counts as that module)."""
    edges: dict[str, set[str]] = {}
    for module in MODULES:
        targets = set()
        for name in imported(module):
            while name not in MODULES and "." in name:
                name = name.rsplit(".", 1)[0]
            if name in MODULES and name != module and name.startswith("formkit"):
                targets.add(name)
        edges[module] = targets
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str]:
    """One import cycle as a path (first module repeated at the end), or []."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return []

    for start in sorted(edges):
        if start not in state and (cycle := visit(start)):
            return cycle
    return []


def test_the_import_graph_has_no_cycle() -> None:
    edges = graph()
    assert edges["formkit.commands.parse"] >= {"formkit.api", "formkit.errors"}  # the walk sees module-level imports
    assert "formkit.read.parse" in edges["formkit.read.batch"] and "formkit.fill.filler" in edges["formkit.api"]  # and function-level ones
    cycle = find_cycle(edges)
    assert not cycle, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_reports_a_cycle_through_function_level_imports() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(edges) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_only_the_command_line_imports_click() -> None:
    offenders = sorted(m for m in MODULES if m not in COMMAND_LINE
                       if any(n == "click" or n.startswith("click.") for n in imported(m)))
    assert not offenders, f"click imported outside the command line: {offenders}"
    assert "click" in imported("formkit.cli")


TERMINAL = {"sys.stdout", "sys.stderr", "sys.stdin", "sys.exit", "os._exit"}


def terminal_uses(module: str) -> list[str]:
    """Where ``module`` reads or writes the terminal or ends the process
    itself: sys.stdout/stderr/stdin, sys.exit, os._exit, print(), input()."""
    found = []
    for node in ast.walk(ast.parse(MODULES[module].read_text("utf-8"))):
        if isinstance(node, ast.Attribute) and ast.unparse(node) in TERMINAL:
            found.append(f"{module}:{node.lineno} {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("print", "input"):
            found.append(f"{module}:{node.lineno} {node.func.id}()")
    return found


def test_the_core_never_talks_to_the_terminal() -> None:
    """Results are values, progress an iterator, failures exceptions: only
    the command line writes to stdout and stderr or sets the exit status."""
    offenders = [use for m in MODULES if m not in COMMAND_LINE for use in terminal_uses(m)]
    assert not offenders, offenders
    assert any("sys.stdout" in use for use in terminal_uses("formkit.commands.parse"))  # the walk sees them where they are


def _click_loaded(code: str) -> bool:
    """Run ``code`` in a fresh interpreter after ``import formkit, sys``;
    whether click was imported by the end."""
    script = f"import formkit, sys\n{code}\nprint(json.dumps('click' in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", "import json\n" + script], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    loaded: bool = json.loads(proc.stdout.splitlines()[-1])
    return loaded


@pytest.mark.parametrize("name", formkit.__all__)
def test_touching_a_public_name_does_not_load_the_command_line(name: str) -> None:
    assert not _click_loaded(f"formkit.{name}")


def test_running_every_api_function_does_not_load_the_command_line(tmp_path: Path) -> None:
    code = f"""
import os
from pathlib import Path
os.chdir({str(tmp_path)!r})
s = {str(ROOT / "samples")!r}
form = formkit.open_form("esao-1-2")
results = list(formkit.parse_files([s + "/esao-1-2/over-dots.docx", s + "/esao-3-1/one-work.docx"]))
formkit.fill_to("one.docx", form, s + "/esao-1-2/record-1.json")
formkit.fill_bytes(form, {{"level": 2}})
formkit.bulk_fill(form, s + "/esao-1-2/bulk.csv", zip_path="all.zip").finish()
formkit.write_report(formkit.score_results(results), "report")
formkit.learn_form(form.original, "learned", "learned")
formkit.check_form(Path("learned"), roundtrip=1)
"""
    assert not _click_loaded(code)
    assert {p.name for p in tmp_path.iterdir()} == {"one.docx", "all.zip", "report", "learned"}


def test_public_names_stay_themselves_whatever_is_imported() -> None:
    """Python sets a package attribute to a submodule when it first imports
    it; no public name is a module name, so none can be replaced."""
    for module in MODULES:
        if module not in COMMAND_LINE:
            importlib.import_module(module)
    for name in formkit.__all__:
        value = getattr(formkit, name)
        assert not isinstance(value, types.ModuleType), f"formkit.{name} is the module {value.__name__}"
    from formkit import api

    assert formkit.fill_bytes is api.fill_bytes and formkit.check_form is api.check_form


# -- layers -------------------------------------------------------------------------

BASE = {"formkit.errors", "formkit.warnings", "formkit.text", "formkit.files", "formkit.output", "formkit.yamlcache",
        "formkit.values"}
# stage -> the stages it may import (besides itself and the base modules); each
# subpackage's __init__ says the same in words
LAYERS: dict[str, set[str]] = {
    "base": set(),
    "docx": set(),
    "forms": set(),
    "locate": {"docx", "forms"},
    "office": {"docx"},
    "read": {"docx", "forms", "locate", "office"},
    "fill": {"docx", "forms", "locate", "read"},
    "learn": {"docx", "forms", "locate", "read", "fill", "office"},
    "score": {"forms", "read", "fill"},
}
FACES = {"formkit", "formkit.api"} | COMMAND_LINE  # the top: may import anything
FACES |= {m for m in MODULES if m.startswith("formkit.season")}  # the season app: a face too


def stage(module: str) -> str:
    if module in BASE:
        return "base"
    return module.split(".")[1]


def test_every_module_has_a_stage() -> None:
    unplaced = [m for m in MODULES if m not in FACES and stage(m) not in LAYERS]
    assert not unplaced, f"modules in no stage: {unplaced}"


def test_each_stage_imports_only_the_stages_below_it() -> None:
    """The data flow in the folder names holds in the code: docx knows no
    form, locate no XML, read no fill, and nothing below the faces imports
    the faces."""
    wrong = []
    for module, targets in graph().items():
        if module in FACES:
            continue
        allowed = LAYERS[stage(module)] | {stage(module), "base"}
        wrong += [f"{module} -> {t}" for t in sorted(targets) if t in FACES or stage(t) not in allowed]
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_lxml_stays_in_the_layers_that_edit_xml() -> None:
    """Locators, parse, score and the faces see the document model, never XML
    (score.report only catches the error openpyxl's lxml raises on a full disk)."""
    users = {m for m in MODULES if any(n == "lxml" or n.startswith("lxml.") for n in imported(m))}
    users.discard("formkit.score.report")
    assert {stage(m) for m in users} <= {"docx", "fill", "learn", "office"}, sorted(users)
