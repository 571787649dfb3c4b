"""Merge a page's changes into the notebook on disk (see the package docstring for why).

A delta (format 1) is the JSON object::

    {
      "format": 1,
      "base": {"last_modified": "<ISO 8601, the host's>", "cell_count": <int>},
      "cells": [<nbformat cell with "id">, ...],   # changed and added cells, whole
      "order": ["<cell id>", ...] | null,           # the new order; null: as the base
      "metadata": {...}                             # optional: the new notebook metadata
    }

Cells of the base not named in ``order`` are removed; cells in ``order`` not in ``cells``
are the base's cells as they are (the very objects read from disk, so their bytes are
written as the host reads and writes them).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

#: The only delta format this server understands.
DELTA_FORMAT = 1


class DeltaConflict(Exception):
    """The file on disk is not the version the page's delta was made against (HTTP 409)."""


class DeltaMismatch(Exception):
    """The delta does not fit the notebook on disk or is malformed (HTTP 422; the page sends it whole)."""


def parse_time(value: Any) -> datetime:
    """A ``last_modified`` (ISO 8601 string, or a datetime) as an aware UTC datetime.

    Raises:
        DeltaMismatch: when ``value`` is neither.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as err:
            raise DeltaMismatch(f"base.last_modified is not an ISO 8601 time: {value!r}") from err
    else:
        raise DeltaMismatch("base.last_modified must be the host's ISO 8601 time")
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def check_base(delta: dict[str, Any], on_disk_last_modified: Any) -> None:
    """Refuse a delta made against another version of the file.

    Raises:
        DeltaMismatch: no usable ``base``.
        DeltaConflict: the file's ``last_modified`` is not the delta's base.
    """
    base = delta.get("base")
    if delta.get("format") != DELTA_FORMAT or not isinstance(base, dict):
        raise DeltaMismatch(f"Not a format-{DELTA_FORMAT} save delta")
    if parse_time(base.get("last_modified")) != parse_time(on_disk_last_modified):
        raise DeltaConflict("The file changed on disk since it was loaded or saved here")


def _ids(cells: list[Any], what: str) -> list[str]:
    ids: list[str] = []
    for cell in cells:
        cell_id = cell.get("id") if isinstance(cell, dict) else None
        if not isinstance(cell_id, str) or not cell_id:
            raise DeltaMismatch(f"A cell of the {what} has no id")
        ids.append(cell_id)
    if len(set(ids)) != len(ids):
        raise DeltaMismatch(f"The {what} has duplicate cell ids")
    return ids


def merge_delta(base: dict[str, Any], delta: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[dict[str, Any], Any]]]:
    """The notebook ``base`` with ``delta`` applied, and what came from the page.

    Args:
        base: The nbformat-4 notebook as the contents manager read it (not changed).
        delta: A format-1 delta (module docstring); its base is assumed checked.

    Returns:
        ``(notebook, sent)``: a new notebook dict sharing the base's untouched cells, and
        ``(value from the page, base value at that place or None)`` pairs for each cell
        and the metadata the page sent, so numbers can be reconciled only where needed.

    Raises:
        DeltaMismatch: the delta names cells the base does not have, has another cell
            count as its base, or is malformed.
    """
    base_cells = base.get("cells")
    if not isinstance(base_cells, list):
        raise DeltaMismatch("The notebook on disk has no cells list")
    cell_count = delta["base"].get("cell_count")
    if cell_count != len(base_cells):
        raise DeltaMismatch(f"The page's version had {cell_count} cells, the file has {len(base_cells)}")
    by_id = dict(zip(_ids(base_cells, "notebook on disk"), base_cells))
    sent_cells = delta.get("cells", [])
    if not isinstance(sent_cells, list):
        raise DeltaMismatch("cells must be a list of cells")
    for cell in sent_cells:
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise DeltaMismatch("cells must be a list of nbformat cells")
    changed = dict(zip(_ids(sent_cells, "delta"), sent_cells))
    order = delta.get("order")
    if order is None:
        unknown = [i for i in changed if i not in by_id]
        if unknown:
            raise DeltaMismatch(f"Cell {unknown[0]!r} is not in the notebook on disk and no order was given")
        order = list(by_id)
    elif not isinstance(order, list) or not all(isinstance(i, str) for i in order) or len(set(order)) != len(order):
        raise DeltaMismatch("order must be a list of distinct cell ids")
    cells: list[Any] = []
    for cell_id in order:
        if cell_id in changed:
            cells.append(changed[cell_id])
        elif cell_id in by_id:
            cells.append(by_id[cell_id])
        else:
            raise DeltaMismatch(f"Cell {cell_id!r} is neither in the notebook on disk nor in the delta")
    missing = [i for i in changed if i not in set(order)]
    if missing:
        raise DeltaMismatch(f"Cell {missing[0]!r} was sent but is not in the order")
    merged = {key: value for key, value in base.items() if key != "cells"}
    merged["cells"] = cells
    sent: list[tuple[dict[str, Any], Any]] = [(cell, by_id.get(cell_id)) for cell_id, cell in changed.items()]
    if "metadata" in delta:
        metadata = delta["metadata"]
        if not isinstance(metadata, dict):
            raise DeltaMismatch("metadata must be an object")
        merged["metadata"] = metadata
        sent.append((metadata, base.get("metadata")))
    return merged, sent
