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

``POST <base_url>jlab-alt/api/save-delta-base/<path>`` (no body): read the notebook now, so
that the next delta save of it needs no read. The page sends it at the first edit after
opening a file; the read (parse, upgrade, validate: about as long as the save itself for a
2,000-cell notebook) then happens while the person types, not after Ctrl+S. Answers 204
whether or not the notebook could be kept (nothing to keep for a file the delta save
would refuse; 404 when the file does not exist).
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from collections import OrderedDict
from typing import Any

import nbformat

from jupyter_server.auth.decorator import authorized
from jupyter_server.utils import ensure_async
from tornado import web

from ..builtins import exact_save
from ..handlers.base import AppAPIHandler
from .merge import DeltaConflict, DeltaMismatch, check_base, merge_delta, parse_time

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
        cache = _saved_notebooks(cm)
        try:
            # A cheap look first (metadata and the hash of the bytes): a conflict must not
            # cost a read of the whole file.
            on_disk = await _file_model(cm, path)
            check_base(delta, on_disk["last_modified"])
            # A read the page asked for at its first edit may still be under way: it is the
            # read this save would make.
            await cache.prepared(path)
            base = cache.content_if_unchanged(cm, path, on_disk)
            if base is None:
                model = await ensure_async(cm.get(path, content=True, type="notebook"))
                check_base(delta, model["last_modified"])
                if not _mergeable(model):
                    raise DeltaMismatch("The file on disk is of an older format or not valid; save it whole")
                base = model["content"]
            if not self.extensionapp.verbatim_saves.holds_what_was_sent(path, on_disk["last_modified"]):
                raise DeltaMismatch("A pre-save hook may have rewritten the last save of this file; save it whole")
            merged, sent = merge_delta(base, delta)
        except DeltaConflict as err:
            raise web.HTTPError(409, str(err)) from err
        except DeltaMismatch as err:
            raise web.HTTPError(422, str(err)) from err
        _reconcile(sent, path)
        cache.forget(path)
        saved = await _save_reconciled(cm, {"type": "notebook", "format": "json", "content": merged}, path)
        # The hash of the file as this save left it, taken before answering: once the page has
        # its answer, another program may rewrite the file (and put its modification time back,
        # or write within the same tick of a coarse clock), and the notebook kept for the next
        # save must be the one whose bytes are on disk, or that program's edit would be lost.
        written = None if saved.get("message") else await _written_file_model(cm, path)
        await self.finish(json.dumps(saved, default=json_default))
        # After the answer: the page's save is done; keeping the notebook is for the next one.
        if written is not None:
            cache.remember(path, saved, written, merged)


class SaveDeltaBaseHandler(AppAPIHandler):
    """Read a notebook ahead of its first save by changes (see the module's docstring)."""

    @web.authenticated
    @authorized
    async def post(self, path: str) -> None:
        cm = self.contents_manager
        if not await ensure_async(cm.file_exists(path)):
            raise web.HTTPError(404, f"No file {path}")
        if not self.extensionapp.host_pre_save_hooks():
            await _saved_notebooks(cm).prepare(cm, path)
        self.set_status(204)
        await self.finish()


def _mergeable(model: dict[str, Any]) -> bool:
    """Whether a delta may go onto ``model`` (the host's, with content) as read.

    The page normalizes what it loads (an old format converted by the host, an invalid
    field such as execution_count "*"); untouched cells taken from disk would keep the
    file's version, so such files are saved whole.
    """
    return not model.get("message") and "orig_nbformat" not in (model["content"].get("metadata") or {})


async def _file_model(cm: Any, path: str) -> dict[str, Any]:
    """The host's model of ``path`` without content, with the hash of its bytes when the contents manager gives one."""
    try:
        return await ensure_async(cm.get(path, content=False, require_hash=True))
    except TypeError:  # a contents manager without require_hash (jupyter_server < 2.11)
        return await ensure_async(cm.get(path, content=False))


async def _written_file_model(cm: Any, path: str) -> dict[str, Any] | None:
    """:func:`_file_model` of a file just saved, or None when it cannot be read (nothing is kept then)."""
    try:
        return await _file_model(cm, path)
    except Exception as err:  # noqa: BLE001 - a cache miss only costs a read
        log.debug("jlab-alt: not keeping %s for the next save: %s", path, err)
        return None


#: Notebooks this server saved by changes, per contents manager (see SavedNotebooks).
_CACHES: weakref.WeakKeyDictionary[Any, SavedNotebooks] = weakref.WeakKeyDictionary()


def _saved_notebooks(cm: Any) -> SavedNotebooks:
    cache = _CACHES.get(cm)
    if cache is None:
        cache = _CACHES[cm] = SavedNotebooks()
    return cache


