"""Giving memory back to the system after an output flood (glibc only; elsewhere a no-op).

Why: under a flood (a cell printing ~1 GB/min) the server allocates and frees hundreds
of megabytes of message buffers: ZeroMQ frames in its IO thread, the decoded 260 KB
strings, the host's WebSocket copies. The journal keeps only its cap of them, yet the
process's RSS stayed at ~700 MB after floods (benchmarks/RESULTS.md, issue 16): glibc
keeps freed memory in its heaps (one per thread, "arenas") instead of returning it, and
its mmap threshold grows to 32 MB after the first large free (``mallopt(3)``, "dynamic
mmap threshold"), so later 260 KB buffers come from the heaps too and fragment them.

Two tools, both through ``ctypes`` on the running process:

- :func:`trim` calls ``malloc_trim(0)`` (``malloc_trim(3)``: returns free memory at the top
  of every arena and, since glibc 2.8, whole free pages inside them with ``madvise``);
  the journal calls it once the server is quiet after a flood.
- :func:`set_mmap_threshold` calls ``mallopt(M_MMAP_THRESHOLD, n)``: allocations of ``n``
  bytes or more get their own mapping, returned to the system when freed (and the dynamic
  adjustment is off).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from functools import lru_cache
from typing import Any

log = logging.getLogger("jlab_alt.journal")

#: ``M_MMAP_THRESHOLD`` in glibc's ``malloc.h``.
M_MMAP_THRESHOLD = -3


@lru_cache(maxsize=1)
def _libc() -> Any:
    """glibc, or None (another C library, another OS)."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    if not hasattr(libc, "malloc_trim") or not hasattr(libc, "mallopt"):
        return None
    libc.malloc_trim.argtypes = [ctypes.c_size_t]
    libc.malloc_trim.restype = ctypes.c_int
    libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    libc.mallopt.restype = ctypes.c_int
    return libc


def available() -> bool:
    """Whether this process runs on glibc (the functions below do something)."""
    return _libc() is not None


def trim() -> bool:
    """``malloc_trim(0)``: return the heaps' free memory to the system. True when some was."""
    libc = _libc()
    if libc is None:
        return False
    return bool(libc.malloc_trim(0))


def set_mmap_threshold(nbytes: int) -> bool:
    """``mallopt(M_MMAP_THRESHOLD, nbytes)`` for the whole process; False when not glibc or refused."""
    libc = _libc()
    if libc is None or nbytes <= 0:
        return False
    ok = bool(libc.mallopt(M_MMAP_THRESHOLD, int(nbytes)))
    if not ok:
        log.warning("jlab-alt: mallopt(M_MMAP_THRESHOLD, %s) was refused", nbytes)
    return ok
