"""``/jlab-alt/api/workspaces/<name>``: the user's saved layouts.

``GET`` answers ``{"name": str, "layout": object | null}`` (null: never saved, or the file
is unreadable). ``PUT`` with body ``{"layout": object}`` replaces it (atomic write) and
answers 204; a body over 4 MB or not of that shape is refused with 400. ``DELETE`` removes
it (204, also when there was none). Names are 1-128 characters of ``[A-Za-z0-9_.-]``
(400 otherwise). Files live in ``JlabAltApp.workspaces_dir``.
"""

from __future__ import annotations

import json

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..workspaces_store import InvalidWorkspaceNameError
from .base import AppAPIHandler

#: A layout of hundreds of tabs is a few tens of KB; anything much larger is a mistake.
MAX_BODY_BYTES = 4 * 1024 * 1024


class WorkspacesHandler(AppAPIHandler):
    """Read, replace and delete one saved workspace."""

    @web.authenticated
    @authorized
    def get(self, name: str) -> None:
        try:
            layout = self.extensionapp.workspaces_store.read(name)
        except InvalidWorkspaceNameError as err:
            raise web.HTTPError(400, str(err)) from err
        self.finish(json.dumps({"name": name, "layout": layout}))

    @web.authenticated
    @authorized
    def put(self, name: str) -> None:
        layout = self.body_object("layout", max_bytes=MAX_BODY_BYTES)
        try:
            self.extensionapp.workspaces_store.write(name, layout)
        except InvalidWorkspaceNameError as err:
            raise web.HTTPError(400, str(err)) from err
        self.set_status(204)
        self.finish()

    @web.authenticated
    @authorized
    def delete(self, name: str) -> None:
        try:
            self.extensionapp.workspaces_store.delete(name)
        except InvalidWorkspaceNameError as err:
            raise web.HTTPError(400, str(err)) from err
        self.set_status(204)
        self.finish()
