"""Keys for cells without an ``id`` (nbformat < 4.5), the same as the page derives them.

The page sends each cell's key as the ``execute_request``'s ``metadata.cellId``: the cell's
``id``, or for a cell without one ``noid:<source hash>:<rank>`` (``ts_src/notebook/model/
cell-key.ts``; the rank counts earlier id-less cells with the same source). Clients that
send no ``cellId`` at all (other frontends, scripts) still send the code, so the journal
keys their runs by the code with rank 0: the first id-less cell holding exactly that code.
The hash is cyrb53 over UTF-16 code units, bit for bit as JavaScript computes it.
"""

from __future__ import annotations

#: Prefix of derived keys (nbformat ids are ``[a-zA-Z0-9-_]{1,64}``: never clashes).
DERIVED_KEY_PREFIX = "noid:"

_M32 = 0xFFFFFFFF


def _imul(a: int, b: int) -> int:
    return (a * b) & _M32


def source_hash(text: str) -> str:
    """cyrb53 of ``text`` as 14 hex digits, equal to ``sourceHash`` in the page."""
    h1 = 0xDEADBEEF
    h2 = 0x41C6CE57
    data = text.encode("utf-16-le")
    for i in range(0, len(data), 2):
        ch = data[i] | (data[i + 1] << 8)
        h1 = _imul(h1 ^ ch, 2654435761)
        h2 = _imul(h2 ^ ch, 1597334677)
    h1 = _imul(h1 ^ (h1 >> 16), 2246822507) ^ _imul(h2 ^ (h2 >> 13), 3266489909)
    h2 = _imul(h2 ^ (h2 >> 16), 2246822507) ^ _imul(h1 ^ (h1 >> 13), 3266489909)
    return format(4294967296 * (0x1FFFFF & h2) + h1, "014x")


def derived_cell_key(source: str, rank: int = 0) -> str:
    """The key of the ``rank``-th id-less cell whose source is ``source``."""
    return f"{DERIVED_KEY_PREFIX}{source_hash(source)}:{rank}"
