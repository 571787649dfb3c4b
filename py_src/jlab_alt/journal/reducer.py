"""Kernel messages reduced to nbformat outputs, by the rules the notebook page applies.

The page builds a cell's outputs from IOPub messages in ``ts_src/notebook/model/outputs.ts``
and ``text.ts``; this module applies the same rules on the server, so what a page catches
up with from the journal is what it would have drawn had it been open (Jupyter messaging
protocol 5.x, "IOPub"; nbformat 4 ``outputs``):

- consecutive ``stream`` messages of the same name merge into one output, with ``\\r``
  and ``\\b`` applied to the last line as a terminal would;
- ``clear_output(wait=True)`` clears only when the next output arrives;
- ``update_display_data`` replaces data and metadata of every output with that
  ``transient.display_id`` (the journal applies it across cells);
- ``execute_result`` keeps its ``execution_count``; ``transient`` is never saved.

Outputs are bounded: a stream longer than ``output_limit`` characters keeps its end
behind an elision marker line, and a rich output larger than ``output_limit`` bytes is
replaced by a ``text/plain`` marker.
"""

from __future__ import annotations

import json
from typing import Any


def _has_control(text: str) -> bool:
    # Two substring tests (memchr-fast) instead of a regex character class: the regex
    # scanned a 260 KB chunk in ~7 ms, most of the journal's cost under an output flood.
    return "\r" in text or "\b" in text


#: Starts the line that replaces elided stream text (the count follows).
ELISION_PREFIX = "[jlab-alt journal: "
#: The first output of a cell whose oldest outputs were dropped for the kernel's byte cap.
DROPPED_MARKER = {"output_type": "stream", "name": "stderr", "text": f"{ELISION_PREFIX}earlier outputs were not kept]\n"}


def _apply_to_line(line: str) -> str:
    if not _has_control(line):
        return line
    buffer: list[str] = []
    cursor = 0
    for ch in line:
        if ch == "\r":
            cursor = 0
        elif ch == "\b":
            # As the page does: erase at the end of the line, only move back inside it.
            if cursor > 0:
                if cursor == len(buffer):
                    buffer.pop()
                cursor -= 1
        else:
            if cursor < len(buffer):
                buffer[cursor] = ch
            else:
                buffer.append(ch)
            cursor += 1
    return "".join(buffer)


def apply_control_chars(text: str) -> str:
    """Apply ``\\r`` and ``\\b`` in ``text`` (``\\r\\n`` stays a newline; a trailing ``\\r`` waits)."""
    if not _has_control(text):
        return text
    pending = "\r" if text.endswith("\r") and not text.endswith("\r\n") else ""
    body = text[:-1] if pending else text
    lines = body.replace("\r\n", "\n").split("\n")
    return "\n".join(_apply_to_line(line) for line in lines) + pending


def join_multiline(value: Any) -> str:
    """nbformat multiline strings are a string or a list of lines."""
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return value if isinstance(value, str) else ""


