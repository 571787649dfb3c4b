"""The host's terminal WebSocket routes, and swapping their handler class.

jupyter_server_terminals adds terminado's ``TermSocket`` route when it loads; jlab-alt
changes how that socket behaves (TCP_NODELAY, joined pty reads) by putting a subclass in
the route's place, once every extension has added its routes. One walk over the routes
for every such change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


def routes(router: Any) -> Iterator[Any]:
    """Every routing rule under ``router`` (Tornado nests a router per host pattern)."""
    for rule in getattr(router, "rules", ()):
        target = rule.target
        if hasattr(target, "rules"):
            yield from routes(target)
        else:
            yield rule


def wrap_terminal_sockets(web_app: Any, wrap: Callable[[type], type], mixin: type) -> int:
    """Replace each terminal WebSocket handler class of ``web_app`` by ``wrap(cls)``.

    ``web_app`` is the server's ``tornado.web.Application``. Handlers that already have
    ``mixin`` (the one ``wrap`` adds) are left alone, so calling this twice changes nothing
    the second time. Returns how many routes changed: 0 when terminado is not installed.
    """
    try:
        from terminado.websocket import TermSocket
    except ImportError:
        return 0
    changed = 0
    for router in (web_app.default_router, web_app.wildcard_router):
        for rule in routes(router):
            target = rule.target
            if isinstance(target, type) and issubclass(target, TermSocket) and not issubclass(target, mixin):
                rule.target = wrap(target)
                changed += 1
    return changed
