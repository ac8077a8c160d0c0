"""archive check FILE..."""

from __future__ import annotations

import click


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def check(files: tuple[str, ...], as_json: bool) -> None:
    """Parse reports and print what was found in them."""
    raise click.ClickException("not yet")
