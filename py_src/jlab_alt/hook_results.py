"""What each hook of :mod:`jlab_alt.hookspecs` may return, checked before the app uses it.

A plugin returning the wrong shape (a dict where a list is expected, a theme without
``css``) must be reported against that plugin, with the hook's name and what was
wrong, instead of failing later somewhere in the app with an error nobody can trace
back to it. JSON-like results are checked against a JSON Schema (draft 2020-12);
``jlab_alt_handlers`` returns Python classes, so it has a small checker of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema
from tornado.web import RequestHandler

_STRING = {"type": "string", "minLength": 1}

#: ``{hook name: JSON Schema of its result}`` for the hooks that return JSON-like data.
RESULT_SCHEMAS: dict[str, dict[str, Any]] = {
    "jlab_alt_frontend": {
        "type": "object",
        "required": ["static", "entry"],
        "properties": {"static": _STRING, "entry": _STRING},
    },
    "jlab_alt_settings_schemas": {
        "type": "object",
        "additionalProperties": {"type": "object"},
    },
    "jlab_alt_themes": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["name", "css"],
            "properties": {"name": _STRING, "css": _STRING},
        },
    },
    "jlab_alt_page_config": {"type": "object"},
    # Save hooks edit the model in place; a returned value would be silently ignored.
    "jlab_alt_pre_save": {"type": "null"},
    "jlab_alt_post_save": {"type": "null"},
}


def _check_handlers(value: Any) -> str | None:
    if not isinstance(value, (list, tuple)):
        return f"must be a list of (pattern, handler_class[, kwargs]), not {type(value).__name__}"
    for index, item in enumerate(value):
        where = f"item {index}"
        if not isinstance(item, (list, tuple)) or len(item) not in (2, 3):
            return f"{where} must be (pattern, handler_class) or (pattern, handler_class, kwargs), not {item!r}"
        pattern, cls, *rest = item
        if not isinstance(pattern, str):
            return f"{where}: the pattern must be a string, not {type(pattern).__name__}"
        if not (isinstance(cls, type) and issubclass(cls, RequestHandler)):
            return f"{where}: {cls!r} is not a tornado.web.RequestHandler subclass"
        if rest and not isinstance(rest[0], dict):
            return f"{where}: the handler's kwargs must be a dict, not {type(rest[0]).__name__}"
    return None


_CHECKERS: dict[str, Callable[[Any], str | None]] = {"jlab_alt_handlers": _check_handlers}


def result_error(hook: str, value: Any) -> str | None:
    """Why ``value`` is not a valid result of ``hook`` (one line), or None when it is.

    ``None`` results are always valid (the plugin contributes nothing). Hooks without
    a schema or checker accept anything.
    """
    if value is None:
        return None
    checker = _CHECKERS.get(hook)
    if checker is not None:
        return checker(value)
    schema = RESULT_SCHEMAS.get(hook)
    if schema is None:
        return None
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(value))
    if error is None:
        return None
    where = "".join(f"[{p!r}]" for p in error.absolute_path)
    return f"result{where}: {error.message}"
