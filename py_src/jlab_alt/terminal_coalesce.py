"""Fewer, larger terminal frames while a command floods: coalescing terminado's pty reads.

terminado's WebSocket protocol (jupyter/terminado: terminado/websocket.py) sends the
output of a terminal as JSON arrays ``["stdout", text]``, one per read of the pty
(``TermManagerBase.pty_read`` calls each client's ``on_pty_read(text)``), beside
``["setup", {}]`` when a client connects and ``["disconnect", 1]`` when the process
ends. A Linux pty hands over at most about 4 KB per read, so ``seq 1 300000`` (2.3 MB)
arrives as ~650 frames, and the browser pays a message event, a ``JSON.parse`` and the
services layer's dispatch for each of them.

:class:`CoalescingMixin` joins the reads of a flood into fewer frames without delaying
interactive output:

- A read after a quiet moment (no ``stdout`` frame sent within the window) is sent at
  once: a key's echo never waits.
- A read within the window of the last frame is sent at once too when it is small and
  the pty has nothing more to read: the output and prompt that follow a short command
  come as small reads a few ms apart and must not wait either.
- Otherwise (a large read, or more output already waiting in the pty) the read is held
  and the reads that follow are joined to it, until the joined text reaches the size
  bound, the window has passed since it was held (a timer), or a small read finds the
  pty drained.
- Bytes and their order are exactly those of the reads. Anything held is sent before
  any other frame (e.g. ``disconnect``), and dropped when the client goes away (it can
  no longer be sent).

Like :mod:`jlab_alt.websocket_nodelay`, the host's terminal socket is another
extension's route (jupyter_server_terminals' ``TermSocket``), so
:func:`enable_terminal_coalescing` swaps the route's handler class for a subclass.
"""

from __future__ import annotations

import select
from typing import Any

from tornado.ioloop import IOLoop

from .terminal_routes import wrap_terminal_sockets

#: Default of :attr:`CoalescingMixin.coalesce_window`, in seconds.
DEFAULT_WINDOW_S = 0.008
#: Default of :attr:`CoalescingMixin.coalesce_max_chars`: about what a browser's xterm.js
#: parses in a few ms, so one frame never makes a long task on its own.
DEFAULT_MAX_CHARS = 32_768
#: A read at least this long (characters) counts as part of a flood: an interactive
#: read (an echo, a prompt, a short command's output) is much smaller.
BULK_CHARS = 1024


def pty_has_more(fd: int) -> bool:
    """Whether the pty ``fd`` has output waiting to be read now (a poll with no timeout).

    Returns False when ``fd`` cannot be polled (e.g. a closed descriptor, or a platform
    whose terminals are not file descriptors).
    """
    try:
        readable, _, _ = select.select([fd], [], [], 0)
    except (OSError, ValueError, TypeError):
        return False
    return bool(readable)


class CoalescingMixin:
    """Join a terminal's pty reads into fewer ``["stdout", text]`` frames (see the module).

    Mixed in before a terminado ``TermSocket`` subclass. ``coalesce_window`` (seconds)
    and ``coalesce_max_chars`` (characters of a Python str per frame) are class attributes,
    set by :func:`with_coalescing`.
    """

    coalesce_window: float = DEFAULT_WINDOW_S
    coalesce_max_chars: int = DEFAULT_MAX_CHARS

    _held: list[str] | None = None
    _held_chars = 0
    _held_since = 0.0
    _last_stdout_at = float("-inf")
    _flush_timer: Any = None

    terminal: Any
    ws_connection: Any

    # -- what terminado calls ----------------------------------------------------------

    def on_pty_read(self, text: str) -> None:
        """Data read from the pty: send it now, or hold it to join the reads that follow."""
        if not text:
            return
        now = self._clock()
        if self._held is not None:
            self._held.append(text)
            self._held_chars += len(text)
            if (
                self._held_chars >= self.coalesce_max_chars
                or now - self._held_since >= self.coalesce_window
                or (len(text) < BULK_CHARS and not self._pty_has_more())
            ):
                self._flush()
            return
        recent = now - self._last_stdout_at < self.coalesce_window
        if recent and (len(text) >= BULK_CHARS or self._pty_has_more()):
            self._held = [text]
            self._held_chars = len(text)
            self._held_since = now
            self._flush_timer = self._call_later(self.coalesce_window, self._on_flush_timer)
            return
        self._send_stdout(text)

    def send_json_message(self, content: Any) -> None:
        """Send a frame (``setup``, ``disconnect``); anything held goes first, in order."""
        # Held output is sent through the base class directly, so this runs only for
        # frames of others.
        self._flush()
        super().send_json_message(content)  # type: ignore[misc]

    def on_close(self) -> None:
        """The client went away: what is held cannot be sent any more."""
        self._drop_held()
        super().on_close()  # type: ignore[misc]

    # -- internals -----------------------------------------------------------------------

    # The clock and timers are the IOLoop's (monotonic seconds); tests replace them.
    def _clock(self) -> float:
        return IOLoop.current().time()

    def _call_later(self, delay: float, callback: Any) -> Any:
        return IOLoop.current().call_later(delay, callback)

    def _cancel_timer(self, handle: Any) -> None:
        IOLoop.current().remove_timeout(handle)

    def _pty_has_more(self) -> bool:
        terminal = getattr(self, "terminal", None)
        fd = getattr(getattr(terminal, "ptyproc", None), "fd", None)
        return isinstance(fd, int) and pty_has_more(fd)

    def _send_stdout(self, text: str) -> None:
        self._last_stdout_at = self._clock()
        super().send_json_message(["stdout", text])  # type: ignore[misc]

    def _on_flush_timer(self) -> None:
        self._flush_timer = None
        if self.ws_connection is None or self.ws_connection.is_closing():
            self._drop_held()
        else:
            self._flush()

    def _take_held(self) -> str | None:
        held = self._held
        self._held = None
        self._held_chars = 0
        if self._flush_timer is not None:
            self._cancel_timer(self._flush_timer)
            self._flush_timer = None
        if not held:
            return None
        return held[0] if len(held) == 1 else "".join(held)

    def _flush(self) -> None:
        text = self._take_held()
        if text:
            self._send_stdout(text)

    def _drop_held(self) -> None:
        self._take_held()


def with_coalescing(
    handler_class: type, window: float = DEFAULT_WINDOW_S, max_chars: int = DEFAULT_MAX_CHARS
) -> type:
    """``handler_class`` with :class:`CoalescingMixin` first (unchanged if it has it).

    ``window`` is in seconds, ``max_chars`` in characters per frame.
    """
    if issubclass(handler_class, CoalescingMixin):
        return handler_class
    attrs = {"coalesce_window": float(window), "coalesce_max_chars": int(max_chars)}
    return type(f"Coalescing{handler_class.__name__}", (CoalescingMixin, handler_class), attrs)


def enable_terminal_coalescing(
    web_app: Any, window: float = DEFAULT_WINDOW_S, max_chars: int = DEFAULT_MAX_CHARS
) -> int:
    """Make the host's terminal WebSocket routes coalesce pty reads; returns how many changed.

    ``web_app`` is the server's ``tornado.web.Application``; call it after every extension
    added its routes. ``window`` (seconds) and ``max_chars`` as in :func:`with_coalescing`.
    Returns 0, changing nothing, when terminals are not installed.
    """
    return wrap_terminal_sockets(web_app, lambda cls: with_coalescing(cls, window, max_chars), CoalescingMixin)
