"""The execution journal as a built-in server plugin, and the :class:`Journal` it runs.

Why on the server, and why its own IOPub subscription: a page records only while it
is open, and the host's own offline buffer (``buffer_offline_messages``) keeps raw
messages for one client session id, which a reload changes (jupyterlab/jupyterlab#2833).
So the journal hooks the kernel manager's ``start_kernel``: as soon as a kernel is up it
opens a SUB socket of its own (with bounded queues, read header first:
:mod:`jlab_alt.journal.flow`) and waits until that socket receives
(a ZeroMQ SUB socket misses what is published before its subscription arrives), so
every message of every execution is seen whether or not a browser is connected.
``restart_kernel`` and the restarter's callbacks abort what was running;
``shutdown_kernel`` drops the kernel's journal.

Gateway kernels run elsewhere and have no IOPub socket here: the journal is then
unavailable and says so (``reason: "gateway"``).

A check every :data:`CHECK_SECONDS` looks after what no message triggers: once a kernel's
IOPub has been quiet for :data:`QUIET_SECONDS` while some of its executions are unfinished,
it knocks (:class:`jlab_alt.journal.flow.Knocker`), so executions whose last messages were
lost end; and once the server is quiet after a flood, it gives the freed memory back to the
system (:mod:`jlab_alt.journal.memory`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from typing import Any

from tornado.ioloop import PeriodicCallback

from ..hookspecs import hookimpl
from . import memory
from .flow import IopubReader, Knocker, open_iopub
from .recorder import KernelJournal

log = logging.getLogger("jlab_alt.journal")

#: How long a kernel start waits for the journal's IOPub subscription to be live, in seconds.
SUBSCRIBE_TIMEOUT = 10.0
#: Seconds between two checks of the kernels' quiet (knocks, memory release).
CHECK_SECONDS = 0.5
#: Seconds without an IOPub message, with executions unfinished, before the journal knocks.
QUIET_SECONDS = 1.0
#: A knock's barrier ends only executions requested at least this long before it (seconds), so
#: a request the page sent an instant earlier cannot be overtaken by the knock on its way.
BARRIER_MARGIN = 0.5
#: Bytes the journal's sockets received since the last release that make it worth releasing.
RELEASE_AFTER_BYTES = 32 << 20


def _loads(part: Any) -> dict[str, Any]:
    if isinstance(part, (bytes, bytearray, memoryview)):
        part = bytes(part).decode("utf-8")
    value = json.loads(part) if part else {}
    return value if isinstance(value, dict) else {}


class Journal:
    """Every local kernel's :class:`KernelJournal`, and the wiring into the host.

    Args:
        serverapp: The host ``ServerApp`` (its ``kernel_manager`` is hooked).
        output_limit: Characters (streams) or bytes (rich outputs) kept per output.
        kernel_limit: Bytes of outputs kept per kernel.
        max_executions: Executions kept per kernel.
        release_memory: Call ``malloc_trim`` once the server is quiet after a flood
            (:mod:`.memory`; glibc only).
    """

    def __init__(
        self, serverapp: Any, output_limit: int, kernel_limit: int, max_executions: int, release_memory: bool = True
    ) -> None:
        self.serverapp = serverapp
        self.output_limit = output_limit
        self.kernel_limit = kernel_limit
        self.max_executions = max_executions
        self.release_memory = release_memory and memory.available()
        #: Bytes received by every kernel's journal socket at the last memory release.
        self._released_at = 0
        #: Memory releases done (for tests and the log).
        self.releases = 0
        self._releasing = False
        self._checker: PeriodicCallback | None = None
        #: Changes on every server start: a page that saw another id knows the journal was lost.
        self.journal_id = secrets.token_hex(8)
        self.kernels: dict[str, KernelJournal] = {}
        self._streams: dict[str, Any] = {}
        self._readers: dict[str, IopubReader] = {}
        self._knockers: dict[str, Knocker] = {}
        #: Bytes received by readers since closed (so the release count does not go back).
        self._closed_bytes = 0
        km = serverapp.kernel_manager
        self.kernel_manager = km
        self.gateway = "gateway" in type(km).__module__.lower()
        if not self.gateway:
            self._hook_kernel_manager(km)

    # -- the host's kernel manager ------------------------------------------------------

    def _hook_kernel_manager(self, km: Any) -> None:
        start, restart, shutdown = km.start_kernel, km.restart_kernel, km.shutdown_kernel
        buffering = getattr(km, "start_buffering", None)

        async def start_kernel(*args: Any, **kwargs: Any) -> Any:
            kernel_id = await _maybe_await(start(*args, **kwargs))
            try:
                await self.attach(kernel_id)
            except Exception:  # the journal must never stop a kernel from starting
                log.exception("jlab-alt journal: could not follow kernel %s", kernel_id)
            return kernel_id

        async def restart_kernel(kernel_id: str, *args: Any, **kwargs: Any) -> Any:
            journal = self.kernels.get(kernel_id)
            if journal is not None:
                journal.on_restart()
            result = await _maybe_await(restart(kernel_id, *args, **kwargs))
            if kernel_id in self.kernels:
                # Ports may change on restart; a fresh subscription follows the new kernel.
                self._close_stream(kernel_id)
                try:
                    await self._subscribe(kernel_id)
                except Exception:
                    log.exception("jlab-alt journal: could not follow kernel %s after its restart", kernel_id)
            return result

        async def shutdown_kernel(kernel_id: str, *args: Any, **kwargs: Any) -> Any:
            self.detach(kernel_id)
            return await _maybe_await(shutdown(kernel_id, *args, **kwargs))

        def start_buffering(kernel_id: str, session_key: str, channels: dict[str, Any]) -> Any:
            result = buffering(kernel_id, session_key, channels)
            self._watch_buffered_stdin(kernel_id, channels)
            return result

        km.start_kernel = start_kernel
        km.restart_kernel = restart_kernel
        km.shutdown_kernel = shutdown_kernel
        if buffering is not None:
            km.start_buffering = start_buffering

    async def attach(self, kernel_id: str) -> None:
        """Start the journal of a (just started) kernel and subscribe to its IOPub."""
        if kernel_id in self.kernels:
            return
        self.kernels[kernel_id] = KernelJournal(kernel_id, self.output_limit, self.kernel_limit, self.max_executions)
        km = self.kernel_manager
        try:
            km.add_restart_callback(kernel_id, lambda: self._on_restarted(kernel_id), "restart")
            km.add_restart_callback(kernel_id, lambda: self._on_restarted(kernel_id), "dead")
        except Exception:
            log.debug("jlab-alt journal: no restart callbacks for %s", kernel_id)
        await self._subscribe(kernel_id)
        if self._checker is None:
            self._checker = PeriodicCallback(self._check, CHECK_SECONDS * 1000)
            self._checker.start()

    def _on_restarted(self, kernel_id: str) -> None:
        journal = self.kernels.get(kernel_id)
        if journal is not None:
            journal.on_restart()
        knocker = self._knockers.get(kernel_id)
        if knocker is not None:
            # A knock the dead kernel held will never be answered: start afresh.
            knocker.close()

    def detach(self, kernel_id: str) -> None:
        """Forget a kernel (shut down): its journal goes with it."""
        self._close_stream(kernel_id)
        self.kernels.pop(kernel_id, None)

    def _close_stream(self, kernel_id: str) -> None:
        reader = self._readers.pop(kernel_id, None)
        if reader is not None:
            self._closed_bytes += reader.received_bytes
        knocker = self._knockers.pop(kernel_id, None)
        if knocker is not None:
            knocker.close()
        stream = self._streams.pop(kernel_id, None)
        if stream is not None and not stream.closed():
            stream.on_recv(None)
            stream.close()

    async def _subscribe(self, kernel_id: str) -> None:
        km = self.kernel_manager
        kernel = km.get_kernel(kernel_id)
        session = kernel.session
        stream = open_iopub(kernel)
        self._streams[kernel_id] = stream
        reader = IopubReader(session, lambda: self.kernels.get(kernel_id))
        self._readers[kernel_id] = reader
        self._knockers[kernel_id] = Knocker(lambda: km.connect_shell(kernel_id), session)
        live = asyncio.get_running_loop().create_future()

        def on_recv(msg_list: list[Any]) -> None:
            if not live.done():
                live.set_result(True)
            try:
                reader(msg_list)
            except Exception:
                log.exception("jlab-alt journal: bad IOPub message of kernel %s", kernel_id)

        stream.on_recv(on_recv)
        # Knock until the subscription is live: each kernel_info_request makes the
        # kernel publish status busy/idle, which the SUB socket sees once subscribed.
        shell = km.connect_shell(kernel_id)
        shell.on_recv(lambda _msg: None)
        deadline = time.monotonic() + SUBSCRIBE_TIMEOUT
        try:
            while not live.done() and time.monotonic() < deadline:
                session.send(shell, "kernel_info_request")
                try:
                    await asyncio.wait_for(asyncio.shield(live), 0.2)
                except asyncio.TimeoutError:
                    continue
        finally:
            shell.close()
        if not live.done():
            log.warning("jlab-alt journal: kernel %s published nothing within %ss", kernel_id, SUBSCRIBE_TIMEOUT)

    # -- the quiet check ------------------------------------------------------------------

    def _check(self) -> None:
        """Knock on quiet kernels with unfinished executions; release memory after a flood."""
        now = time.monotonic()
        all_quiet = True
        for kernel_id, reader in list(self._readers.items()):
            if now - reader.last_received < QUIET_SECONDS:
                all_quiet = False
                continue
            journal = self.kernels.get(kernel_id)
            knocker = self._knockers.get(kernel_id)
            if journal is None or knocker is None or not journal.unfinished or knocker.waiting is not None:
                continue
            pending = journal.unfinished_before(time.time() - BARRIER_MARGIN)
            if not pending:
                continue
            try:
                knock_id = knocker.knock()
            except Exception:
                log.exception("jlab-alt journal: could not knock on kernel %s", kernel_id)
                continue
            if knock_id is not None:
                reader.expect_barrier(knock_id, pending)
        if all_quiet and self.release_memory and not self._releasing:
            received = self._closed_bytes + sum(r.received_bytes for r in self._readers.values())
            if received - self._released_at >= RELEASE_AFTER_BYTES:
                self._released_at = received
                self._releasing = True
                # malloc_trim walks every heap; off the event loop (ctypes drops the GIL).
                future = asyncio.get_running_loop().run_in_executor(None, memory.trim)
                future.add_done_callback(self._released)

    def _released(self, _future: Any) -> None:
        self._releasing = False
        self.releases += 1

    def _watch_buffered_stdin(self, kernel_id: str, channels: dict[str, Any]) -> None:
        """While no page is connected the host buffers stdin: note ``input_request`` too."""
        stdin = channels.get("stdin")
        km = self.kernel_manager
        buffers = getattr(km, "_kernel_buffers", None)
        if stdin is None or buffers is None or kernel_id not in self.kernels or stdin.closed():
            return
        buffer_info = buffers.get(kernel_id) or {}
        buffer = buffer_info.get("buffer")
        if buffer is None:
            return

        def on_recv(msg_parts: list[Any]) -> None:
            buffer.append(("stdin", msg_parts))
            self.observe_stdin(kernel_id, msg_parts)

        stdin.on_recv(on_recv)

    # -- the kernel WebSockets ----------------------------------------------------------

    def observe_incoming(self, kernel_id: str, channel: str | None, header: dict[str, Any], parent: Any, metadata: Any) -> None:
        """A message from a page on its way to the kernel (see :mod:`.websocket`)."""
        journal = self.kernels.get(kernel_id)
        if journal is None:
            return
        msg_type = header.get("msg_type")
        if msg_type == "execute_request" and channel in (None, "shell"):
            journal.on_execute_request(header, metadata if isinstance(metadata, dict) else {})
        elif msg_type == "input_reply":
            journal.on_input_reply(parent if isinstance(parent, dict) else {})

    def observe_stdin(self, kernel_id: str, msg_list: list[Any]) -> None:
        """A stdin message from the kernel (raw ZeroMQ frames)."""
        journal = self.kernels.get(kernel_id)
        if journal is None:
            return
        try:
            session = self.kernel_manager.get_kernel(kernel_id).session
            _, fed = session.feed_identities(msg_list, copy=True)
            header = _loads(fed[1])
            if header.get("msg_type") != "input_request":
                return
            parent = _loads(fed[2])
            reader = self._readers.get(kernel_id)
            if reader is not None:
                # Its counter is not missing from IOPub (see flow.LossDetector).
                parent_id = parent.get("msg_id")
                reader.observe_other_channel(header, parent_id if isinstance(parent_id, str) else None)
            journal.on_input_request(header, parent, _loads(fed[4]))
        except Exception:
            log.exception("jlab-alt journal: bad stdin message of kernel %s", kernel_id)

    # -- reading ------------------------------------------------------------------------

    async def kernel_for_path(self, path: str) -> str | None:
        """The kernel of the notebook session at ``path``, if any."""
        sessions = await self.serverapp.session_manager.list_sessions()
        for session in sessions:
            if session.get("path") == path and session.get("kernel"):
                return session["kernel"]["id"]
        return None

    def mark_saved(self, path: str) -> None:
        """The notebook at ``path`` was saved now: its finished executions are in the file."""
        now = time.time()
        try:
            cursor = self.serverapp.session_manager.cursor
            rows = cursor.execute("SELECT kernel_id FROM session WHERE path=?", (path,)).fetchall()
        except Exception:
            return
        for (kernel_id,) in rows:
            journal = self.kernels.get(kernel_id)
            if journal is not None:
                journal.mark_saved(now)

    def close(self) -> None:
        if self._checker is not None:
            self._checker.stop()
            self._checker = None
        for kernel_id in list(self._streams):
            self._close_stream(kernel_id)
        self.kernels.clear()


async def _maybe_await(value: Any) -> Any:
    if asyncio.iscoroutine(value) or isinstance(value, asyncio.Future):
        return await value
    return value


@hookimpl
def jlab_alt_post_save(model: dict[str, Any], app: Any) -> None:
    journal = getattr(app, "journal", None)
    if journal is not None and model.get("type") == "notebook" and isinstance(model.get("path"), str):
        journal.mark_saved(model["path"])
