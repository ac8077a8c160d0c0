"""Table layouts of the sample reports, as templates with a slot for every value.

Built with the sentence bank (``python -m archive.synth.bank``) into ``archive/data/table_templates.json``:
each sample's table text (tab rows, one cell per line, shifted cells) with the numbers replaced
by ``SLOT``, kept only where the slots match the schema's cells one to one, in the schema's order.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from archive import schema

SLOT = "⟨v⟩"
PART_HEADINGS = {
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}
_NEXT_PART = re.compile(r"^(三、收到和处理|四、政府信息公开行政|五、存在|六、其他)", re.M)
_CELL = re.compile(r"([^\t\n]*)")
_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")


def table_block(text: str, table: str) -> str | None:
    """The text of a table: from after its part heading to the next part heading."""
    heading = PART_HEADINGS[table]
    start = text.find(heading)
    if start < 0:
        return None
    start += len(heading)
    following = _NEXT_PART.search(text, start)
    return text[start : following.start() if following else len(text)]


def to_template(block: str) -> tuple[str, int]:
    """Replace every cell that is only a number with ``SLOT``; return the template and the slot count."""
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        cell = match.group(1)
        if _NUMBER.match(cell):
            count += 1
            return cell.replace(cell.strip(), SLOT)
        return cell

    return _CELL.sub(replace, block), count


def layout_name(block: str) -> str:
    lines = [ln for ln in block.splitlines() if ln.strip()]
    tabbed = sum(1 for ln in lines if re.search(r"\S\t+\S", ln))
    return "tab_rows" if tabbed > len(lines) / 3 else "cell_per_line"


def build_templates(texts: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in schema.TABLE_KEYS}
    for name, text in sorted(texts.items()):
        for table in schema.TABLE_KEYS:
            block = table_block(text, table)
            if block is None:
                continue
            template, slots = to_template(block)
            if slots == len(schema.cell_keys(table)):
                out[table].append({"source": name, "layout": layout_name(block), "text": template})
    return out


@lru_cache(maxsize=1)
def load_templates() -> dict[str, list[dict[str, Any]]]:
    return json.loads(resources.files("archive.data").joinpath("table_templates.json").read_text("utf-8"))


def write_templates(folder: Path, target: Path) -> dict[str, list[dict[str, Any]]]:
    texts = {p.name: p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))}
    templates = build_templates(texts)
    target.write_text(json.dumps(templates, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return templates
