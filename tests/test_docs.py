"""The README documents every stable error and warning code, every command
and option, and says what a run really prints."""
import re

import click
from click.testing import CliRunner

from formkit.cli import main
from formkit.errors import ERROR_CODES
from formkit.warnings import WARNING_CODES
from tests.conftest import ROOT


def test_readme_lists_every_code() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    missing = [c for c in ERROR_CODES if f"`{c}`" not in readme]
    missing += [c for c in WARNING_CODES if f"`{c}`" not in readme and f"`-{c.rsplit('-', 1)[-1]}`" not in readme]
    assert not missing, f"README does not document: {missing}"


def _commands_block(readme: str) -> dict[str, str]:
    """README's "## Commands" synopsis: each command's line(s), by name."""
    block = readme.split("## Commands\n", 1)[1].split("\n\n`", 1)[0]
    lines: dict[str, str] = {}
    for line in block.splitlines():
        words = line.split()
        if len(words) > 1 and words[0] == "formkit":
            lines[words[1]] = lines.get(words[1], "") + " " + line.split("  #", 1)[0]
    return lines


def test_readme_synopsis_names_every_command_and_option() -> None:
    """Every command of the CLI, and every option of each, is in README's
    synopsis (an option by its long or its short name)."""
    synopsis = _commands_block((ROOT / "README.md").read_text("utf-8"))
    missing = []
    ctx = click.Context(main)
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        assert command is not None
        if name not in synopsis:
            missing.append(name)
            continue
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                names = [*param.opts, *param.secondary_opts]
                if not any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", synopsis[name]) for n in names):
                    missing.append(f"{name} {'/'.join(names)}")
    assert not missing, f"README's Commands section does not show: {missing}"


def test_readme_score_summary_is_what_a_run_prints() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    said = re.search(r"`formkit score samples/esao-1-2 samples/esao-3-1` ends with\n`(formkit: [^`]+)`", readme)
    assert said
    result = CliRunner().invoke(main, ["score", str(ROOT / "samples" / "esao-1-2"), str(ROOT / "samples" / "esao-3-1")])
    assert result.exit_code == 0
    assert result.stderr.strip().splitlines()[-1] == said.group(1)