def _size(value: Any) -> int:
    """About the characters of ``value`` as JSON, for the caps: string lengths plus a little
    per item. Walks the structure instead of serializing it (``json.dumps`` of a 260 KB
    output took ~3 ms, and a flood brings dozens a second)."""
    if isinstance(value, str):
        return len(value) + 2
    if isinstance(value, dict):
        return 2 + sum(len(str(k)) + 4 + _size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return 2 + sum(_size(v) + 1 for v in value)
    if value is None or isinstance(value, (bool, int, float)):
        return 8
    try:
        return len(json.dumps(value, ensure_ascii=False))
    except (TypeError, ValueError):
        return 0


class OutputList:
    """The outputs of one cell (or one Output widget) built from IOPub messages.

    Args:
        output_limit: Most characters of one stream output, and most bytes of one rich
            output's JSON, kept; beyond that the marker described in the module doc.
    """

    def __init__(self, output_limit: int) -> None:
        self.output_limit = output_limit
        self.outputs: list[dict[str, Any]] = []
        self.display_ids: list[str | None] = []
        self.clear_pending = False
        #: Characters of stream text dropped from the front of the last stream output.
        self._elided: dict[int, int] = {}
        self._sizes: list[int] = []

    @property
    def nbytes(self) -> int:
        """About how many bytes the outputs hold (for the journal's caps)."""
        return sum(self._sizes)

    def _flush_clear(self) -> None:
        if self.clear_pending:
            self.clear(False)

    def clear(self, wait: bool = False) -> None:
        """``clear_output``; with ``wait`` only when the next output arrives."""
        if wait:
            self.clear_pending = True
            return
        self.clear_pending = False
        self.outputs = []
        self.display_ids = []
        self._sizes = []
        self._elided = {}

    def add_stream(self, name: str, text: str) -> None:
        """Append ``text`` to stream ``name`` (``stdout``/``stderr``), merged into the last
        output when it is the same stream, with ``\\r`` and ``\\b`` applied as a terminal
        would (nbformat stream outputs; the notebook view does the same)."""
        self._flush_clear()
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last.get("output_type") == "stream" and last.get("name") == name:
            index = len(self.outputs) - 1
            current = last["text"]
            cut = current.rfind("\n") + 1
            if cut == len(current) and not _has_control(text):
                # The common case (whole lines, no \r or \b): one concatenation, no slices.
                merged = current + text
            else:
                merged = current[:cut] + apply_control_chars(current[cut:] + text)
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": ""})
            self.display_ids.append(None)
            self._sizes.append(0)
            index = len(self.outputs) - 1
            merged = apply_control_chars(text)
        self.outputs[index]["text"] = self._cap_stream(index, merged)
        self._sizes[index] = len(self.outputs[index]["text"])

    def _cap_stream(self, index: int, text: str) -> str:
        limit = self.output_limit
        elided = self._elided.get(index, 0)
        marker_end = 0
        if elided:
            # The marker is the first line; the real text follows it.
            marker_end = text.find("\n") + 1
        # Indices into `text` rather than a copy of its body: under a flood this runs on
        # every message with a body of `limit` characters.
        body_len = len(text) - marker_end
        if body_len <= limit:
            return text
        # Keep the end of the stream, cut at a line start so no line is half shown.
        keep_from = body_len - limit
        nl = text.find("\n", marker_end + keep_from)
        if 0 <= nl - marker_end < body_len - 1:
            keep_from = nl - marker_end + 1
        elided += keep_from
        self._elided[index] = elided
        return f"{ELISION_PREFIX}{elided} earlier characters of this stream were not kept]\n" + text[marker_end + keep_from :]

    def add_output(self, output: dict[str, Any], display_id: str | None = None) -> None:
        """Add a ``display_data``, ``execute_result`` or ``error`` output."""
        self._flush_clear()
        size = _size(output)
        if size > self.output_limit and output.get("output_type") in ("display_data", "execute_result"):
            output = {
                **output,
                "data": {"text/plain": f"{ELISION_PREFIX}an output of {size} bytes was not kept]"},
                "metadata": {},
            }
            size = _size(output)
        self.outputs.append(output)
        self.display_ids.append(display_id)
        self._sizes.append(size)

    def update_display(self, display_id: str, data: dict[str, Any], metadata: dict[str, Any]) -> bool:
        """Replace data and metadata of outputs with ``display_id``; True when one changed."""
        changed = False
        for i, did in enumerate(self.display_ids):
            if did == display_id:
                self.outputs[i] = {**self.outputs[i], "data": data, "metadata": metadata}
                self._sizes[i] = _size(self.outputs[i])
                changed = True
        return changed

    def _has_marker(self) -> bool:
        return bool(self.outputs) and self.outputs[0] == DROPPED_MARKER

    def drop_oldest(self) -> bool:
        """Shrink for the kernel's byte cap: drop the oldest output (a marker takes its place),
        or halve the last one left when it is a long stream. False when nothing can go."""
        start = 1 if self._has_marker() else 0
        if len(self.outputs) - start > 1:
            del self.outputs[start], self.display_ids[start], self._sizes[start]
            self._elided = {i - 1: n for i, n in self._elided.items() if i > start}
            if start == 0:
                self.outputs.insert(0, dict(DROPPED_MARKER))
                self.display_ids.insert(0, None)
                self._sizes.insert(0, len(DROPPED_MARKER["text"]))
                self._elided = {i + 1: n for i, n in self._elided.items()}
            return True
        if len(self.outputs) - start == 1 and self.outputs[start].get("output_type") == "stream":
            before = self._sizes[start]
            if before <= 1024:
                return False
            saved_limit = self.output_limit
            self.output_limit = before // 2
            try:
                text = self._cap_stream(start, self.outputs[start]["text"])
            finally:
                self.output_limit = saved_limit
            self.outputs[start]["text"] = text
            self._sizes[start] = len(text)
            return self._sizes[start] < before
        return False

    def apply(self, msg_type: str, content: dict[str, Any]) -> bool:
        """Apply one IOPub message's content; True when it touched the outputs.

        ``update_display_data`` is not handled here (the journal applies it to every
        list holding the display).
        """
        if msg_type == "stream":
            self.add_stream(str(content.get("name", "stdout")), join_multiline(content.get("text")))
        elif msg_type in ("display_data", "execute_result"):
            output: dict[str, Any] = {
                "output_type": msg_type,
                "data": content.get("data") or {},
                "metadata": content.get("metadata") or {},
            }
            if msg_type == "execute_result":
                output = {"output_type": msg_type, "data": output["data"], "execution_count": content.get("execution_count"), "metadata": output["metadata"]}
            display_id = (content.get("transient") or {}).get("display_id")
            self.add_output(output, display_id if isinstance(display_id, str) else None)
        elif msg_type == "error":
            self.add_output(
                {
                    "output_type": "error",
                    "ename": content.get("ename", ""),
                    "evalue": content.get("evalue", ""),
                    "traceback": content.get("traceback") or [],
                }
            )
        elif msg_type == "clear_output":
            self.clear(bool(content.get("wait")))
        else:
            return False
        return True

    def to_json(self) -> dict[str, Any]:
        """``outputs`` (nbformat output dicts), ``display_ids`` (each output's display_id or None,
        in step with ``outputs``) and ``clear_pending`` (a ``clear_output(wait=True)`` not yet applied)."""
        return {"outputs": self.outputs, "display_ids": self.display_ids, "clear_pending": self.clear_pending}
