"""Content encodings: which one a request accepts, and compressed copies of built files.

The build (``webpack.config.js``, ``CompressPlugin``) writes ``<file>.br`` and
``<file>.gz`` beside each text asset; :func:`pick_variant` chooses the copy to send.
Dynamic answers (the app page, JSON) are gzipped on the fly by :class:`GzipWhenLarge`,
per handler: tornado's ``compress_response`` setting belongs to the host.
"""

from __future__ import annotations

import os
import re
import struct
from collections.abc import Iterable

from tornado import httputil, web

#: Encodings of the precompressed copies, best first, with the suffix of their file.
ENCODINGS: tuple[tuple[str, str], ...] = (("br", ".br"), ("gzip", ".gz"))

#: Names the build writes compressed copies for (``COMPRESSIBLE`` in webpack.config.js).
#: Fonts (woff/woff2) and images are compressed formats already.
COMPRESSIBLE_NAME = re.compile(r"\.(js|mjs|css|json|svg|map|txt|html|ttf)$")

#: webpack names files ``<name>.<12 hex digits>.<ext>`` ([contenthash:12]): such a name
#: changes whenever its content does, so a copy beside it was made from the same bytes.
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+(\.map)?$")

_TOKEN = re.compile(r"^\s*([A-Za-z0-9*_.+-]+)\s*(?:;\s*q\s*=\s*([^;\s]*))?\s*$", re.IGNORECASE)


def accepted_encodings(header: str | None) -> dict[str, float]:
    """Parse an ``Accept-Encoding`` header (RFC 9110 §12.5.3) into ``{coding: q}``.

    Codings are lower-cased; ``x-gzip`` counts as ``gzip``; a missing q is 1; a
    malformed q or element is skipped (never an error: the answer is then identity).
    """
    result: dict[str, float] = {}
    for element in (header or "").split(","):
        match = _TOKEN.match(element)
        if not match:
            continue
        coding = match.group(1).lower()
        if coding == "x-gzip":
            coding = "gzip"
        try:
            q = float(match.group(2)) if match.group(2) is not None else 1.0
        except ValueError:
            continue
        result[coding] = max(0.0, min(q, 1.0))
    return result


def choose_encoding(header: str | None, available: Iterable[str]) -> str | None:
    """The content coding to answer with, among ``available`` (e.g. ``("br", "gzip")``).

    The acceptable coding (q > 0; a coding not named takes the q of ``*``, else 0)
    with the highest q wins; at equal q, brotli before gzip. None means identity:
    nothing acceptable is available, or there is no ``Accept-Encoding`` at all.
    A compressed coding is preferred to identity whenever it is acceptable, as every
    browser and proxy does (the header lists what the client can decode).
    """
    accepted = accepted_encodings(header)
    star = accepted.get("*", 0.0)
    order = [name for name, _ in ENCODINGS]
    best: tuple[float, int, str] | None = None
    for coding in available:
        q = accepted.get(coding, star)
        if q <= 0:
            continue
        rank = (q, -order.index(coding) if coding in order else -len(order), coding)
        if best is None or rank > best:
            best = rank
    return best[2] if best else None


def fresh_copy(original: str, copy: str, encoding: str) -> bool:
    """Whether ``copy`` (a compressed copy beside ``original``) may be served for it.

    It must be a regular file (not a symlink: it could point outside the served
    folder); for gzip its trailer must record the original's length (ISIZE, RFC 1952:
    mod 2**32). A copy of an unhashed name (``manifest.json``) must also not be older
    than the original (the build gives both the same mtime; a copy left from an earlier
    build is older). A content-hashed name (:data:`HASHED_NAME`) is exempt from the
    mtime rule: its copy was made from the same bytes, and copying a build folder
    (``cp -r``, an installer) often does not keep the files' times.
    """
    try:
        copy_stat = os.lstat(copy)
        original_stat = os.stat(original)
    except OSError:
        return False
    if not os.path.isfile(copy) or os.path.islink(copy):
        return False
    if copy_stat.st_size == 0:
        return False
    if not HASHED_NAME.search(original) and copy_stat.st_mtime_ns < original_stat.st_mtime_ns:
        return False
    if encoding == "gzip":
        try:
            with open(copy, "rb") as f:
                if f.read(2) != b"\x1f\x8b":
                    return False
                f.seek(-4, os.SEEK_END)
                (isize,) = struct.unpack("<I", f.read(4))
        except OSError:
            return False
        if isize != original_stat.st_size % 2**32:
            return False
    return True


def pick_variant(original: str, accept_encoding: str | None) -> tuple[str, str | None]:
    """The file to send for ``original`` and its coding (None: the original itself).

    Only names in :data:`COMPRESSIBLE_NAME` have copies; a missing or stale copy
    (see :func:`fresh_copy`) falls back to the next acceptable coding, then identity.
    """
    if not COMPRESSIBLE_NAME.search(original):
        return original, None
    available = [name for name, _ in ENCODINGS]
    while available:
        coding = choose_encoding(accept_encoding, available)
        if coding is None:
            break
        copy = original + dict(ENCODINGS)[coding]
        if fresh_copy(original, copy, coding):
            return copy, coding
        available.remove(coding)
    return original, None


class _GzipHonouringQ(web.GZipContentEncoding):
    """tornado's gzip transform, but ``gzip;q=0`` (or ``*;q=0``) means no."""

    def __init__(self, request: httputil.HTTPServerRequest) -> None:
        super().__init__(request)
        self._gzipping = choose_encoding(request.headers.get("Accept-Encoding"), ("gzip",)) == "gzip"


class GzipWhenLarge(web.RequestHandler):
    """Mixin: gzip this handler's answer when it is over 1 KB, of a text type, and the
    request accepts gzip (whatever the host's ``compress_response`` setting, which
    applies to every route of the server, so the host decides it).

    The ETag is made weak (``W/"..."``, as nginx does) when the answer may be gzipped:
    the compressed bytes differ from those the strong tag was computed on.
    """

    def prepare(self, **kwargs):  # type: ignore[no-untyped-def,override]
        transforms = getattr(self, "_transforms", None)
        if transforms is not None and not any(isinstance(t, web.GZipContentEncoding) for t in transforms):
            transforms.append(_GzipHonouringQ(self.request))
        return super().prepare(**kwargs)

    def compute_etag(self) -> str | None:
        etag = super().compute_etag()
        if etag and not etag.startswith("W/") and choose_encoding(self.request.headers.get("Accept-Encoding"), ("gzip",)):
            return "W/" + etag
        return etag
