"""Hashed frontend assets under ``/jlab-alt/static/``, behind login."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import FileFindHandler
from tornado import web

from .base import AUTH_RESOURCE

# webpack names files ``<name>.<12 hex digits>.<ext>`` ([contenthash:12]); such a
# name changes whenever its content does, so it may be cached for a year.
_HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+(\.map)?$")


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

    The host's ``FileFindHandler`` is public; the app's assets are not, so ``get``
    is authenticated and authorized again here.
    """

    auth_resource = AUTH_RESOURCE
    # FileFindHandler caches "relative name -> absolute path" by name alone, in a class
    # attribute: with one handler class serving several folders (the app's, each
    # extension's), "index.js" of one folder would be served for another. Key by both.
    _found: dict[tuple[tuple[str, ...], str], str] = {}

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

    @web.authenticated
    @authorized
    async def get(self, path: str, include_body: bool = True) -> None:
        await super().get(path, include_body=include_body)

    @web.authenticated
    @authorized
    async def head(self, path: str) -> None:
        await super().get(path, include_body=False)

    def set_headers(self) -> None:
        super().set_headers()
        if _HASHED_NAME.search(self.request.path):
            # private: these answers follow a login, so shared caches must not keep them.
            self.set_header("Cache-Control", "private, max-age=31536000, immutable")
        else:
            self.set_header("Cache-Control", "no-cache")
