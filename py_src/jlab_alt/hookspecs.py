"""The server-side hooks a jlab-alt plugin can implement.

A plugin is a Python module (or object) registered under the entry-point group
``jlab_alt``; its functions marked with :data:`jlab_alt.hookimpl` and named like the
hooks below are called by the app. Hooks are always called with keyword arguments,
and an implementation may accept any subset of them, so hooks can grow arguments
without breaking plugins.

Unless a hook says otherwise, every implementation is called and jlab-alt collects
the results per plugin (so it knows which plugin contributed what); a plugin whose
hook raises is reported in ``jlab-alt extension list`` and the app carries on.
Plugins are called in the order they were loaded: built-ins first, then entry
points sorted by name.
"""

from __future__ import annotations

from typing import Any

import pluggy

#: Marks the hook specifications below (for jlab-alt itself).
hookspec = pluggy.HookspecMarker("jlab_alt")
#: Marks a plugin's implementation of a hook: ``@hookimpl def jlab_alt_handlers(): ...``.
hookimpl = pluggy.HookimplMarker("jlab_alt")


@hookspec
def jlab_alt_handlers(app: Any) -> list[tuple[Any, ...]] | None:
    """Tornado handlers to add to the server, mounted under ``/jlab-alt/ext/<name>/``.

    Args:
        app: The :class:`jlab_alt.app.JlabAltApp` (``app.serverapp`` is the host).

    Returns:
        A list of ``(pattern, handler_class)`` or ``(pattern, handler_class, kwargs)``.
        ``pattern`` is relative to the plugin's prefix: ``r"info"`` serves
        ``<base_url>jlab-alt/ext/<name>/info``. Handlers should subclass
        :class:`jlab_alt.ExtensionHandler`, which requires an authenticated user
        authorized on the resource ``jlab_alt.ext.<name>``; a handler that does not
        is still refused to anonymous users by jlab-alt (see ``extensions.mount``).
    """


@hookspec
def jlab_alt_frontend() -> dict[str, str] | None:
    """Declare the plugin's frontend: a static folder and an ES-module entry in it.

    Returns:
        ``{"static": "/abs/path/to/folder", "entry": "index.js"}``. The folder is
        served at ``/jlab-alt/ext/<name>/static/`` (behind login) and the entry module
        is imported by the app at start. The module exports its plugins as
        ``default`` (one plugin or an array) and/or ``plugins``.
    """


@hookspec
def jlab_alt_settings_schemas() -> dict[str, dict[str, Any]] | None:
    """JSON Schemas of the settings of the plugin's frontend plugins.

    Returns:
        ``{plugin_id: schema}``; each schema is a JSON Schema (draft 2020-12) object
        whose ``properties`` carry ``default`` values. The schemas are served by
        ``GET /jlab-alt/api/settings-schemas`` and used to validate saved settings.
    """


@hookspec
def jlab_alt_themes() -> list[dict[str, Any]] | None:
    """Stylesheets (themes or other CSS) to add to the app page.

    Returns:
        A list of ``{"name": str, "css": "/abs/path/file.css"}``; each file is served
        under ``/jlab-alt/ext/<name>/css/`` and linked from the page after the app's
        own styles, in plugin load order.
    """


@hookspec
def jlab_alt_page_config(page_config: dict[str, Any], app: Any) -> dict[str, Any] | None:
    """Adjust the page config the app page embeds (see :mod:`jlab_alt.page_config`).

    Args:
        page_config: The config built so far; treat as read-only.
        app: The :class:`jlab_alt.app.JlabAltApp`.

    Returns:
        A dict merged into the page config (later plugins win on equal keys), or None.
        Never put secrets in it: the page config is readable by every script on the page.
    """


@hookspec
def jlab_alt_pre_save(model: dict[str, Any], path: str, contents_manager: Any, app: Any) -> None:
    """Called before a file is saved through the contents API; may modify ``model``.

    Args:
        model: The contents model being saved; for a notebook ``model["content"]`` is
            the notebook as a dict (nbformat 4). Modify it in place.
        path: The API path of the file, relative to the server root.
        contents_manager: The host's contents manager.
        app: The :class:`jlab_alt.app.JlabAltApp` (``app.read_settings(plugin_id)``
            gives a plugin's user settings with schema defaults filled in).

    Raising ``tornado.web.HTTPError`` rejects the save with that message; any other
    exception is logged and the save goes on (jupyter_server's pre-save hook rules).
    """


@hookspec
def jlab_alt_post_save(model: dict[str, Any], os_path: str, contents_manager: Any, app: Any) -> None:
    """Called after a file was saved through the contents API.

    Args:
        model: The saved model (without content).
        os_path: The file's path on disk.
        contents_manager: The host's contents manager.
        app: The :class:`jlab_alt.app.JlabAltApp`.

    Exceptions are logged; the save has already happened.
    """
