"""Flow control of the journal's own IOPub subscription: bounded queues, honest losses.

Why: under an output flood (a cell printing ~1 GB/min) a loaded server reads IOPub more
slowly than the kernel publishes. ZeroMQ then queues on the receiving side, up to
``RCVHWM`` messages (default 1,000: 260 MB of 260 KB stream messages) plus the kernel
socket buffer, all in the server's memory, whatever the journal's own cap. So the
journal's SUB socket is opened with a small receive high-water mark and a bounded
kernel receive buffer (:func:`open_iopub`). When it is full, ZeroMQ stops reading the
TCP connection; the kernel's PUB socket then queues for this subscriber on its side
and, past its own send high-water mark, drops messages for this subscriber only (ZeroMQ
guide, "PUB-SUB": a publisher drops for a subscriber that cannot keep up). The page's
own subscription (the host's) is not affected.

A SUB socket never says that it lost something, so the journal finds out itself
(:class:`LossDetector`): jupyter_client's ``Session`` names every message it creates
``<session>_<pid>_<n>`` with ``n`` counting up (jupyter_client >= 7, ``Session.msg_id``),
and a kernel uses one session for all its channels. Counters missing between two
IOPub messages were either messages the journal does not subscribe to or IOPub messages
dropped. The ones of other channels are accounted for:

- a reply on shell or control is created just before the ``status: idle`` that ends
  its request (ipykernel ``dispatch_shell``/``dispatch_control``), so each ``idle``
  forgives one missing counter, the newest;
- ``input_request`` on stdin is shown to the detector where the journal sees it
  (:meth:`LossDetector.observe` with the stdin message's id).

Threads of the kernel create and send messages concurrently (the IOPub thread flushes
streams while the main thread publishes displays), so counters can arrive a little out
of order: a missing counter is confirmed lost only once ``REORDER_WINDOW`` later
counters have arrived, or when the execution around it finishes. What remains is a
sound signal: a confirmed counter is a message the kernel created, that was neither
a reply nor seen here. Losses are put down to the executions of the messages on both
sides of the gap (but not to a request whose busy status follows the gap or whose
idle status precedes it). The lost message may be an execution's idle status: the
journal then finishes that execution when the next one starts (the kernel runs them
one at a time). Message ids of another form (other kernels' clients) give no
signal; nothing is then reported.

What no later message reveals: when the lost messages are the last ones (a flood's
tail, its ``idle``, and a next cell's whole run sent while the socket was still full),
nothing arrives after them, so no gap is ever seen and those executions would show as
running forever. So when executions are unfinished and the socket has been quiet for a
while, the journal knocks (:class:`Knocker`: a ``kernel_info_request`` on a shell
connection of its own). The kernel runs the main shell's requests one at a time in the
order they arrive and publishes every status through one IOPub thread in order, so once
the knock's ``status`` arrives, the ``idle`` of every execution requested before the knock
was either received or lost: the reader calls ``journal.on_barrier`` with them.
"""

from __future__ import annotations

import json
import logging
import time
from collections import OrderedDict
from typing import Any, Callable

import zmq
from zmq.eventloop.zmqstream import ZMQStream

log = logging.getLogger("jlab_alt.journal")

#: Messages queued on the journal's socket before ZeroMQ stops reading the connection
#: (8 x a flood's 260 KB messages: ~2 MB).
RCVHWM = 8
#: Bytes of the socket's kernel receive buffer (SO_RCVBUF).
RCVBUF = 1 << 20
#: Later counters that must arrive before a missing one counts as lost (not late).
REORDER_WINDOW = 32
#: A gap longer than this is lost at once (no thread reorders that far), and is not
#: tracked counter by counter.
MAX_TRACKED_GAP = REORDER_WINDOW


def open_iopub(kernel: Any) -> ZMQStream:
    """A SUB socket on ``kernel``'s IOPub (a jupyter_client ``KernelManager``), with the
    bounded queues above set before it connects, wrapped in a ``ZMQStream``.

    Mirrors ``ConnectionFileMixin.connect_iopub`` (linger, CurveZMQ keys when the
    connection file has them), which gives no way to set options before connecting.
    """
    # A plain zmq.Socket whatever the context makes (an asyncio one): ZMQStream needs it.
    sock = kernel.context.socket(zmq.SUB, socket_class=zmq.Socket)
    sock.linger = 1000
    sock.setsockopt(zmq.RCVHWM, RCVHWM)
    sock.setsockopt(zmq.RCVBUF, RCVBUF)
    if getattr(kernel, "curve_publickey", None) is not None:
        sock.curve_secretkey = kernel.curve_secretkey
        sock.curve_publickey = kernel.curve_publickey
        sock.curve_serverkey = kernel.curve_publickey
    sock.connect(kernel._make_url("iopub"))
    sock.setsockopt(zmq.SUBSCRIBE, b"")
    return ZMQStream(sock)


