"""``POST <base_url>jlab-alt/api/save-delta/<path>``: save a notebook from the changes the page made.

Body: ``{"delta": <a format-1 delta, see jlab_alt.savedelta.merge>}``. The server reads the
notebook through the host's contents manager, checks it is the version the delta was made
against, merges, and saves through the contents manager (hooks, signing, checkpoints'
rules and events as for a PUT of ``/api/contents``).

Answers 200 with the host's contents model of the saved file (no content), as
``PUT /api/contents`` does; 400 for a body that is not ``{"delta": {...}}``; 404 when the
file does not exist; 409 when the file changed on disk since the delta's base (the page
asks the person what to do); 422 when the delta does not fit the file, or the file is of an
older nbformat (converted on read) or fails validation, or when a pre-save hook may have rewritten
the file's last save (the page then sends the whole notebook, as it normalized it: see
:mod:`jlab_alt.savedelta.verbatim`). Errors of the save itself are the host's (403, 507, ...).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import ensure_async
from tornado import web

from ..builtins import exact_save
from ..handlers.base import AppAPIHandler
from .merge import DeltaConflict, DeltaMismatch, check_base, merge_delta

try:
    from jupyter_client.jsonutil import json_default
except ImportError:  # pragma: no cover - jupyter_client < 7
    from jupyter_client.jsonutil import date_default as json_default  # type: ignore[attr-defined,no-redef]

log = logging.getLogger("jlab_alt.savedelta")


class SaveDeltaHandler(AppAPIHandler):
    """Merge a page's changes into a notebook and save it through the contents manager."""

    @web.authenticated
    @authorized
    async def post(self, path: str) -> None:
        delta = self.body_object("delta")
        if self.extensionapp.host_pre_save_hooks():
            raise web.HTTPError(422, "A pre-save hook of the server may rewrite what is saved; save the notebook whole")
        cm = self.contents_manager
        try:
            # A cheap look first: a conflict must not cost a read of the whole file.
            check_base(delta, (await ensure_async(cm.get(path, content=False)))["last_modified"])
            model = await ensure_async(cm.get(path, content=True, type="notebook"))
            check_base(delta, model["last_modified"])
            if not self.extensionapp.verbatim_saves.holds_what_was_sent(path, model["last_modified"]):
                raise DeltaMismatch("A pre-save hook may have rewritten the last save of this file; save it whole")
            # The page normalizes what it loads (an old format converted by the host, an
            # invalid field such as execution_count "*"); untouched cells taken from disk
            # would keep the file's version, so such files are saved whole.
            if model.get("message") or "orig_nbformat" in (model["content"].get("metadata") or {}):
                raise DeltaMismatch("The file on disk is of an older format or not valid; save it whole")
            merged, sent = merge_delta(model["content"], delta)
        except DeltaConflict as err:
            raise web.HTTPError(409, str(err)) from err
        except DeltaMismatch as err:
            raise web.HTTPError(422, str(err)) from err
        _reconcile(sent, path)
        saved = await _save_reconciled(cm, {"type": "notebook", "format": "json", "content": merged}, path)
        self.finish(json.dumps(saved, default=json_default))


def _reconcile(sent: list[tuple[dict[str, Any], Any]], path: str) -> None:
    """Put back numbers JavaScript re-spelled, only in what the page sent (the rest is the disk's)."""
    try:
        for value, on_disk in sent:
            if on_disk is not None:
                exact_save.reconcile(value, on_disk)
    except RecursionError:
        log.warning("jlab-alt: %s is nested too deeply to keep its numbers exact; saved as sent", path)


async def _save_reconciled(cm: Any, model: dict[str, Any], path: str) -> dict[str, Any]:
    token = exact_save.already_reconciled.set(True)
    try:
        return await ensure_async(cm.save(model, path))
    finally:
        exact_save.already_reconciled.reset(token)
