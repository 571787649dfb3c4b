"""Bases shared by jlab-alt's handlers."""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web

from .compression import GzipWhenLarge

#: The resource name jupyter_server's authorizer is asked about for the app's routes.
AUTH_RESOURCE = "jlab_alt"


class AppHandler(ExtensionHandlerMixin, GzipWhenLarge, JupyterHandler):
    """A page handler of the ``jlab_alt`` extension (HTML; redirects to login; gzipped when large)."""

    auth_resource = AUTH_RESOURCE


class AppAPIHandler(ExtensionHandlerMixin, GzipWhenLarge, APIHandler):
    """A JSON API handler of the ``jlab_alt`` extension (answers 403, never redirects; gzipped when large)."""

    auth_resource = AUTH_RESOURCE

    def body_object(self, key: str, max_bytes: int | None = None) -> dict[str, Any]:
        """The JSON object under ``key`` of the request body ``{key: {...}}``.

        Raises:
            tornado.web.HTTPError: 400 when the body is larger than ``max_bytes``, is
                not JSON, or ``body[key]`` is not an object (the message says which).
        """
        raw = self.request.body or b"{}"
        if max_bytes is not None and len(raw) > max_bytes:
            raise web.HTTPError(400, f"The request body is larger than {max_bytes} bytes")
        try:
            body = json.loads(raw)
        except ValueError as err:
            raise web.HTTPError(400, f"The request body is not JSON: {err}") from err
        value = body.get(key) if isinstance(body, dict) else None
        if not isinstance(value, dict):
            raise web.HTTPError(400, f'The body must be {{"{key}": {{...}}}}')
        return value