def counter_of(msg_id: Any) -> tuple[str, int] | None:
    """``(sender, n)`` of a jupyter_client message id ``<session>_<pid>_<n>``, else None."""
    if not isinstance(msg_id, str):
        return None
    sender, sep, number = msg_id.rpartition("_")
    if not sep or not number.isdigit() or "_" not in sender:
        return None
    return sender, int(number)


class LossDetector:
    """Finds the messages of a kernel's session that the journal's IOPub never received.

    Feed every message in arrival order to :meth:`observe`; it returns the parent
    msg_ids (executions) that lost messages, once each loss is confirmed (see the
    module doc for the rules).
    """

    def __init__(self, window: int = REORDER_WINDOW) -> None:
        self.window = window
        #: Sender -> highest counter seen.
        self._last: dict[str, int] = {}
        #: Sender -> parent msg_id of the message with the highest counter.
        self._last_parent: dict[str, str | None] = {}
        #: Sender -> whether the message with the highest counter was an idle status.
        self._last_idle: dict[str, bool] = {}
        #: (sender, counter) -> parents on both sides of the gap, for counters not seen yet.
        self._missing: dict[tuple[str, int], tuple[str | None, ...]] = {}
        #: Messages confirmed lost so far.
        self.lost = 0

    def observe(self, msg_id: Any, msg_type: str | None, parent_id: str | None, state: str | None = None) -> set[str]:
        """One message received (IOPub, or stdin seen elsewhere). ``state`` is a status
        message's ``execution_state``. Returns the parent msg_ids of confirmed losses."""
        parsed = counter_of(msg_id)
        if parsed is None:
            return set()
        sender, n = parsed
        last = self._last.get(sender)
        confirmed: set[str] = set()
        if last is None:
            self._last[sender] = n
            self._last_parent[sender] = parent_id
            return confirmed
        if n <= last:
            # A late message (another thread's) or a replay: one counter less missing.
            self._missing.pop((sender, n), None)
        else:
            # A request's messages lie between its busy and idle status: a gap right
            # after an idle is not the idle's request's, one right before a busy not the busy's.
            before = self._last_parent.get(sender) if not self._last_idle.get(sender) else None
            after = parent_id if not (msg_type == "status" and state == "busy") else None
            parents = tuple(p for p in {before, after} if p)
            gap = range(last + 1, n)
            if len(gap) > MAX_TRACKED_GAP:
                self.lost += len(gap)
                confirmed.update(parents)
            else:
                for k in gap:
                    self._missing[(sender, k)] = parents
            self._last[sender] = n
            self._last_parent[sender] = parent_id
            self._last_idle[sender] = msg_type == "status" and state == "idle"
        if msg_type == "status" and state == "idle":
            # The reply of the request this status ends (shell or control) was created
            # just before it and is not on IOPub.
            mine = [key for key in self._missing if key[0] == sender and key[1] < n]
            if mine:
                del self._missing[max(mine)]
            if parent_id:
                confirmed |= self._confirm(lambda key, parents: parent_id in parents and key[1] < n)
        confirmed |= self._confirm(lambda key, _parents: key[0] == sender and key[1] < n - self.window)
        return confirmed

    def _confirm(self, test: Callable[[tuple[str, int], tuple[str | None, ...]], bool]) -> set[str]:
        if not self._missing:
            return set()
        gone = [key for key, parents in self._missing.items() if test(key, parents)]
        confirmed: set[str] = set()
        for key in gone:
            confirmed.update(p for p in self._missing.pop(key) if p)
        self.lost += len(gone)
        return confirmed


def _loads(part: Any) -> dict[str, Any]:
    if isinstance(part, (memoryview, bytearray)):
        part = bytes(part)
    value = json.loads(part) if part else {}
    return value if isinstance(value, dict) else {}


