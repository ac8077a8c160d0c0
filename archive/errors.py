"""The project's one exception hierarchy. The CLI prints these as ``错误：…`` without a traceback."""

from __future__ import annotations

import sys
from typing import IO, Any

import click


class ArchiveError(click.ClickException):
    """Base of every error the archive raises on purpose."""

    exit_code = 1

    def format_message(self) -> str:
        return self.message

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"错误：{self.format_message()}", file=file or sys.stderr)


class ReadError(ArchiveError):
    """A file could not be read as a report (empty, binary, truncated, unknown format)."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"无法读取 {self.path}：{problem}")


class IndexBusyError(ArchiveError):
    """Another ingest holds the index lock."""


class BuildError(ArchiveError):
    """The site could not be built; the previous site is left as it was."""
