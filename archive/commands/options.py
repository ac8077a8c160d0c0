"""Options shared by several commands, as decorators (one definition, one help text)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])

index_option: Callable[[F], F] = click.option(
    "--index",
    "index_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Index folder [default: $ARCHIVE_INDEX, else var/index].",
)


def content_option(help_text: str) -> Callable[[F], F]:
    """``--content DIR`` (default ``content``), with what the command reads from it."""
    return click.option(
        "--content",
        "content_dir",
        default="content",
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=help_text,
    )
