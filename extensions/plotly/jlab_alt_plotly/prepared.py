"""plotly.min.js as the extension serves it: with V8's compile hint, and a gzip copy.

Why a prepared copy
-------------------
plotly.min.js (4.8 MB for plotly.js 4.x) is one script whose first run calls about
2,000 of its functions. V8 compiles a function the first time it is called, so the
script's evaluation was one main-thread task of about 0.7 s (Chromium 156 on the
project's 2-core machine, no DevTools attached; 1.6 s under Playwright), most of it
parsing. The comment ``//# allFunctionsCalledOnLoad`` as a script's first line (V8's
explicit compile hints, Chromium 136 and later: https://v8.dev/blog/explicit-compile-hints)
makes V8 compile every function of the script eagerly, on the thread that streams the
download, so the evaluation is left with the run itself: about 0.1 s, and the first
``Plotly.newPlot`` 65 ms instead of 120. The price is the bytecode of functions never
called (about 6 MB more JS heap once plotly.js is loaded). Other browsers read a comment.

The copy also gets a gzip copy beside it (4.8 MB on the wire became 1.4 MB), which
jlab-alt's static handler sends to browsers that accept gzip
(:func:`jlab_alt.handlers.compression.pick_variant`).
"""

from __future__ import annotations

import gzip
import os
import threading
from pathlib import Path

#: The first line of the served copy (see the module docstring).
COMPILE_HINT = b"//# allFunctionsCalledOnLoad\n"

#: Bump when what is written changes, so that copies made by an older version are not reused.
LAYOUT = "v1"


def default_cache_root() -> Path:
    """The user's cache folder for jlab-alt, ``plotly`` in it (``~/.cache/jlab-alt/plotly``
    on Linux, ``$XDG_CACHE_HOME`` honoured): shared by every server of the user, and
    made again if deleted."""
    import platformdirs

    return platformdirs.user_cache_path("jlab-alt") / "plotly"


def _write_atomically(path: Path, data: bytes) -> None:
    # Under a name of its own, then renamed: two servers starting at once, or a request
    # while it is written, never see half a file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def prepared_plotly_js(source: Path, cache_root: Path | None = None, *, wait: bool = False) -> Path:
    """The folder holding ``plotly.min.js`` to serve for ``source``.

    In it: ``plotly.min.js``, the bytes of ``source`` after :data:`COMPILE_HINT`, and
    ``plotly.min.js.gz``, its gzip copy, made on a background thread (``wait=True``:
    before returning) because compressing 4.8 MB takes about a second; until it exists
    the file is sent uncompressed.

    The folder is ``<cache_root>/<LAYOUT>/<size>-<mtime_ns>`` (hex) of ``source``, so a
    copy is made once per installed plotly and reused by every server after it.

    Args:
        source: the installed plotly's ``package_data/plotly.min.js``.
        cache_root: where copies are kept; default :func:`default_cache_root`.
        wait: make the gzip copy before returning (for tests).

    Raises:
        OSError: ``source`` cannot be read, or the folder cannot be written.
    """
    stat = source.stat()
    folder = (cache_root or default_cache_root()) / LAYOUT / f"{stat.st_size:x}-{stat.st_mtime_ns:x}"
    folder.mkdir(parents=True, exist_ok=True)
    served = folder / "plotly.min.js"
    if not served.is_file() or served.stat().st_size != stat.st_size + len(COMPILE_HINT):
        _write_atomically(served, COMPILE_HINT + source.read_bytes())
    compressed = folder / "plotly.min.js.gz"
    if not compressed.is_file() or compressed.stat().st_mtime_ns < served.stat().st_mtime_ns:

        def compress() -> None:
            # mtime=0: the same bytes on every machine. A failure leaves the file uncompressed.
            try:
                _write_atomically(compressed, gzip.compress(served.read_bytes(), compresslevel=9, mtime=0))
            except OSError:
                pass

        if wait:
            compress()
        else:
            threading.Thread(target=compress, name="jlab-alt-plotly-gzip", daemon=True).start()
    return folder
