"""requirements.lock pins the whole dependency tree that `make install` installs, in step with pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;]+)")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text("utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = PIN.match(line.strip())
        assert match, f"not an exact pin in requirements.lock: {line}"
        out[_name(match.group(1))] = match.group(2)
    return out


def test_every_dependency_of_pyproject_is_locked_at_its_pinned_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = [*project["dependencies"], *(d for extra in project["optional-dependencies"].values() for d in extra)]
    locked = _locked()
    for requirement in wanted:
        match = PIN.match(requirement)
        assert match, f"pyproject.toml pins every dependency exactly: {requirement}"
        assert locked.get(_name(match.group(1))) == match.group(2), f"requirements.lock is behind pyproject.toml: {requirement} (make lock)"


def test_the_lock_holds_the_transitive_dependencies_too() -> None:
    locked = _locked()
    for transitive in ("pdfminer-six", "pillow", "markupsafe", "pypdfium2"):
        assert transitive in locked, transitive