class IopubReader:
    """The journal's ``on_recv`` for one kernel's IOPub: header first, content only when needed.

    For each message (raw ZeroMQ frames): the header and the parent header (small) are
    decoded and shown to the :class:`LossDetector`; losses are reported to the journal
    (``journal.mark_lost(parent_ids)``); only when ``journal.wants(msg_type, parent_id)``
    is the message verified and fully decoded (``session.deserialize``, the 260 KB
    content of a flood's stream message included) and given to ``journal.on_iopub``.

    Args:
        session: The kernel's jupyter_client ``Session`` (HMAC key, unpacker).
        journal: Returns the kernel's journal (a ``KernelJournal``), or None once it is gone.
    """

    def __init__(self, session: Any, journal: Callable[[], Any]) -> None:
        self.session = session
        self.journal = journal
        self.detector = LossDetector()
        #: Messages decoded whole, and skipped after their header (for tests and profiling).
        self.decoded = 0
        self.skipped = 0
        #: ``time.monotonic()`` of the last message received.
        self.last_received = time.monotonic()
        #: Bytes received (all frames), for the memory release after a flood.
        self.received_bytes = 0
        #: Knock msg_id -> the executions its status finishes (see :meth:`expect_barrier`).
        self._barriers: OrderedDict[str, list[str]] = OrderedDict()

    def expect_barrier(self, knock_id: str, executions: list[str]) -> None:
        """When a status of request ``knock_id`` arrives, ``journal.on_barrier(executions)``.
        Keeps the newest few (a knock whose status was lost is never matched)."""
        self._barriers[knock_id] = executions
        while len(self._barriers) > 8:
            self._barriers.popitem(last=False)

    def __call__(self, msg_list: list[Any]) -> None:
        journal = self.journal()
        if journal is None:
            return
        self.last_received = time.monotonic()
        self.received_bytes += sum(len(part) for part in msg_list)
        _, fed = self.session.feed_identities(msg_list)
        header = _loads(fed[1])
        parent_id = _loads(fed[2]).get("msg_id")
        parent_id = parent_id if isinstance(parent_id, str) else None
        msg_type = header.get("msg_type")
        state = None
        if msg_type == "status":
            # The content of a status message is tiny; its state is needed for the detector.
            state = _loads(fed[4]).get("execution_state")
        lost = self.detector.observe(header.get("msg_id"), msg_type, parent_id, state)
        if lost:
            journal.mark_lost(lost)
        if msg_type == "status" and parent_id in self._barriers:
            journal.on_barrier(self._barriers.pop(parent_id))
        if not journal.wants(msg_type, parent_id):
            self.skipped += 1
            return
        self.decoded += 1
        msg = self.session.deserialize(fed, content=True)
        journal.on_iopub(msg)

    def observe_other_channel(self, header: dict[str, Any], parent_id: str | None) -> None:
        """A message of the kernel's session seen on another channel (stdin's ``input_request``)."""
        journal = self.journal()
        lost = self.detector.observe(header.get("msg_id"), header.get("msg_type"), parent_id)
        if lost and journal is not None:
            journal.mark_lost(lost)


class Knocker:
    """The journal's knocks on one kernel: a ``kernel_info_request`` on a shell connection
    of the journal's own, whose ``status`` messages on IOPub are the barrier described in
    the module doc. At most one knock waits for its reply at a time, so a kernel busy with
    a long cell holds one queued knock, not one per check.

    Args:
        connect: Opens a shell connection to the kernel (a ``ZMQStream`` over a DEALER,
            as the host's ``connect_shell`` gives).
        session: The kernel's jupyter_client ``Session`` (signs the request).
    """

    def __init__(self, connect: Callable[[], Any], session: Any) -> None:
        self._connect = connect
        self.session = session
        self._stream: Any = None
        #: msg_id of the knock whose reply has not come yet, or None.
        self.waiting: str | None = None
        #: Knocks sent (for tests).
        self.sent = 0

    def knock(self) -> str | None:
        """Send a knock; its msg_id, or None while the last one waits for its reply."""
        if self.waiting is not None:
            return None
        if self._stream is None or self._stream.closed():
            self._stream = self._connect()
            self._stream.on_recv(self._on_reply)
        msg = self.session.send(self._stream, "kernel_info_request")
        self.waiting = msg["header"]["msg_id"]
        self.sent += 1
        return self.waiting

    def _on_reply(self, _msg_list: list[Any]) -> None:
        # Only knocks go out on this connection: any reply answers the one waiting.
        self.waiting = None

    def close(self) -> None:
        if self._stream is not None and not self._stream.closed():
            self._stream.on_recv(None)
            self._stream.close()
        self._stream = None
        self.waiting = None
