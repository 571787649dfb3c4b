"""Exact saves: a notebook saved from the browser keeps the numbers it had on disk.

The problem: the page holds the notebook as JavaScript values, and JavaScript has one
number type, the IEEE double. ``JSON.parse`` then ``JSON.stringify`` turns ``10.0`` into
``10``, ``-0.0`` into ``0``, ``1e16`` into ``10000000000000000`` and an integer beyond 2**53
into a different integer. Outputs and widget state (plotly, altair, ipywidgets, pandas)
are full of such numbers, so every save of an untouched notebook used to rewrite them: a
spurious diff in the user's git history.

The design, and why: a server-side reconcile in a pre-save hook (this module). Before
the host writes, the incoming notebook is walked against the file on disk, cells matched
by ``id`` (by position when a notebook has no ids), everything else by key and index; wherever
the incoming number is what JavaScript would have made of the on-disk number (the same
double), the on-disk value is put back. A number the user really changed differs as a
double and is kept. Everything else the host writes already matches nbformat's writer.
The alternatives were worse: a lossless JSON parse in the browser would need every
consumer of outputs and metadata (renderers, widgets, plugins) to handle a wrapper type
instead of numbers, and keeping "unmodified parts as the server sent them" in the
page still needs a lossless parse to know which parts they are. The reconcile costs one
read and parse of the file on the server per save (about 0.1 s for 20 MB), no extra
bytes on the wire, and works for any client of the contents API, including extensions.

Limits: only notebooks of nbformat 4 on disk are reconciled (older ones are converted
by the host on every save anyway); only local files the contents manager can map to a
path are read. Anything unexpected leaves the save as it was: this is a refinement and
must never block a save.
"""

from __future__ import annotations

import json
import logging
import math
import os
from contextvars import ContextVar
from typing import Any

from ..hookspecs import hookimpl

log = logging.getLogger("jlab_alt.exact_save")

_MISSING = object()

#: Set while a save whose numbers were already reconciled runs (the save-delta handler
#: reconciles only the cells the page sent; reading the whole file again would be waste).
already_reconciled: ContextVar[bool] = ContextVar("jlab_alt_already_reconciled", default=False)


def _js_double(value: Any) -> float | None:
    """The double JavaScript holds for a JSON number ``value`` (None when not a number).

    Integers too large for a double become infinity, as ``JSON.parse`` makes them.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.copysign(math.inf, value)


def _same_in_javascript(incoming: Any, on_disk: Any) -> bool:
    """Whether ``incoming`` is what a JavaScript JSON round trip makes of ``on_disk``."""
    disk = _js_double(on_disk)
    if disk is None:
        return False
    if incoming is None:
        # JSON.stringify writes infinities (overflowed integers) as null.
        return math.isinf(disk)
    new = _js_double(incoming)
    if new is None or math.isnan(new) or math.isnan(disk):
        return False
    return new == disk


def reconcile(incoming: Any, on_disk: Any) -> Any:
    """``incoming`` with every number JavaScript re-spelled put back as ``on_disk`` has it.

    Args:
        incoming: Any JSON value (dicts and lists are changed in place and returned).
        on_disk: The JSON value at the same place in the file on disk.

    Returns:
        The value to save: ``on_disk`` where both are the same double (``10`` vs ``10.0``,
        ``0`` vs ``-0.0``, a rounded big integer), else ``incoming`` with its children
        reconciled. Values of different JSON types are left as they are.
    """
    if isinstance(incoming, dict):
        if isinstance(on_disk, dict):
            for key, value in incoming.items():
                disk_value = on_disk.get(key, _MISSING)
                if disk_value is not _MISSING:
                    incoming[key] = reconcile(value, disk_value)
        return incoming
    if isinstance(incoming, list):
        if isinstance(on_disk, list):
            for i in range(min(len(incoming), len(on_disk))):
                incoming[i] = reconcile(incoming[i], on_disk[i])
        return incoming
    if isinstance(incoming, str):
        return incoming
    if _same_in_javascript(incoming, on_disk):
        return on_disk
    return incoming


def reconcile_notebook(incoming: dict[str, Any], on_disk: dict[str, Any]) -> dict[str, Any]:
    """Reconcile a whole notebook: cells by ``id``, the rest by key and index.

    Matching cells by id keeps a cell's numbers when cells were inserted, deleted or
    moved before it. Notebooks without ids (nbformat < 4.5) fall back to position.
    """
    cells = incoming.get("cells")
    disk_cells = on_disk.get("cells")
    for key, value in incoming.items():
        if key != "cells" and key in on_disk:
            incoming[key] = reconcile(value, on_disk[key])
    if not isinstance(cells, list) or not isinstance(disk_cells, list):
        return incoming
    by_id = {c["id"]: c for c in disk_cells if isinstance(c, dict) and isinstance(c.get("id"), str)}
    for i, cell in enumerate(cells):
        if not isinstance(cell, dict):
            continue
        cell_id = cell.get("id")
        if isinstance(cell_id, str) and by_id:
            match = by_id.get(cell_id)
        else:
            match = disk_cells[i] if i < len(disk_cells) else None
        if isinstance(match, dict):
            cells[i] = reconcile(cell, match)
    return incoming


def _os_path(contents_manager: Any, path: str) -> str | None:
    get_os_path = getattr(contents_manager, "_get_os_path", None)
    if get_os_path is None:
        return None
    try:
        return str(get_os_path(path))
    except Exception:  # a path outside the root: the host refuses the save itself
        return None


def read_disk_notebook(contents_manager: Any, path: str) -> dict[str, Any] | None:
    """The nbformat-4 notebook at API ``path`` as plain JSON, or None (missing, not v4, unreadable)."""
    os_path = _os_path(contents_manager, path)
    if not os_path or not os.path.isfile(os_path):
        return None
    try:
        with open(os_path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("nbformat") != 4:
        return None
    return data


@hookimpl
def jlab_alt_pre_save(model: dict[str, Any], path: str, contents_manager: Any) -> None:
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict) or already_reconciled.get():
        return
    on_disk = read_disk_notebook(contents_manager, path)
    if on_disk is None:
        return
    try:
        reconcile_notebook(model["content"], on_disk)
    except RecursionError:
        log.warning("jlab-alt: %s is nested too deeply to keep its numbers exact; saved as sent", path)
