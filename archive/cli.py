"""The ``archive`` command line: a thin shell over the library.

Exit codes: 0 success; 1 failure (nothing done, or a file could not be read);
2 usage error; 3 partial success (some files skipped, the rest done).
"""

from __future__ import annotations

import click

from archive import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archive")
def cli() -> None:
    """政府信息公开工作年度报告档案库 — read, check, index, search and publish annual reports.

    \b
    Example:
        archive check content/reports/*.txt
        archive ingest content
        archive search "依申请公开"
        archive build

    \b
    Exit codes:
        0  success
        1  failure: nothing was done, or a file could not be read
        2  usage error (a wrong option or argument)
        3  partial success: some files were skipped, the others were done
    """


def _register() -> None:
    """Every command; each module imports what its command needs when it runs, so that ``archive --help``
    stays quick."""
    from archive.commands import agencies, check, ingest, search, synth, themes
    from site_builder import commands as site_commands

    for command in (check.check, ingest.ingest, search.search, synth.synth, agencies.agencies, themes.themes):
        cli.add_command(command)
    cli.add_command(site_commands.build)
    cli.add_command(site_commands.serve)


_register()
