"""The docs match the code: every command has help, every variable is documented."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from diplobot.cli import cli
from diplobot.settings import VARIABLES
from tests.conftest import ROOT

COMMANDS = sorted(cli.commands)


def test_design_commands_exist():
    assert {"ingest", "chat", "run", "summarize", "tags"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name):
    result = CliRunner().invoke(cli, [name, "--help"], prog_name="diplobot")
    assert result.exit_code == 0, result.output
    assert f"Usage: diplobot {name}" in result.output
    assert len(cli.commands[name].help or "") > 20


@pytest.mark.parametrize("name", [n for n, _, _ in VARIABLES])
def test_every_variable_is_in_env_example_and_readme(name):
    env_example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"^{name}=", env_example, re.MULTILINE), f"{name} missing from .env.example"
    assert f"`{name}`" in readme, f"{name} missing from README.md"


def test_readme_opens_with_the_two_commands():
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:1500]
    assert "make run" in head and "make test" in head


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_menu_command_is_in_help_and_in_the_docs():
    """A command in Telegram's menu is explained in /help and in README.md or a docs/ page."""
    from bot.commands import HELP
    from bot.handlers import DESCRIPTIONS

    docs = (ROOT / "README.md").read_text(encoding="utf-8") + "".join(
        page.read_text(encoding="utf-8") for page in sorted((ROOT / "docs").glob("*.md")))
    assert len(DESCRIPTIONS) > 20
    for name in DESCRIPTIONS:
        assert re.search(rf"/{name}\b", HELP) or name == "start", f"/{name} missing from /help"
        assert re.search(rf"`/{name}\b", docs), f"/{name} missing from README.md and docs/"