class SavedNotebooks:
    """The notebooks last saved here by changes, so the next delta needs no read of the file.

    Why: reading a notebook through the contents manager parses, upgrades and validates
    it (a 2,000-cell notebook: about as long as the save itself), and the save validates
    again. The notebook the last delta save wrote is known: it is kept, keyed by the
    hash of the bytes on disk right after that save (the host's ``require_hash``), and
    used as the merge base only while the file still has exactly those bytes. Anything
    another program does to the file (even keeping its ``last_modified``) changes the
    hash, and the file is read again as before. Trust is checked again on each use, as a
    read would (``mark_trusted_cells``). At most :attr:`MAX` notebooks and :attr:`MAX_BYTES`
    bytes (their files' sizes on disk) are kept, the least recently saved or used dropped
    first; a notebook larger than :attr:`MAX_BYTES` is not kept (its next save reads it).
    """

    MAX = 8
    #: Bytes of the kept notebooks' files together (the parsed notebooks take a few times more).
    MAX_BYTES = 64 * 1024 * 1024

    def __init__(self) -> None:
        #: path -> (digest, notebook, size in bytes), least recently saved or used first.
        self._entries: OrderedDict[str, tuple[str, Any, int]] = OrderedDict()
        self._bytes = 0
        #: path -> the read :meth:`prepare` is making of it.
        self._reading: dict[str, asyncio.Task[None]] = {}

    @property
    def kept_bytes(self) -> int:
        """Bytes (file sizes on disk) of the notebooks kept now."""
        return self._bytes

    def kept_paths(self) -> list[str]:
        """Paths of the notebooks kept now, least recently saved or used first."""
        return list(self._entries)

    def content_if_unchanged(self, cm: Any, path: str, on_disk: dict[str, Any]) -> Any | None:
        """The kept notebook of ``path`` when ``on_disk`` (the host's model, with its hash) is still its file, else None."""
        key = path.strip("/")
        entry = self._entries.get(key)
        digest = _digest(on_disk)
        if entry is None or digest is None or entry[0] != digest:
            return None
        self._entries.move_to_end(key)
        content = entry[1]
        cm.mark_trusted_cells(content, path)
        return content

    def forget(self, path: str) -> None:
        """Drop what is kept of ``path`` (a save of it is under way)."""
        entry = self._entries.pop(path.strip("/"), None)
        if entry is not None:
            self._bytes -= entry[2]

    def remember(self, path: str, saved: dict[str, Any], written: dict[str, Any], content: dict[str, Any]) -> None:
        """Keep ``content``, just saved as ``saved`` (the host's model), as the file ``written``.

        ``written`` is the host's model of the file with its hash, read right after the save
        and before the page was answered (see :func:`_written_file_model`). A modification
        time other than the save's means another program wrote the file in between: nothing
        is kept, and the next save reads the file.
        """
        try:
            if parse_time(written["last_modified"]) != parse_time(saved["last_modified"]):
                return
            self._keep(path, written, content)
        except Exception as err:  # noqa: BLE001 - a cache miss only costs a read
            log.debug("jlab-alt: not keeping %s for the next save: %s", path, err)

    async def prepare(self, cm: Any, path: str) -> None:
        """Read ``path`` through ``cm`` and keep it, unless it is kept already or being read.

        Never raises: a notebook that cannot be kept (not valid, of an older nbformat, no
        hash from the contents manager) is left for the save to read and refuse.
        """
        key = path.strip("/")
        if key in self._reading:
            return await self.prepared(path)
        task = asyncio.ensure_future(self._read_and_keep(cm, path))
        self._reading[key] = task
        try:
            await task
        finally:
            if self._reading.get(key) is task:
                del self._reading[key]

    async def prepared(self, path: str) -> None:
        """Wait for a :meth:`prepare` of ``path`` under way, if any."""
        task = self._reading.get(path.strip("/"))
        if task is not None:
            await asyncio.shield(task)

    async def _read_and_keep(self, cm: Any, path: str) -> None:
        try:
            on_disk = await _file_model(cm, path)
            entry = self._entries.get(path.strip("/"))
            # Kept already (a save by changes wrote it): no trust check needed until it is used.
            if entry is not None and entry[0] == _digest(on_disk):
                return
            # The content and its hash from one read of the bytes (the host's require_hash).
            model = await ensure_async(cm.get(path, content=True, type="notebook", require_hash=True))
            if _mergeable(model):
                self._keep(path, model, model["content"])
        except Exception as err:  # noqa: BLE001 - the save reads it then, as without this
            log.debug("jlab-alt: not reading %s ahead of its save: %s", path, err)

    def _keep(self, path: str, on_disk: dict[str, Any], content: dict[str, Any]) -> None:
        """Keep ``content`` as the notebook whose file is ``on_disk`` (the host's model, with its hash)."""
        digest = _digest(on_disk)
        if digest is None:
            return
        size = on_disk.get("size")
        if not isinstance(size, int):
            size = len(json.dumps(content, default=json_default))
        self.forget(path)
        if size > self.MAX_BYTES:
            return
        self._entries[path.strip("/")] = (digest, nbformat.from_dict(content), size)
        self._bytes += size
        while len(self._entries) > self.MAX or self._bytes > self.MAX_BYTES:
            self._bytes -= self._entries.popitem(last=False)[1][2]


def _digest(model: dict[str, Any]) -> str | None:
    value = model.get("hash")
    return f"{model.get('hash_algorithm')}:{value}" if value else None


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
