"""``/jlab-alt/api/settings/<plugin id>``: per-user settings of frontend plugins.

``GET`` answers ``{"id": str, "settings": object, "composite": object, "schema": object | null}``
(``settings`` is what the user saved, ``{}`` when never saved; ``schema`` is the JSON Schema
an extension declared for the plugin, its ``default`` values already replaced by the site's
``overrides.json``; ``composite`` is ``settings`` over those defaults: what the plugin uses).
``GET /jlab-alt/api/settings`` answers ``{"settings": [<the above for every plugin with a
schema>]}`` (for the settings editor). ``PUT`` with body ``{"settings": object}`` validates them
against that schema (400 with the validation message when they do not fit), stores
them and answers 204. Settings are stored by :class:`jlab_alt.settings_store.SettingsStore`.
"""

from __future__ import annotations

import json

import jsonschema

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..settings_store import InvalidSettingsIdError
from .base import AppAPIHandler


class SettingsHandler(AppAPIHandler):
    """Read and write one plugin's user settings."""

    @web.authenticated
    @authorized
    def get(self, plugin_id: str) -> None:
        if not plugin_id:
            ids = sorted(self.extensionapp.settings_schemas)
            self.finish(json.dumps({"settings": [self._entry(i) for i in ids]}))
            return
        self.finish(json.dumps(self._entry(plugin_id)))

    def _entry(self, plugin_id: str) -> dict:
        app = self.extensionapp
        try:
            settings = app.settings_store.read(plugin_id)
        except InvalidSettingsIdError as err:
            raise web.HTTPError(400, str(err)) from err
        return {
            "id": plugin_id,
            "settings": settings,
            "composite": app.composite_settings(plugin_id, settings),
            "schema": app.settings_schemas.get(plugin_id),
        }

    @web.authenticated
    @authorized
    def put(self, plugin_id: str) -> None:
        if not plugin_id:
            raise web.HTTPError(405, "PUT the settings of one plugin: /jlab-alt/api/settings/<plugin id>")
        settings = self.body_object("settings")
        schema = self.extensionapp.settings_schemas.get(plugin_id)
        if schema is not None:
            try:
                jsonschema.validate(settings, schema)
            except jsonschema.ValidationError as err:
                path = "/".join(str(p) for p in err.absolute_path) or "(top level)"
                raise web.HTTPError(400, f"Invalid settings for {plugin_id} at {path}: {err.message}") from err
        try:
            self.extensionapp.settings_store.write(plugin_id, settings)
        except InvalidSettingsIdError as err:
            raise web.HTTPError(400, str(err)) from err
        self.set_status(204)
        self.finish()
