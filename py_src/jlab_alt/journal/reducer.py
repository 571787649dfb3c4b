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

from .stream_text import ELISION_PREFIX, StreamText, apply_control_chars, has_control

__all__ = ["DROPPED_MARKER", "ELISION_PREFIX", "OutputList", "apply_control_chars", "has_control", "join_multiline"]


#: The first output of a cell whose oldest outputs were dropped for the kernel's byte cap.
DROPPED_MARKER = {"output_type": "stream", "name": "stderr", "text": f"{ELISION_PREFIX}earlier outputs were not kept]\n"}


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

    Stream outputs hold their text as a :class:`StreamText` (chunks, joined when read);
    :attr:`outputs` gives the nbformat dicts.

    Args:
        output_limit: Most characters of one stream output, and most bytes of one rich
            output's JSON, kept; beyond that the marker described in the module doc.
    """

    def __init__(self, output_limit: int) -> None:
        self.output_limit = output_limit
        #: nbformat output dicts, but a stream's ``text`` is a :class:`StreamText`.
        self._items: list[dict[str, Any]] = []
        self.display_ids: list[str | None] = []
        self.clear_pending = False
        self._sizes: list[int] = []
        #: The first item is :data:`DROPPED_MARKER`.
        self._marker_first = False

    @property
    def outputs(self) -> list[dict[str, Any]]:
        """The outputs as nbformat dicts (stream text joined now; a new list each call)."""
        return [
            {**item, "text": item["text"].value} if isinstance(item.get("text"), StreamText) else item
            for item in self._items
        ]

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
        self._items = []
        self.display_ids = []
        self._sizes = []
        self._marker_first = False

    def add_stream(self, name: str, text: str) -> None:
        """Append ``text`` to stream ``name`` (``stdout``/``stderr``), merged into the last
        output when it is the same stream, with ``\\r`` and ``\\b`` applied as a terminal
        would (nbformat stream outputs; the notebook view does the same)."""
        self._flush_clear()
        last = self._items[-1] if self._items else None
        merge = (
            last is not None
            and last.get("output_type") == "stream"
            and last.get("name") == name
            and not (self._marker_first and len(self._items) == 1)
        )
        if merge:
            assert last is not None
            stream: StreamText = last["text"]
        else:
            stream = StreamText()
            self._items.append({"output_type": "stream", "name": name, "text": stream})
            self.display_ids.append(None)
            self._sizes.append(0)
        stream.append(text)
        stream.cap(self.output_limit)
        self._sizes[-1] = len(stream)

    def add_output(self, output: dict[str, Any], display_id: str | None = None) -> None:
        """Add a ``display_data``, ``execute_result`` or ``error`` output (or a marker stream
        whose ``text`` is a plain string)."""
        self._flush_clear()
        size = _size(output)
        if size > self.output_limit and output.get("output_type") in ("display_data", "execute_result"):
            output = {
                **output,
                "data": {"text/plain": f"{ELISION_PREFIX}an output of {size} bytes was not kept]"},
                "metadata": {},
            }
            size = _size(output)
        if output.get("output_type") == "stream" and isinstance(output.get("text"), str):
            stream = StreamText()
            stream.append(output["text"])
            output = {**output, "text": stream}
        self._items.append(output)
        self.display_ids.append(display_id)
        self._sizes.append(size)

    def update_display(self, display_id: str, data: dict[str, Any], metadata: dict[str, Any]) -> bool:
        """Replace data and metadata of outputs with ``display_id``; True when one changed."""
        changed = False
        for i, did in enumerate(self.display_ids):
            if did == display_id:
                self._items[i] = {**self._items[i], "data": data, "metadata": metadata}
                self._sizes[i] = _size(self._items[i])
                changed = True
        return changed

    def drop_oldest(self) -> bool:
        """Shrink for the kernel's byte cap: drop the oldest output (a marker takes its place),
        or halve the last one left when it is a long stream. False when nothing can go."""
        start = 1 if self._marker_first else 0
        if len(self._items) - start > 1:
            del self._items[start], self.display_ids[start], self._sizes[start]
            if start == 0:
                self._items.insert(0, {**DROPPED_MARKER, "text": _fixed(DROPPED_MARKER["text"])})
                self.display_ids.insert(0, None)
                self._sizes.insert(0, len(DROPPED_MARKER["text"]))
                self._marker_first = True
            return True
        if len(self._items) - start == 1 and self._items[start].get("output_type") == "stream":
            before = self._sizes[start]
            if before <= 1024:
                return False
            stream: StreamText = self._items[start]["text"]
            stream.cap(before // 2)
            self._sizes[start] = len(stream)
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


def _fixed(text: str) -> StreamText:
    stream = StreamText()
    stream.append(text)
    return stream
