"""Run by ``bench/run.py`` (``make bench``) after the index benchmark: the browser search against Pagefind.

It passes ``--sizes --workdir --doc``; the work is in ``bench/search_browser.py``.
"""

from __future__ import annotations

import runpy
from pathlib import Path

if __name__ == "__main__":
    runpy.run_path(str(Path(__file__).with_name("search_browser.py")), run_name="__main__")
