"""What each kernel ran and printed, kept on the server whether or not a page is open.

A :class:`KernelJournal` per kernel is fed three kinds of messages:

- ``execute_request`` from any page's kernel WebSocket, before the host forwards it:
  it names the cell (``metadata.cellId``, as JupyterLab and jlab-alt send it) and the
  page's client session (``header.session``);
- every IOPub message of the kernel, from the journal's own subscription opened when
  the kernel started (:mod:`jlab_alt.journal.plugin`), so nothing depends on a browser;
- ``input_request``/``input_reply`` on stdin, seen where the host relays or buffers them.

Executions are linked to their messages by ``parent_header.msg_id`` and reduced to nbformat
outputs by :class:`jlab_alt.journal.reducer.OutputList`. Output-widget captures are routed
to the widget, not the cell, as nbclient does (nbclient: ``output_widget.py``): while an
Output widget's ``msg_id`` state names an execution, that execution's outputs belong to
the widget.

Bounds: each output is capped (``output_limit``); the kernel's whole journal is capped
(``kernel_limit`` bytes): finished executions already saved to the notebook go first,
then the oldest finished ones, then the oldest outputs of running ones.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from .cell_key import derived_cell_key
from .reducer import ELISION_PREFIX, OutputList

#: The output line of an execution some of whose IOPub messages the journal never received
#: (its socket overflowed while the server was busy; see :mod:`jlab_alt.journal.flow`).
LOST_MARKER_TEXT = f"{ELISION_PREFIX}some output was not recorded while the server was busy]\n"

#: The IOPub messages an execution's record is built from (see :meth:`KernelJournal.on_iopub`).
_EXECUTION_TYPES = frozenset(
    ("status", "execute_input", "stream", "display_data", "execute_result", "error", "clear_output")
)
_CAPTURED_TYPES = frozenset(("stream", "display_data", "execute_result", "error", "clear_output"))

#: Execution states, in order: sent, started by the kernel, finished; or given up.
STATES = ("queued", "running", "done", "aborted")

#: The ``status`` of an execution that ended while its last messages (its ``status: idle``,
#: maybe more) were lost: it is over, but whether it succeeded is not known.
UNKNOWN = "unknown"


@dataclass
class Execution:
    """One ``execute_request`` and what came of it."""

    msg_id: str
    cell_id: str | None
    session: str
    outputs: OutputList
    state: str = "queued"
    #: ``ok``, ``error`` or ``aborted`` once finished (from the outputs and the status messages);
    #: ``unknown`` when its end was among lost messages (see :data:`UNKNOWN`).
    status: str | None = None
    execution_count: int | None = None
    requested: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    #: The pending ``input_request`` (``{"prompt", "password", "header"}``) while the cell waits on input.
    input_request: dict[str, Any] | None = None
    #: The last journal sequence number that changed this execution.
    seq: int = 0
    #: Finished before the notebook was last saved: its outputs are in the file.
    saved: bool = False
    saw_input: bool = False
    #: Some of its IOPub messages were lost (dropped by the journal's socket): its outputs are partial.
    incomplete: bool = False
    #: Sent for a subshell (``header.subshell_id``), which runs beside the main shell: a
    #: barrier on the main shell says nothing about it.
    subshell: bool = False
    #: Taken for lost (finished, marked incomplete) by a barrier before the kernel started it.
    guessed: bool = False

    def to_json(self) -> dict[str, Any]:
        """This execution as the journal API sends it: ``msg_id``, ``cell_id``, ``session``,
        ``state`` (queued/running/done/aborted), ``status`` (ok/error/aborted, or unknown when
        its end was lost; null while it runs), ``execution_count``,
        ``requested``/``started``/``finished`` (epoch seconds or None), ``input_request``,
        ``seq``, ``incomplete`` (True when messages of it were lost: the outputs are partial,
        and hold a marker line where it was noticed), and the reduced outputs (see :meth:`OutputReducer.to_json`)."""
        return {
            "msg_id": self.msg_id,
            "cell_id": self.cell_id,
            "session": self.session,
            "state": self.state,
            "status": self.status,
            "execution_count": self.execution_count,
            "requested": self.requested,
            "started": self.started,
            "finished": self.finished,
            "input_request": self.input_request,
            "seq": self.seq,
            "incomplete": self.incomplete,
            **self.outputs.to_json(),
        }


class KernelJournal:
    """The journal of one kernel.

    Args:
        kernel_id: The host's kernel id.
        output_limit: Cap of one output (see :class:`OutputList`).
        kernel_limit: Cap of the whole journal, in bytes of output.
        max_executions: Most executions kept (finished ones are evicted first).
    """

    def __init__(self, kernel_id: str, output_limit: int, kernel_limit: int, max_executions: int = 1000) -> None:
        self.kernel_id = kernel_id
        self.output_limit = output_limit
        self.kernel_limit = kernel_limit
        self.max_executions = max_executions
        self.executions: OrderedDict[str, Execution] = OrderedDict()
        #: Outputs captured by Output widgets, by widget model id.
        self.widgets: dict[str, OutputList] = {}
        self._output_widgets: set[str] = set()
        #: Execution msg_id -> stack of Output widget ids capturing its outputs.
        self._captures: dict[str, list[str]] = {}
        self.seq = 0
        #: Set when the kernel restarted or died: running work was aborted.
        self.restarts = 0
        #: msg_ids of the executions still queued or running (what a barrier may finish).
        self.unfinished: set[str] = set()
        #: msg_ids of running executions that lost messages: the next execution's start ends them.
        self._lossy_running: set[str] = set()
        self._changed = asyncio.Event()

    # -- changes and waiting -------------------------------------------------------

    def _touch(self, execution: Execution | None = None) -> None:
        self.seq += 1
        if execution is not None:
            execution.seq = self.seq
        self._changed.set()

    async def wait_for_change(self, after: int, timeout: float) -> None:
        """Return once ``seq > after`` or after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while self.seq <= after:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except asyncio.TimeoutError:
                return

    # -- inputs --------------------------------------------------------------------

    def on_execute_request(self, header: dict[str, Any], metadata: dict[str, Any]) -> None:
        """A page sent ``execute_request`` (seen before the host forwards it)."""
        msg_id = header.get("msg_id")
        if not isinstance(msg_id, str) or msg_id in self.executions:
            return
        cell_id = metadata.get("cellId") if isinstance(metadata, dict) else None
        execution = Execution(
            msg_id=msg_id,
            cell_id=cell_id if isinstance(cell_id, str) else None,
            session=str(header.get("session", "")),
            outputs=OutputList(self.output_limit),
            subshell=header.get("subshell_id") is not None,
        )
        self.executions[msg_id] = execution
        self.unfinished.add(msg_id)
        self._touch(execution)
        self._enforce_limits()

    def wants(self, msg_type: str | None, parent_id: str | None) -> bool:
        """Whether :meth:`on_iopub` would use a message of this type and parent: the
        reader decodes the content of the others not at all (see :mod:`.flow`)."""
        if msg_type in ("comm_open", "update_display_data"):
            return True
        if msg_type == "comm_msg":
            # Only Output widgets' state updates matter, and only once one was opened.
            return bool(self._output_widgets)
        if msg_type in _CAPTURED_TYPES and parent_id in self._captures:
            return True
        execution = self.executions.get(parent_id or "")
        return execution is not None and execution.state != "aborted" and msg_type in _EXECUTION_TYPES

    def mark_lost(self, parent_ids: set[str]) -> None:
        """IOPub messages of these executions were lost: mark them incomplete, with a
        marker line in their outputs (once each), so a page knows what it shows is partial."""
        for parent_id in parent_ids:
            execution = self.executions.get(parent_id)
            if execution is None or execution.incomplete:
                continue
            self._mark_incomplete(execution)
            if execution.state == "running":
                self._lossy_running.add(parent_id)
            self._touch(execution)
        self._enforce_limits()

    def _mark_incomplete(self, execution: Execution) -> None:
        execution.incomplete = True
        execution.outputs.add_output({"output_type": "stream", "name": "stderr", "text": LOST_MARKER_TEXT})

    def unfinished_before(self, requested: float) -> list[str]:
        """msg_ids of the main shell's executions requested before ``requested`` (epoch
        seconds) and not finished: what a barrier sent now may finish (see :meth:`on_barrier`)."""
        return [
            msg_id
            for msg_id in self.unfinished
            if (e := self.executions.get(msg_id)) is not None and not e.subshell and e.requested < requested
        ]

    def on_barrier(self, msg_ids: list[str]) -> None:
        """The kernel began a request sent after these executions (the journal's knock,
        :mod:`jlab_alt.journal.plugin`): it runs the main shell's requests one at a time and
        in order, and publishes on one socket in order, so their ``status: idle`` came
        before this and, if the journal never received it, was lost. Each still unfinished
        is finished with status ``unknown`` and marked incomplete."""
        for msg_id in msg_ids:
            execution = self.executions.get(msg_id)
            if execution is None or execution.state not in ("queued", "running"):
                continue
            if not execution.incomplete:
                self._mark_incomplete(execution)
                execution.guessed = execution.started is None
            self._finish(execution, UNKNOWN)
            self._touch(execution)

    def on_iopub(self, msg: dict[str, Any]) -> None:
        """One IOPub message of the kernel (deserialized, content included)."""
        msg_type = msg.get("header", {}).get("msg_type") or msg.get("msg_type")
        content = msg.get("content") or {}
        parent_id = (msg.get("parent_header") or {}).get("msg_id")
        if msg_type in ("comm_open", "comm_msg"):
            self._on_comm(msg_type, content)
            return
        if msg_type == "update_display_data":
            self._update_display(content)
            return
        captured = self._captures.get(parent_id or "")
        if captured and msg_type in ("stream", "display_data", "execute_result", "error", "clear_output"):
            widget = self.widgets.setdefault(captured[-1], OutputList(self.output_limit))
            widget.apply(msg_type, content)
            self._touch()
            self._enforce_limits()
            return
        execution = self.executions.get(parent_id or "")
        if execution is None or execution.state == "aborted":
            # Aborted by a restart: what the dying kernel still sends for it is stale.
            return
        if msg_type == "status":
            state = content.get("execution_state")
            if state == "busy":
                self._finish_incomplete_before(execution)
                self._reopen_if_guessed(execution)
            if state == "busy" and execution.state == "queued":
                execution.state = "running"
                execution.started = time.time()
                if execution.incomplete:
                    self._lossy_running.add(execution.msg_id)
            elif state == "idle" and execution.state in ("queued", "running"):
                self._finish(execution, "ok" if execution.saw_input else "aborted")
            else:
                return
        elif msg_type == "execute_input":
            self._reopen_if_guessed(execution)
            if execution.cell_id is None and isinstance(content.get("code"), str):
                # A client that names no cell (not a jlab-alt page): key the run by its code,
                # as a page keys a cell without an id (nbformat < 4.5); see cell_key.py.
                execution.cell_id = derived_cell_key(content["code"])
            execution.saw_input = True
            execution.state = "running"
            if execution.incomplete:
                self._lossy_running.add(execution.msg_id)
            execution.started = execution.started or time.time()
            count = content.get("execution_count")
            execution.execution_count = count if isinstance(count, int) else None
        elif execution.outputs.apply(msg_type, content):
            if msg_type == "error":
                execution.status = "error"
            if execution.input_request is not None and msg_type != "clear_output":
                # Output after the prompt: the answer was given.
                execution.input_request = None
        else:
            return
        self._touch(execution)
        self._enforce_limits()

    def on_input_request(self, header: dict[str, Any], parent_header: dict[str, Any], content: dict[str, Any]) -> None:
        """The kernel asks for input (``input()``, ``getpass()``) for an execution."""
        execution = self.executions.get(parent_header.get("msg_id", ""))
        if execution is None:
            return
        execution.input_request = {
            "prompt": str(content.get("prompt", "")),
            "password": bool(content.get("password")),
            "header": header,
        }
        self._touch(execution)

    def on_input_reply(self, parent_header: dict[str, Any]) -> None:
        """A page answered an ``input_request`` (whose header is ``parent_header``)."""
        request_id = parent_header.get("msg_id")
        for execution in self.executions.values():
            if execution.input_request and execution.input_request["header"].get("msg_id") == request_id:
                execution.input_request = None
                self._touch(execution)

    def on_restart(self) -> None:
        """The kernel restarted (or died): what was queued or running is aborted."""
        self.restarts += 1
        for execution in self.executions.values():
            if execution.state in ("queued", "running"):
                execution.input_request = None
                self._finish(execution, "aborted", state="aborted")
                self._touch(execution)
        self._captures.clear()
        self._touch()

    def mark_saved(self, before: float) -> None:
        """The notebook was saved at ``before``: executions finished earlier are in the file."""
        for execution in self.executions.values():
            if execution.finished is not None and execution.finished <= before:
                execution.saved = True
        self._enforce_limits()

    # -- internals -----------------------------------------------------------------

    def _finish(self, execution: Execution, status: str, state: str = "done") -> None:
        execution.state = state
        # An error output seen decides an end otherwise told by the idle status (or unknown).
        execution.status = "error" if execution.status == "error" and status in ("ok", UNKNOWN) else status
        execution.finished = time.time()
        self._captures.pop(execution.msg_id, None)
        self.unfinished.discard(execution.msg_id)
        self._lossy_running.discard(execution.msg_id)

    def _finish_incomplete_before(self, starting: Execution) -> None:
        """``starting`` begins: an execution still running that lost messages lost its idle
        status among them (the kernel runs one execution at a time), so it is over; how it
        ended is not known."""
        for msg_id in list(self._lossy_running):
            execution = self.executions.get(msg_id)
            if execution is starting:
                continue
            if execution is None or execution.state != "running":
                self._lossy_running.discard(msg_id)
                continue
            self._finish(execution, UNKNOWN)
            self._touch(execution)

    def _reopen_if_guessed(self, execution: Execution) -> None:
        """An execution a barrier took for finished starts after all (its request reached
        the kernel after the barrier's): it runs, and its end will be seen."""
        if execution.state == "done" and execution.status == UNKNOWN and execution.started is None:
            execution.state = "queued"
            execution.status = None
            execution.finished = None
            self.unfinished.add(execution.msg_id)
            if execution.guessed:
                # Nothing of it was lost: the marker (its only output) goes.
                execution.guessed = execution.incomplete = False
                execution.outputs.clear()

    def _on_comm(self, msg_type: str, content: dict[str, Any]) -> None:
        comm_id = content.get("comm_id")
        data = content.get("data") or {}
        if not isinstance(comm_id, str) or not isinstance(data, dict):
            return
        state = data.get("state") or {}
        if msg_type == "comm_open":
            if isinstance(state, dict) and state.get("_model_name") == "OutputModel":
                self._output_widgets.add(comm_id)
            return
        if comm_id not in self._output_widgets or data.get("method") != "update" or not isinstance(state, dict):
            return
        if "msg_id" not in state:
            return
        target = state.get("msg_id")
        # Leaving a capture: the widget stops taking whatever execution it captured.
        for stack in self._captures.values():
            if comm_id in stack:
                stack.remove(comm_id)
        if isinstance(target, str) and target:
            self._captures.setdefault(target, []).append(comm_id)
        self._captures = {k: v for k, v in self._captures.items() if v}

    def _update_display(self, content: dict[str, Any]) -> None:
        display_id = (content.get("transient") or {}).get("display_id")
        if not isinstance(display_id, str):
            return
        data = content.get("data") or {}
        metadata = content.get("metadata") or {}
        touched = False
        for execution in self.executions.values():
            if execution.outputs.update_display(display_id, data, metadata):
                self._touch(execution)
                touched = True
        for widget in self.widgets.values():
            if widget.update_display(display_id, data, metadata):
                touched = True
        if touched:
            self._touch()

    @property
    def nbytes(self) -> int:
        """Bytes held by this kernel's executions and widget captures (what ``kernel_limit`` caps)."""
        return sum(e.outputs.nbytes for e in self.executions.values()) + sum(w.nbytes for w in self.widgets.values())

    def _evictable(self) -> list[Execution]:
        done = [e for e in self.executions.values() if e.state in ("done", "aborted")]
        # Saved ones first (their outputs are in the file), oldest first within each group.
        return [e for e in done if e.saved] + [e for e in done if not e.saved]

    def _enforce_limits(self) -> None:
        while len(self.executions) > self.max_executions:
            victims = self._evictable()
            if not victims:
                break
            self.executions.pop(victims[0].msg_id, None)
            self.unfinished.discard(victims[0].msg_id)
        total = self.nbytes
        if total <= self.kernel_limit:
            return
        for victim in self._evictable():
            if total <= self.kernel_limit:
                return
            total -= victim.outputs.nbytes
            self.executions.pop(victim.msg_id, None)
        # Still over: running executions (or widgets) lose their oldest outputs.
        holders = [e.outputs for e in self.executions.values()] + list(self.widgets.values())
        for outputs in holders:
            while total > self.kernel_limit:
                before = outputs.nbytes
                if not outputs.drop_oldest() or outputs.nbytes >= before:
                    break
                total += outputs.nbytes - before
            if total <= self.kernel_limit:
                return

    def to_json(self, cell_ids: set[str] | None = None, after: int = 0) -> dict[str, Any]:
        """The executions changed after sequence ``after`` (of cells ``cell_ids``, when given)."""
        executions = [
            e.to_json()
            for e in self.executions.values()
            if e.seq > after and (cell_ids is None or e.cell_id in cell_ids)
        ]
        return {
            "kernel_id": self.kernel_id,
            "seq": self.seq,
            "restarts": self.restarts,
            "executions": executions,
            "widgets": {k: w.to_json() for k, w in self.widgets.items()},
        }
