"""Frontend files under ``/jlab-alt/static/`` and extensions' ``static/`` and ``css/``.

Which files are public, and why
-------------------------------
The build's content-hashed files (``main.<hash>.js``, chunks, CSS, fonts), the
favicon, and extensions' ``static/`` and ``css/`` folders are served WITHOUT login,
as JupyterLab serves its own (jupyter_server's ``FileFindHandler`` is
``allow_unauthenticated``). Behind JupyterHub >= 4.1 a cookie-authenticated request
that is not a top-level navigation counts as logged in only when it carries the
``_xsrf`` cookie's value as ``X-XSRFToken`` (jupyterhub/_xsrf_utils.py). A browser
fetches module scripts, dynamic ``import()`` chunks, stylesheets, fonts and icons
itself, and no page code can add that header, so behind a hub such assets would be
answered with a redirect to the hub's OAuth and the app would never start. These
files hold no user data: they are the bytes of the published package, the same for
every user. Everything else in the build folder (``manifest.json``,
``builtins.json``) stays behind login and the ``jlab_alt`` authorizer resource.

Compressed copies
-----------------
For a text file with a ``<file>.br`` or ``<file>.gz`` beside it (made by the build),
the copy the request's ``Accept-Encoding`` prefers is sent with ``Content-Encoding``
(see :func:`.compression.pick_variant`: brotli, then gzip, then the file itself; a
stale or mismatched copy is never sent). Every such answer carries
``Vary: Accept-Encoding``, and an ETag made from the size and mtime of the bytes
actually sent, so a 304 is only ever given for the encoding the cache holds.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from jupyter_server.auth.decorator import allow_unauthenticated, authorized
from jupyter_server.base.handlers import FileFindHandler
from tornado import web

from .base import AUTH_RESOURCE
from .compression import COMPRESSIBLE_NAME, HASHED_NAME, pick_variant

# webpack's content-hashed names (see HASHED_NAME) may be cached for a year.
_HASHED_NAME = HASHED_NAME

#: Unhashed files of the app's build the page loads without a script (``<link rel=icon>``).
PUBLIC_NAMES = frozenset({"favicon.svg"})


def find_inside(roots: Sequence[str], path: str) -> str | None:
    """The file ``path`` (relative, ``/``-separated, already URL-decoded) in the first
    of ``roots`` that has it, or None.

    A file is only found when its real location, with every symlink followed, lies
    inside the real location of its root: ``..`` segments (however encoded), absolute
    paths and symlinks that leave the folder all find nothing. (The host's ``filefind``
    accepts an absolute path as it is, and the host's check compares unresolved paths.)

    Returns:
        The absolute path under the root as given (symlinks inside it kept), so the
        host's own prefix check still recognises it.
    """
    if not path or os.path.isabs(path) or "\x00" in path:
        return None
    for root in roots:
        real_root = os.path.realpath(root)
        candidate = os.path.join(os.path.abspath(root), path)
        real = os.path.realpath(candidate)
        if os.path.commonpath([real_root, real]) != real_root or not os.path.isfile(real):
            continue
        return os.path.abspath(candidate)
    return None


class StaticAssetHandler(FileFindHandler):
    """Serve built files; hashed names are immutable, others revalidate every time.

    Init args: ``path`` (folders to search) and ``public``: ``"hashed"`` (the app's
    build: hashed names and :data:`PUBLIC_NAMES` are public, the rest needs login) or
    ``"all"`` (an extension's shipped files). See the module docstring for why.
    """

    auth_resource = AUTH_RESOURCE
    # FileFindHandler caches "relative name -> absolute path" by name alone, in a class
    # attribute: with one handler class serving several folders (the app's, each
    # extension's), "index.js" of one folder would be served for another. Key by both.
    _found: dict[tuple[tuple[str, ...], str], str] = {}

    def initialize(self, path: str | list[str], default_filename: str | None = None, public: str = "hashed") -> None:
        super().initialize(path, default_filename=default_filename)
        self.public = public

    @classmethod
    def get_absolute_path(cls, roots: Sequence[str], path: str) -> str:
        key = (tuple(roots), path)
        with cls._lock:
            if key not in cls._found:
                found = find_inside(roots, path)
                if found is None:
                    return ""  # not found, or outside every root: the caller answers 404
                cls._found[key] = found
            return cls._found[key]

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        """The host's checks on the file itself, then the compressed copy to send (if any)."""
        validated = super().validate_absolute_path(root, absolute_path)
        self.original_path = validated
        self.content_encoding: str | None = None
        if validated is None:
            return None
        served, self.content_encoding = pick_variant(validated, self.request.headers.get("Accept-Encoding"))
        if served != validated:
            # tornado caches the stat of the file it validated; size and mtime are the copy's.
            self.__dict__.pop("_stat_result", None)
        return served

    def get_content_type(self) -> str:
        # Of the file, not of its compressed copy (which would be "application/gzip").
        original = getattr(self, "original_path", None)
        if original and original != self.absolute_path:
            served, self.absolute_path = self.absolute_path, original
            try:
                return super().get_content_type()
            finally:
                self.absolute_path = served
        return super().get_content_type()

    def compute_etag(self) -> str | None:
        """``"<size>-<mtime ns>[-<coding>]"`` of the bytes sent (hex): cheap, and it
        changes with a rebuild and differs per encoding. (The host's handler sends no
        ETag; tornado's caches an MD5 per path for the process' life, stale after a
        rebuild of an unhashed name.)"""
        if not self.absolute_path:
            return None
        stat = self._stat()
        suffix = f"-{self.content_encoding}" if getattr(self, "content_encoding", None) else ""
        return f'"{stat.st_size:x}-{stat.st_mtime_ns:x}{suffix}"'

    def is_public(self, path: str) -> bool:
        """Whether ``path`` (relative to the served folder) is served without login."""
        if self.public == "all":
            return True
        return bool(_HASHED_NAME.search(path)) or path in PUBLIC_NAMES

    @web.authenticated
    @authorized
    async def _get_private(self, path: str, include_body: bool) -> None:
        await super().get(path, include_body=include_body)

    @allow_unauthenticated
    async def get(self, path: str, include_body: bool = True) -> None:
        if self.is_public(path):
            await super().get(path, include_body=include_body)
        else:
            await self._get_private(path, include_body)

    @allow_unauthenticated
    async def head(self, path: str) -> None:
        await self.get(path, include_body=False)

    def set_headers(self) -> None:
        super().set_headers()
        if getattr(self, "content_encoding", None):
            self.set_header("Content-Encoding", self.content_encoding)
        if COMPRESSIBLE_NAME.search(getattr(self, "original_path", None) or ""):
            self.set_header("Vary", "Accept-Encoding")
        if _HASHED_NAME.search(self.request.path):
            # Public (see the module docstring) and immutable: shared caches may keep them.
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")
        else:
            self.set_header("Cache-Control", "no-cache")
