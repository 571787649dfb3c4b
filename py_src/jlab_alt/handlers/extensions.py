"""``/jlab-alt/api/extensions``, ``/jlab-alt/api/settings-schemas``, and the guard that
puts every extension handler behind login."""

from __future__ import annotations

import inspect
import json
from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.auth.utils import HTTP_METHOD_TO_AUTH_ACTION
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.utils import ensure_async
from tornado import web

from .base import AppAPIHandler


class ExtensionsHandler(AppAPIHandler):
    """``GET``: ``{"extensions": [ExtensionInfo JSON...], "builtins": [{"id", "description"}],
    "disabled": [name...]}`` — the same listing as ``jlab-alt extension list``."""

    @web.authenticated
    @authorized
    def get(self) -> None:
        self.finish(json.dumps(self.extensionapp.extensions_listing()))


class SettingsSchemasHandler(AppAPIHandler):
    """``GET``: ``{plugin_id: JSON Schema}`` from every extension's ``jlab_alt_settings_schemas``."""

    @web.authenticated
    @authorized
    def get(self) -> None:
        self.finish(json.dumps(self.extensionapp.settings_schemas))


class ExtensionHandler(APIHandler):
    """Base for extension API handlers: JSON errors, login required, authorized on
    ``jlab_alt.ext.<extension name>`` (set by jlab-alt when it mounts the handler)."""

    auth_resource = "jlab_alt.ext"


def guard(handler_class: type, resource: str) -> type:
    """A subclass of ``handler_class`` that refuses anonymous or unauthorized requests.

    Every request must come from an authenticated user whom the host's authorizer
    allows the method's action (read/write/execute) on ``resource``; otherwise 403.

    Raises:
        TypeError: ``handler_class`` is not a jupyter_server ``JupyterHandler`` (only those
            know the current user).
    """
    if not (inspect.isclass(handler_class) and issubclass(handler_class, JupyterHandler)):
        raise TypeError(
            f"{handler_class!r} must subclass jupyter_server's JupyterHandler "
            "(use jlab_alt.ExtensionHandler)"
        )

    async def prepare(self: Any, *args: Any, **kwargs: Any) -> None:
        await ensure_async(super(guarded, self).prepare(*args, **kwargs))
        if self._finished:
            return
        user = self.current_user
        if not user:
            raise web.HTTPError(403, "Authentication required")
        action = HTTP_METHOD_TO_AUTH_ACTION.get(self.request.method.upper(), "write")
        allowed = await ensure_async(self.authorizer.is_authorized(self, user, action, resource))
        if not allowed:
            raise web.HTTPError(403, f"Not authorized to {action} on {resource}")

    guarded = type(handler_class.__name__, (handler_class,), {"prepare": prepare, "auth_resource": resource})
    return guarded
