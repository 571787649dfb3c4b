"""One stream output's text, kept as chunks and joined only when read.

A flooding cell sends a stream message every few milliseconds, each appended to the
cell's one stream output. Concatenating each message onto a string of up to
``output_limit`` characters copies the whole output per message (quadratic in the
output); appending a chunk copies only the message. The text is joined when the journal
is read (a page polling or catching up), and the join is kept until the next append.

The text obeys the rules of :mod:`jlab_alt.journal.reducer`: ``\\r`` and ``\\b`` apply to
the last line as a terminal would, and :meth:`StreamText.cap` keeps the end of the text
behind one marker line (``ELISION_PREFIX`` ... ``]``) counting the characters dropped.
Since control characters are applied on append, the stored text holds none but a
trailing ``\\r`` waiting for the next chunk; only the last line is ever rewritten.
"""

from __future__ import annotations

from collections import deque

#: Starts the line that replaces elided stream text (the count follows).
ELISION_PREFIX = "[jlab-alt journal: "

#: Small appends are concatenated into the last chunk up to this many characters, so a
#: cell printing short lines one message each does not hold one Python string (~50
#: bytes of overhead) per line; the copy this costs is bounded by this size.
COALESCE_CHARS = 8192


def has_control(text: str) -> bool:
    """Whether ``text`` holds ``\\r`` or ``\\b``.

    Two substring tests (memchr-fast) instead of a regex character class: the regex
    scanned a 260 KB chunk in ~7 ms, most of the journal's cost under an output flood.
    """
    return "\r" in text or "\b" in text


def _apply_to_line(line: str) -> str:
    if not has_control(line):
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
    if not has_control(text):
        return text
    pending = "\r" if text.endswith("\r") and not text.endswith("\r\n") else ""
    body = text[:-1] if pending else text
    lines = body.replace("\r\n", "\n").split("\n")
    return "\n".join(_apply_to_line(line) for line in lines) + pending


def elision_line(elided: int) -> str:
    """The marker line in front of a stream whose first ``elided`` characters were dropped."""
    return f"{ELISION_PREFIX}{elided} earlier characters of this stream were not kept]\n"


class StreamText:
    """The text of one stream output (``stdout`` or ``stderr``), as appended chunks.

    ``value`` is what nbformat's ``text`` holds: the marker line when text was elided,
    then the kept text. ``len()`` is its length in characters, without joining.
    """

    __slots__ = ("_chunks", "_length", "_joined", "elided")

    def __init__(self) -> None:
        self._chunks: deque[str] = deque()
        self._length = 0
        self._joined: str | None = ""
        #: Characters dropped from the front by :meth:`cap`.
        self.elided = 0

    def __len__(self) -> int:
        return self._length + (len(elision_line(self.elided)) if self.elided else 0)

    @property
    def body(self) -> str:
        """The kept text, without the marker line."""
        if self._joined is None:
            self._joined = "".join(self._chunks)
            # Later appends start from one chunk again: reads do not pay twice.
            self._chunks = deque([self._joined]) if self._joined else deque()
        return self._joined

    @property
    def value(self) -> str:
        """The text as nbformat stores it: marker line (when elided) and kept text."""
        return elision_line(self.elided) + self.body if self.elided else self.body

    def _push(self, text: str) -> None:
        if not text:
            return
        chunks = self._chunks
        if chunks and len(text) < COALESCE_CHARS and len(chunks[-1]) + len(text) <= COALESCE_CHARS:
            chunks[-1] += text
        else:
            chunks.append(text)
        self._length += len(text)
        self._joined = None

    def _pop_last_line(self) -> str:
        """Remove and return the text after the last newline (the line a ``\\r`` may rewrite)."""
        chunks = self._chunks
        parts: list[str] = []
        while chunks:
            chunk = chunks[-1]
            cut = chunk.rfind("\n") + 1
            if cut:
                if cut < len(chunk):
                    parts.append(chunk[cut:])
                    chunks[-1] = chunk[:cut]
                break
            parts.append(chunks.pop())
        tail = "".join(reversed(parts))
        self._length -= len(tail)
        self._joined = None
        return tail

    def append(self, text: str) -> None:
        """Append ``text`` as a terminal would show it: ``\\r`` and ``\\b`` rewrite the last line."""
        if not has_control(text) and not (self._chunks and self._chunks[-1].endswith("\r")):
            # The common case: no control character here or pending; the chunk goes as is.
            self._push(text)
            return
        self._push(apply_control_chars(self._pop_last_line() + text))

    def _find_newline(self, start: int) -> int:
        """Index in the body of the first ``\\n`` at or after ``start``, or -1."""
        offset = 0
        for chunk in self._chunks:
            end = offset + len(chunk)
            if end > start:
                found = chunk.find("\n", max(0, start - offset))
                if found >= 0:
                    return offset + found
            offset = end
        return -1

    def _drop_front(self, count: int) -> None:
        chunks = self._chunks
        left = count
        while chunks and len(chunks[0]) <= left:
            left -= len(chunks.popleft())
        if left and chunks:
            chunks[0] = chunks[0][left:]
        self._length -= count
        self._joined = None

    def cap(self, limit: int) -> bool:
        """Keep at most ``limit`` characters of the body: its end, from a line start when
        one is inside the part kept (so no line is half shown). True when text was dropped."""
        length = self._length
        if length <= limit:
            return False
        keep_from = length - limit
        newline = self._find_newline(keep_from)
        if 0 <= newline < length - 1:
            keep_from = newline + 1
        self._drop_front(keep_from)
        self.elided += keep_from
        return True
