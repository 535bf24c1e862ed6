"""The command group's table (formkit/cli.py COMMANDS): each command is
defined only when it runs, yet the help lists every one as its own help
says, and a mistyped name is matched against them all."""
from __future__ import annotations

import json
import subprocess
import sys
from importlib import import_module

import click
import pytest
from click.testing import CliRunner

from formkit.cli import COMMANDS, main
from tests.conftest import ROOT


def _defined() -> dict[str, tuple[str, click.Command]]:
    """Every command of every module the table names: name -> (module, command)."""
    return {command.name or "": (module, command)
            for module in sorted({module for module, _ in COMMANDS.values()})
            for command in import_module(module).COMMANDS}


def test_the_table_names_each_command_where_it_is_defined() -> None:
    assert {name: module for name, (module, _) in _defined().items()} == {
        name: module for name, (module, _) in COMMANDS.items()}


@pytest.mark.parametrize("width", [30, 50, 80, 120, 200])
def test_the_help_lists_each_command_as_its_own_help_says(width: int) -> None:
    """The table's help, shortened as click shortens it, is what each
    command's own help gives at any terminal width."""
    ctx = click.Context(main)
    listed, defined = click.HelpFormatter(width=width), click.HelpFormatter(width=width)
    main.format_commands(ctx, listed)
    click.Group(commands=[command for _, command in _defined().values()]).format_commands(ctx, defined)
    assert listed.getvalue() == defined.getvalue()
    assert all(f"  {name} " in listed.getvalue() for name in COMMANDS)


def _modules_after(*args: str) -> list[str]:
    """The command modules loaded by ``python -m formkit ARGS``."""
    code = ("import json, sys, runpy\n"
            f"sys.argv = ['formkit', *{list(args)!r}]\n"
            "try:\n    runpy.run_module('formkit', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted(m for m in sys.modules\n"
            "                        if m.startswith('formkit.commands.') or m == 'formkit.season.commands')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    loaded: list[str] = json.loads(proc.stdout.splitlines()[-1])
    return loaded


def test_only_the_module_of_the_command_that_runs_is_imported() -> None:
    assert _modules_after("--help") == []
    assert _modules_after("forms") == ["formkit.commands.forms"]
    assert _modules_after("parse", "--help") == ["formkit.commands.parse"]


def test_a_mistyped_command_is_matched_against_every_command() -> None:
    result = CliRunner().invoke(main, ["exprot"])
    assert result.exit_code == 2
    assert "No such command 'exprot'. Did you mean 'export'?" in result.stderr
    result = CliRunner().invoke(main, ["pars"])
    assert "Did you mean 'parse'?" in result.stderr
