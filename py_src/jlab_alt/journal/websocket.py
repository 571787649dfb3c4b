"""The journal's view of the kernel WebSockets: which cell each execution is for.

An ``execute_request`` names its cell only in its ``metadata.cellId``, and only the page
that sends it knows it; the kernel's IOPub messages carry the request's header, not its
metadata. So the journal reads each message a page sends on its kernel WebSocket
*before* the host forwards it (no execution can start unrecorded), and the stdin
messages the host relays to a page (``input_request``), by mixing
:class:`JournalConnectionMixin` into the host's connection class, as
:mod:`jlab_alt.websocket_nodelay` does for TCP_NODELAY. Parsing is limited to the
message types that matter; everything is forwarded unchanged.
"""

from __future__ import annotations

import json
import logging
from typing import Any

log = logging.getLogger("jlab_alt.journal")

#: The key of the web app setting holding the :class:`jlab_alt.journal.plugin.Journal`.
SETTING_KEY = "jlab_alt_journal"
SETTING = "kernel_websocket_connection_class"
V1 = "v1.kernel.websocket.jupyter.org"
_WATCHED = ("execute_request", "input_reply")


def _journal_of(connection: Any) -> Any:
    handler = getattr(connection, "websocket_handler", None)
    settings = getattr(handler, "settings", None) or {}
    return settings.get(SETTING_KEY)


def _json(part: Any) -> Any:
    if isinstance(part, memoryview):
        part = part.tobytes()
    if isinstance(part, (bytes, bytearray)):
        part = bytes(part).decode("utf-8")
    return json.loads(part) if part else {}


def parse_incoming(message: Any, subprotocol: str | None) -> tuple[str | None, dict[str, Any], Any, Any] | None:
    """``(channel, header, parent_header, metadata)`` of a page's message, or None when not watched."""
    if subprotocol == V1:
        from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

        channel, parts = deserialize_msg_from_ws_v1(message)
        header = _json(parts[0])
        if header.get("msg_type") not in _WATCHED:
            return None
        return channel, header, _json(parts[1]), _json(parts[2])
    if isinstance(message, str):
        if not any(t in message for t in _WATCHED):
            return None
        msg = json.loads(message)
    else:
        from jupyter_server.services.kernels.connection.base import deserialize_binary_message

        msg = deserialize_binary_message(message)
    header = msg.get("header") or {}
    if header.get("msg_type") not in _WATCHED:
        return None
    return msg.get("channel"), header, msg.get("parent_header") or {}, msg.get("metadata") or {}


class JournalConnectionMixin:
    """Show the journal what pages send (execute requests, input replies) and the
    stdin requests the kernel sends them."""

    kernel_id: str
    subprotocol: Any

    def handle_incoming_message(self, incoming_msg: Any) -> Any:
        journal = _journal_of(self)
        if journal is not None:
            try:
                parsed = parse_incoming(incoming_msg, getattr(self, "subprotocol", None))
                if parsed is not None:
                    journal.observe_incoming(self.kernel_id, *parsed)
            except Exception:
                log.exception("jlab-alt journal: could not read a message to kernel %s", getattr(self, "kernel_id", "?"))
        return super().handle_incoming_message(incoming_msg)  # type: ignore[misc]

    def handle_outgoing_message(self, *args: Any) -> Any:
        # The local (ZMQ) connection passes (stream, message); the gateway's passes one
        # message string and has no local IOPub for the journal anyway.
        if len(args) == 2:
            stream, outgoing_msg = args
            journal = _journal_of(self)
            channel = stream if isinstance(stream, str) else getattr(stream, "channel", None)
            if journal is not None and channel == "stdin":
                journal.observe_stdin(self.kernel_id, outgoing_msg)
        return super().handle_outgoing_message(*args)  # type: ignore[misc]


def with_journal(web_app_settings: dict[str, Any]) -> bool:
    """Mix :class:`JournalConnectionMixin` into the host's kernel WebSocket class.

    Returns False (and changes nothing) when the host has no such setting.
    """
    current = web_app_settings.get(SETTING)
    if current is None:
        return False
    if isinstance(current, str):
        from traitlets.utils.importstring import import_item

        current = import_item(current)
    if not issubclass(current, JournalConnectionMixin):
        current = type(f"Journal{current.__name__}", (JournalConnectionMixin, current), {})
    web_app_settings[SETTING] = current
    return True
