"""The search export as a process of its own: ``python -m site_builder.search.export_child REQUEST RESULT``.

``REQUEST`` is a pickle of (index folder, the reports' places, published site) written by
``site_files.ExportJob``; ``RESULT`` receives ("done", (folder, paths, kept)) or ("error", message). A fresh
process, not a fork of the build: it holds what the export needs, not a copy of everything the build
had loaded when it started (which the build, touching its objects, would make the child's own).
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
import threading
import time
import traceback
from pathlib import Path

from site_builder.search.export import export_files

log = logging.getLogger(__name__)


def main(request: Path, result: Path) -> None:
    _stop_with(os.getppid())
    try:
        index_dir, places, published = pickle.loads(request.read_bytes())
        exported = export_files(index_dir, published=published, places=places)
        exported._cleanup.detach()  # the build removes the folder
        outcome: tuple[str, object] = ("done", (str(exported.folder), exported.written, exported.kept_files))
    except BaseException as exc:  # noqa: BLE001 (any failure is the build's to report)
        log.debug("search export failed\n%s", traceback.format_exc())
        outcome = ("error", f"{type(exc).__name__}: {exc}")
    result.write_bytes(pickle.dumps(outcome))


def _stop_with(parent: int) -> None:
    """End this process when the build that started it is gone (killed): nobody would read the export."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
