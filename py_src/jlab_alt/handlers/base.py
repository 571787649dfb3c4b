"""Bases shared by jlab-alt's handlers."""

from __future__ import annotations

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin

from .compression import GzipWhenLarge

#: The resource name jupyter_server's authorizer is asked about for the app's routes.
AUTH_RESOURCE = "jlab_alt"


class AppHandler(ExtensionHandlerMixin, GzipWhenLarge, JupyterHandler):
    """A page handler of the ``jlab_alt`` extension (HTML; redirects to login; gzipped when large)."""

    auth_resource = AUTH_RESOURCE


class AppAPIHandler(ExtensionHandlerMixin, GzipWhenLarge, APIHandler):
    """A JSON API handler of the ``jlab_alt`` extension (answers 403, never redirects; gzipped when large)."""

    auth_resource = AUTH_RESOURCE
