"""The layers point one way: read → parse → check → index → build, each using only those below it.

Every import of the project's own modules (at the top of a module or inside a function) is read from
the source; a module may import its own layer and the layers below, never one above.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. A module belongs to the longest prefix listed; a package's modules to the package.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("archive", "archive.model", "archive.schema", "archive.errors", "archive.disk_errors", "archive.data"),
    ("archive.readers",),
    ("archive.files",),
    ("archive.parse",),
    ("archive.checks", "archive.duplicates", "archive.agencies", "archive.text_against_tables", "archive.themes"),
    ("archive.pipeline",),
    ("archive.index",),
    ("archive.corpus",),
    ("archive.content",),
    ("archive.synth",),
    ("site_builder",),
    ("archive.cli", "archive.commands", "site_builder.commands"),
)


def layer_of(module: str) -> int:
    best, level = "", -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, level = prefix, index
    assert level >= 0, f"{module} is in no layer: add it to LAYERS"
    return level


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def own_imports(source: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        names = [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found.update(name for name in names if name.split(".")[0] in {"archive", "site_builder"})
    return found


def sources() -> list[Path]:
    return sorted([*(ROOT / "archive").rglob("*.py"), *(ROOT / "site_builder").rglob("*.py")])


def upward(module: str, source: str) -> list[str]:
    return [f"{module} imports {name}" for name in sorted(own_imports(source)) if layer_of(name) > layer_of(module)]


def test_no_module_imports_a_layer_above_its_own() -> None:
    found = [line for path in sources() for line in upward(module_name(path), path.read_text("utf-8"))]
    assert found == []


def test_an_upward_import_is_seen_wherever_it_stands() -> None:
    """What this test was written against: parse importing checks, a command importing the site builder."""
    assert upward("archive.parse.tables", "from archive.checks import row_name\n") == [
        "archive.parse.tables imports archive.checks"
    ]
    inside_a_function = "def agencies():\n    from site_builder.sources import open_store\n"
    assert upward("archive.index.ingest", inside_a_function) == ["archive.index.ingest imports site_builder.sources"]
    assert upward("archive.readers.text", "import archive.parse.cleanup\n") == ["archive.readers.text imports archive.parse.cleanup"]
    assert upward("archive.commands.agencies", "from site_builder.sources import open_store\n") == []
