"""docs/cli.md: every registered command documented, with help, an Example and help on each option."""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path

import click
import pytest

from archive.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def _load_cli_docs():
    spec = importlib.util.spec_from_file_location("cli_docs", ROOT / "scripts" / "cli_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cli_docs = _load_cli_docs()
REGISTERED = list(cli_docs.walk(cli))

# Commands whose help is known to be incomplete, by full name → reason naming what is missing.
# Empty: every registered command has complete help. Add an entry (and say so in a report) only
# while the command's owner fixes its docstring.
KNOWN_INCOMPLETE: dict[str, str] = {}


@pytest.mark.parametrize("full_name,command", REGISTERED, ids=[name for name, _ in REGISTERED])
def test_every_command_has_help_an_example_and_help_on_every_option(full_name: str, command: click.Command) -> None:
    if full_name in KNOWN_INCOMPLETE:
        pytest.xfail(KNOWN_INCOMPLETE[full_name])
    found = cli_docs.problems(command, full_name)
    assert not found, "help to complete:\n  " + "\n  ".join(found)


def test_docs_cli_md_is_up_to_date() -> None:
    expected = cli_docs.render(cli)
    path = ROOT / "docs" / "cli.md"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current != expected:
        diff = "".join(
            list(
                difflib.unified_diff(
                    current.splitlines(keepends=True), expected.splitlines(keepends=True), "docs/cli.md", "generated"
                )
            )[:40]
        )
        pytest.fail(f"docs/cli.md is out of date: regenerate it with `{cli_docs.REGENERATE}`\n{diff}")


def test_the_page_has_a_section_with_the_full_help_of_every_registered_command() -> None:
    page = cli_docs.render(cli)
    names = [name for name, _ in REGISTERED]
    assert {"archive", "archive check", "archive ingest", "archive search"} <= set(names)
    for name in names:
        assert f"\n## {name}\n\n```\n{cli_docs.help_text(cli, name).rstrip()}\n```\n" in page
    assert "-h, --help" in cli_docs.help_text(cli, "archive check")


def _documented() -> click.Command:
    @click.command()
    @click.option("--limit", type=int, help="At most N.")
    def tidy(limit: int) -> None:
        """Tidy the archive.

        \b
        Example:
            demo tidy --limit 3
        """

    return tidy


def _undocumented() -> click.Command:
    @click.command()
    @click.option("--limit", type=int)
    @click.option("--secret", hidden=True)
    def bare(limit: int, secret: str) -> None:
        pass

    return bare


def _without_example() -> click.Command:
    @click.command()
    def plain() -> None:
        """Do something useful, but never show how.

        Example output is not an example: the block must run the command.
        """

    return plain


def test_commands_registered_later_and_in_subgroups_are_walked_and_rendered() -> None:
    @click.group()
    def demo() -> None:
        """A demo program.

        \b
        Example:
            demo tidy
        """

    @click.group()
    def admin() -> None:
        """Administration.

        \b
        Example:
            demo admin bare
        """

    demo.add_command(_documented())
    demo.add_command(admin)
    admin.add_command(_undocumented())
    assert [name for name, _ in cli_docs.walk(demo, "demo")] == ["demo", "demo admin", "demo admin bare", "demo tidy"]
    page = cli_docs.render(demo, "demo")
    assert "## demo admin bare\n" in page
    assert "Usage: demo admin bare [OPTIONS]" in page


def test_the_checker_names_each_missing_piece() -> None:
    assert cli_docs.problems(_documented(), "demo tidy") == []
    assert cli_docs.problems(_undocumented(), "demo bare") == [
        "`demo bare` has no help text (write a docstring)",
        "`demo bare` option --limit has no help",
    ]
    (problem,) = cli_docs.problems(_without_example(), "demo plain")
    assert "no Example block" in problem
