"""Bases shared by jlab-alt's handlers."""

from __future__ import annotations

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin

#: The resource name jupyter_server's authorizer is asked about for the app's routes.
AUTH_RESOURCE = "jlab_alt"


class AppHandler(ExtensionHandlerMixin, JupyterHandler):
    """A page handler of the ``jlab_alt`` extension (HTML; redirects to login)."""

    auth_resource = AUTH_RESOURCE


class AppAPIHandler(ExtensionHandlerMixin, APIHandler):
    """A JSON API handler of the ``jlab_alt`` extension (answers 403, never redirects)."""

    auth_resource = AUTH_RESOURCE
