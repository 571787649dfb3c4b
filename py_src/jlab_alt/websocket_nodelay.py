"""Low-latency WebSockets: TCP_NODELAY on the host's kernel and terminal connections.

A kernel answers ``1+1`` with a burst of small messages (``status: busy``,
``execute_input``, ``execute_result``, ``status: idle``). Tornado leaves Nagle's
algorithm on for WebSockets, so after the first frame the kernel's next ones wait
for the browser's ACK, which a delayed-ACK TCP stack holds for up to 40 ms on
Linux: every execution looked about 40 ms slower than it was. Turning Nagle off
on the kernel sockets sends each frame at once; the frames are already batched per
message, so it costs no extra packets for bulk output.

jlab-alt does not replace the host's kernel bridge: it wraps whatever
``ServerApp.kernel_websocket_connection_class`` is configured (the ZeroMQ bridge,
or the gateway's) with :class:`NoDelayMixin`.

Terminals suffer the same way: terminado sends each pty read as its own frame, so a
key's echo or the prompt after a command's output waited for the browser's delayed
ACK. Their handler (jupyter_server_terminals' ``TermSocket``) is a route of another
extension, not a setting, so :func:`enable_terminal_nodelay` swaps the route's
handler class for one with :class:`NoDelayHandlerMixin`, once every extension has
added its routes.
"""

from __future__ import annotations

from typing import Any

from .terminal_routes import wrap_terminal_sockets

SETTING = "kernel_websocket_connection_class"


class NoDelayMixin:
    """Set TCP_NODELAY on the kernel WebSocket once it is open.

    Mixed in before a ``BaseKernelWebsocketConnection`` subclass; its ``connect``
    runs from the handler's ``open``, when the upgraded stream exists.
    """

    websocket_handler: Any

    def connect(self) -> Any:
        handler = getattr(self, "websocket_handler", None)
        if handler is not None and getattr(handler, "ws_connection", None) is not None:
            handler.set_nodelay(True)
        return super().connect()  # type: ignore[misc]


def with_nodelay(connection_class: type) -> type:
    """``connection_class`` with :class:`NoDelayMixin` first (unchanged if it has it)."""
    if issubclass(connection_class, NoDelayMixin):
        return connection_class
    return type(f"NoDelay{connection_class.__name__}", (NoDelayMixin, connection_class), {})


def enable_nodelay(web_app_settings: dict[str, Any]) -> bool:
    """Wrap the host's kernel WebSocket connection class in ``web_app_settings``.

    Returns False (and changes nothing) when the host has no such setting, e.g. a
    jupyter_server older than 2.0.
    """
    current = web_app_settings.get(SETTING)
    if current is None:
        return False
    if isinstance(current, str):
        from traitlets.utils.importstring import import_item

        current = import_item(current)
    web_app_settings[SETTING] = with_nodelay(current)
    return True


class NoDelayHandlerMixin:
    """Set TCP_NODELAY on a Tornado WebSocket handler's stream when it opens.

    Mixed in before the handler class, so its ``open`` (terminado's: attach to the
    pty, send the replay) runs after the option is set.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if getattr(self, "ws_connection", None) is not None:
            self.set_nodelay(True)  # type: ignore[attr-defined]
        return super().open(*args, **kwargs)  # type: ignore[misc]


def with_nodelay_handler(handler_class: type) -> type:
    """``handler_class`` with :class:`NoDelayHandlerMixin` first (unchanged if it has it)."""
    if issubclass(handler_class, NoDelayHandlerMixin):
        return handler_class
    return type(f"NoDelay{handler_class.__name__}", (NoDelayHandlerMixin, handler_class), {})


def enable_terminal_nodelay(web_app: Any) -> int:
    """Give the host's terminal WebSocket routes TCP_NODELAY; returns how many changed.

    ``web_app`` is the server's ``tornado.web.Application``. Call it after every
    extension added its routes (jupyter_server_terminals adds the terminal socket at
    its own load). Returns 0, changing nothing, when terminals are not installed.
    """
    return wrap_terminal_sockets(web_app, with_nodelay_handler, NoDelayHandlerMixin)
