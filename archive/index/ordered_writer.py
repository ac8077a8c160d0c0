"""Whoosh's multi-process writer, made deterministic: the same corpus always gets the same docnums.

Whoosh's ``MpWriter`` puts batches of documents on one queue that its worker processes share, so
which worker (and which segment) gets which batch depends on timing, and so do the document
numbers. The search's tie rule (equal scores: the lower document number first) needs them to be
the same on every ingest of the same corpus. Here each worker has its own queue: the caller says
which worker gets each document (``add_document_to(worker, fields)``), and the workers' segments are
added to the index in worker order. Giving worker ``i`` the ``i``-th contiguous run of the
reports, sorted by id, numbers the documents in report order.
"""

from __future__ import annotations

import pickle
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name


class OrderedMpWriter(MpWriter):
    def __init__(self, ix: Any, procs: int, batchsize: int = 256, **kwargs: Any) -> None:
        super().__init__(ix, procs=procs, batchsize=batchsize, multisegment=True, **kwargs)
        self.parts: list[dict[str, Any]] = [
            {"jobs": self._mpctx.Queue(4), "results": self._mpctx.Queue(), "buffer": [], "task": None}
            for _ in range(procs)
        ]

    def add_document_to(self, worker: int, fields: dict[str, Any]) -> None:
        """Add a document to the segment of worker ``worker`` (0 ≤ worker < procs)."""
        state = self.parts[worker]
        state["buffer"].append((0, fields))
        if len(state["buffer"]) >= self.batchsize:
            self._send(worker)
        self._added_sub = True

    def add_document(self, **fields: Any) -> None:
        self.add_document_to(0, fields)

    def _send(self, part: int) -> None:
        state = self.parts[part]
        filename_and_count = self._write_job(state["buffer"])
        state["buffer"] = []
        if state["task"] is None:
            task = SubWriterTask(self.storage, self.indexname, state["jobs"], state["results"], self.subargs, True)
            task.start()
            state["task"] = task
            self.tasks.append(task)
        state["jobs"].put(filename_and_count)

    def _write_job(self, buffer: list[tuple[int, dict[str, Any]]]) -> tuple[str, int]:
        """The batch as a job file for a worker (how Whoosh's own writer hands batches over)."""
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as handle:
            for item in buffer:
                pickle.dump(item, handle, 2)
        return filename, len(buffer)

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        for part, state in enumerate(self.parts):
            if state["buffer"]:
                self._send(part)
        started = [state for state in self.parts if state["task"] is not None]
        for state in started:
            state["jobs"].put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        segments = []
        for state in started:
            _, _, segment = state["results"].get()  # before join: a full pipe would block the worker
            state["task"].join()
            segments.append(segment)
        finalsegments += segments
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()

    def cancel(self) -> None:
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
                task.join()
        self.tasks = []
        super().cancel()
