"""``GET <base_url>jlab-alt/api/journal?path=<notebook path>``: what the notebook's kernel ran.

Query arguments: ``path`` (required, the notebook's API path); ``after`` (a ``seq`` from an
earlier answer: only executions changed since then); ``wait`` (seconds, at most 30: when
nothing changed after ``after``, answer once something does or the time is up; a long poll).

Answers ``{"available": true, "journal_id", "kernel_id", "seq", "restarts",
"executions": [...], "widgets": {...}}`` where each execution is
``{"msg_id", "cell_id", "session", "state": "queued"|"running"|"done"|"aborted",
"status": "ok"|"error"|"aborted"|"unknown"|null, "incomplete", "execution_count", "outputs": [nbformat outputs],
"display_ids": [str|null per output], "clear_pending", "input_request":
{"prompt", "password", "header"}|null, "requested", "started", "finished", "seq"}``
(times in seconds since the epoch), only those with a cell id. ``incomplete`` is true when
IOPub messages of the run were lost (its outputs hold a marker line), and ``status`` is
``unknown`` when its end was among them. Or ``{"available": false,
"journal_id", "reason": "disabled"|"gateway"|"no-kernel"}``. 400 without ``path``.
"""

from __future__ import annotations

import json

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..handlers.base import AppAPIHandler

#: Longest long poll, in seconds.
MAX_WAIT = 30.0


class JournalHandler(AppAPIHandler):
    """Read the execution journal of a notebook's kernel."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        path = self.get_query_argument("path", "")
        if not path:
            raise web.HTTPError(400, "Give the notebook's path: ?path=<path>")
        try:
            after = int(self.get_query_argument("after", "0"))
            wait = min(MAX_WAIT, max(0.0, float(self.get_query_argument("wait", "0"))))
        except ValueError as err:
            raise web.HTTPError(400, f"after must be an integer and wait a number of seconds: {err}") from err
        journal = getattr(self.extensionapp, "journal", None)
        if journal is None:
            self.finish(json.dumps({"available": False, "journal_id": None, "reason": "disabled"}))
            return
        if journal.gateway:
            self.finish(json.dumps({"available": False, "journal_id": journal.journal_id, "reason": "gateway"}))
            return
        kernel_id = await journal.kernel_for_path(path)
        kernel = journal.kernels.get(kernel_id) if kernel_id else None
        if kernel is None:
            self.finish(json.dumps({"available": False, "journal_id": journal.journal_id, "reason": "no-kernel", "kernel_id": kernel_id}))
            return
        if wait and kernel.seq <= after:
            await kernel.wait_for_change(after, wait)
        answer = kernel.to_json(after=after)
        answer["executions"] = [e for e in answer["executions"] if e["cell_id"]]
        self.finish(json.dumps({"available": True, "journal_id": journal.journal_id, **answer}))
