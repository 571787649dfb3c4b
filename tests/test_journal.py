"""The server-side execution journal (``jlab_alt.journal``), with real ipykernels.

A test plays a page: it opens the kernel's WebSocket, sends ``execute_request`` with
``metadata.cellId`` as the notebook page does, and often closes the socket at once, as
a closed tab would. What the kernel does after that is read from
``GET /jlab-alt/api/journal?path=...``. Tests wait on the journal's answers, never on sleeps.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from typing import Any

import pytest

from jlab_alt.journal.cell_key import derived_cell_key, source_hash
from jlab_alt.journal import memory
from jlab_alt.journal.flow import IopubReader, Knocker, LossDetector
from jlab_alt.journal.recorder import LOST_MARKER_TEXT, UNKNOWN, KernelJournal
from jlab_alt.journal.reducer import ELISION_PREFIX, OutputList, apply_control_chars
from jlab_alt.journal.stream_text import StreamText, elision_line

NB = "work.ipynb"


# -- the reducer and recorder with synthetic messages ----------------------------------


def test_control_characters_as_the_page_applies_them():
    assert apply_control_chars("10%\r20%\r30%") == "30%"
    assert apply_control_chars("abc\bd\n") == "abd\n"
    assert apply_control_chars("one\r\ntwo\r") == "one\ntwo\r"


def test_streams_merge_and_progress_bars_end_as_their_last_frame():
    out = OutputList(1000)
    out.apply("stream", {"name": "stdout", "text": "start\n"})
    for i in range(5):
        out.apply("stream", {"name": "stdout", "text": f"\r{i * 25}%"})
    out.apply("stream", {"name": "stderr", "text": "warn\n"})
    out.apply("stream", {"name": "stdout", "text": "\n"})
    assert out.outputs == [
        {"output_type": "stream", "name": "stdout", "text": "start\n100%"},
        {"output_type": "stream", "name": "stderr", "text": "warn\n"},
        {"output_type": "stream", "name": "stdout", "text": "\n"},
    ]


def test_clear_output_wait_clears_only_at_the_next_output():
    out = OutputList(1000)
    out.apply("display_data", {"data": {"text/plain": "frame 1"}, "metadata": {}})
    out.apply("clear_output", {"wait": True})
    assert len(out.outputs) == 1
    out.apply("display_data", {"data": {"text/plain": "frame 2"}, "metadata": {}})
    assert [o["data"]["text/plain"] for o in out.outputs] == ["frame 2"]


def test_a_long_stream_keeps_its_end_behind_a_marker():
    out = OutputList(100)
    for i in range(50):
        out.apply("stream", {"name": "stdout", "text": f"line {i}\n"})
    text = out.outputs[0]["text"]
    assert text.startswith(ELISION_PREFIX) and text.endswith("line 49\n")
    assert len(text) < 200
    big = {"data": {"image/png": "A" * 500}, "metadata": {}}
    out.apply("display_data", big)
    assert ELISION_PREFIX in out.outputs[-1]["data"]["text/plain"]


def test_a_capped_stream_is_the_exact_end_of_what_was_printed_however_it_was_chunked():
    # Chunks cut mid-line and at line ends take the two merge paths of add_stream.
    printed = "".join(f"line {i:05d}\n" for i in range(3000))
    out = OutputList(1000)
    pos, step = 0, 1
    while pos < len(printed):
        out.apply("stream", {"name": "stdout", "text": printed[pos : pos + step]})
        pos += step
        step = step * 7 % 97 + 1
    text = out.outputs[0]["text"]
    marker, body = text.split("\n", 1)
    elided = int(marker[len(ELISION_PREFIX) :].split()[0])
    assert body == printed[elided:]
    assert len(body) <= 1000 and body.startswith("line ")
    assert out.nbytes == len(text)


def test_progress_bars_still_end_as_their_last_frame_once_a_stream_is_capped():
    out = OutputList(100)
    out.apply("stream", {"name": "stdout", "text": "".join(f"{i}\n" for i in range(100))})
    for i in range(101):
        out.apply("stream", {"name": "stdout", "text": f"\r{i}%"})
    assert out.outputs[0]["text"].startswith(ELISION_PREFIX)
    assert out.outputs[0]["text"].endswith("\n99\n100%")


def test_output_sizes_for_the_caps_are_close_to_their_json():
    output = {
        "output_type": "display_data",
        "data": {"text/plain": "x" * 5000, "text/html": "<b>é</b>" * 300, "application/json": {"a": [1, 2.5, None, True]}},
        "metadata": {"isolated": True},
    }
    out = OutputList(10**6)
    out.add_output(output)
    exact = len(json.dumps(output, ensure_ascii=False))
    assert abs(out.nbytes - exact) <= exact * 0.05


def test_a_flood_of_streams_and_displays_in_one_running_cell_stays_under_the_kernel_cap():
    journal = KernelJournal("k", 50_000, 1_000_000)
    _run(journal, "m1", "c1")
    chunk = ("x" * 99 + "\n") * 26
    for n in range(1, 2001):
        journal.on_iopub(_msg("stream", "m1", name="stdout", text=chunk))
        if n % 4 == 0:
            journal.on_iopub(_msg("display_data", "m1", data={"text/plain": f"display {n}"}, metadata={}))
        assert journal.nbytes <= 1_000_000
    outputs = journal.executions["m1"].outputs.outputs
    # The newest outputs are kept, the oldest dropped behind the marker.
    assert outputs[-1]["data"]["text/plain"] == "display 2000"
    assert outputs[0]["text"].startswith(ELISION_PREFIX)


def _joined_reference(chunks: list[str], limit: int) -> str:
    """The stream as the journal built it before chunks: one string, re-concatenated and
    re-capped on every message (the rules of reducer.py, kept here as the oracle)."""
    text, elided = "", 0
    for chunk in chunks:
        body = text.split("\n", 1)[1] if elided else text
        cut = body.rfind("\n") + 1
        body = body[:cut] + apply_control_chars(body[cut:] + chunk)
        if len(body) > limit:
            keep_from = len(body) - limit
            nl = body.find("\n", keep_from)
            if 0 <= nl < len(body) - 1:
                keep_from = nl + 1
            elided += keep_from
            body = body[keep_from:]
        text = elision_line(elided) + body if elided else body
    return text


def test_chunked_stream_text_reads_the_same_as_one_joined_string():
    rng = random.Random(16)
    alphabet = ["a", "b", "c", "é", "\n", "\n", "\r", "\b", "\r\n", "xyz" * 30]
    for trial in range(300):
        limit = rng.choice([5, 40, 200, 10_000])
        chunks = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(rng.randint(1, 60))]
        out = OutputList(limit)
        for i, chunk in enumerate(chunks):
            out.apply("stream", {"name": "stdout", "text": chunk})
            if i % 7 == 3:
                # Reading joins the chunks; appending must go on from the joined text.
                assert out.outputs[0]["text"] == _joined_reference(chunks[: i + 1], limit), (trial, chunks[: i + 1])
        expected = _joined_reference(chunks, limit)
        assert out.outputs[0]["text"] == expected, (trial, chunks)
        assert out.nbytes == len(expected)


def test_carriage_returns_and_backspaces_across_chunk_boundaries():
    stream = StreamText()
    for chunk in ["done 1\n", "working", "\r", "10%", "\r20%", "\r", "\n", "abx", "\b", "c\n", "tail\r"]:
        stream.append(chunk)
    # A terminal overwrites, it does not erase: "working" then "\r10%" shows "10%king".
    assert stream.value == "done 1\n20%king\nabc\ntail\r"
    stream.append("new")
    assert stream.value == "done 1\n20%king\nabc\nnewl"


def test_many_small_prints_are_not_kept_one_string_each():
    stream = StreamText()
    for i in range(10_000):
        stream.append(f"{i}\n")
    assert stream.value == "".join(f"{i}\n" for i in range(10_000))
    assert len(stream._chunks) <= 2


def _counted(session: str, n: int, msg_type: str = "stream", parent: str | None = "m1", state: str | None = None) -> tuple[str, str, str | None, str | None]:
    return f"{session}_4242_{n}", msg_type, parent, state


def test_loss_detector_sees_no_loss_in_an_ordinary_run():
    detector = LossDetector()
    # busy, execute_input, outputs, (execute_reply on shell: not on IOPub), idle.
    seen = [_counted("s", 1, "status", state="busy"), _counted("s", 2, "execute_input")]
    seen += [_counted("s", n) for n in range(3, 60)]
    # Two threads of the kernel: counters 60 and 61 arrive swapped.
    seen += [_counted("s", 61), _counted("s", 60), _counted("s", 62, "display_data")]
    seen += [_counted("s", 64, "status", state="idle")]
    for message in seen:
        assert detector.observe(*message) == set(), message
    assert detector.lost == 0


def test_loss_detector_reports_dropped_messages_of_the_execution():
    detector = LossDetector(window=4)
    assert detector.observe(*_counted("s", 1, "status", state="busy")) == set()
    assert detector.observe(*_counted("s", 2)) == set()
    # 3 and 4 were dropped; the loss is confirmed once the reordering window has passed.
    assert detector.observe(*_counted("s", 5)) == set()
    lost = set()
    for n in range(6, 12):
        lost |= detector.observe(*_counted("s", n))
    assert lost == {"m1"} and detector.lost == 2
    # Or when the execution ends, whatever the window: one counter is its reply.
    detector = LossDetector(window=100)
    for n in (1, 2, 4):
        assert detector.observe(*_counted("s", n)) == set()
    assert detector.observe(*_counted("s", 6, "status", state="idle")) == {"m1"}
    assert detector.lost == 1


def test_loss_detector_counts_stdin_and_ignores_ids_without_counters():
    detector = LossDetector(window=2)
    detector.observe(*_counted("s", 1))
    detector.observe(*_counted("s", 2, "input_request"))
    for n in range(3, 10):
        assert detector.observe(*_counted("s", n)) == set()
    assert detector.observe(uuid.uuid4().hex, "stream", "m1") == set()
    assert detector.lost == 0


def test_lost_messages_leave_a_visible_marker_and_mark_the_execution_incomplete():
    journal = KernelJournal("k", 10_000, 1_000_000)
    _run(journal, "m1", "c1")
    journal.on_iopub(_msg("stream", "m1", name="stdout", text="first\n"))
    journal.mark_lost({"m1"})
    journal.mark_lost({"m1"})
    journal.on_iopub(_msg("stream", "m1", name="stdout", text="last\n"))
    answer = journal.to_json()["executions"][0]
    assert answer["incomplete"] is True
    assert [o["text"] for o in answer["outputs"]] == ["first\n", LOST_MARKER_TEXT, "last\n"]
    assert "not recorded while the server was busy" in LOST_MARKER_TEXT


def _kernel_journal_and_reader() -> tuple[Any, KernelJournal, IopubReader]:
    """A kernel's signing session, a journal, and a reader feeding it (same key): the wire side of the journal."""
    from jupyter_client.session import Session

    journal = KernelJournal("k", 10_000, 1_000_000)
    return Session(key=b"secret"), journal, IopubReader(Session(key=b"secret"), lambda: journal)


def _wire(session: Any, msg_type: str, parent_id: str | None, content: Any) -> list[bytes]:
    from jupyter_client.session import Session

    assert isinstance(session, Session)
    msg = session.msg(msg_type, content=content if isinstance(content, dict) else {}, parent={"msg_id": parent_id} if parent_id else {})
    frames = session.serialize(msg)
    if not isinstance(content, dict):
        frames[5] = content  # raw content bytes, signed below as the kernel would
        frames[1] = session.sign(frames[2:6])
    return frames


def test_the_reader_decodes_only_messages_the_journal_needs():
    kernel_session, journal, reader = _kernel_journal_and_reader()
    # Output of a request no page made (a kernel_info knock, another client): the
    # journal does not record it, so its content is never parsed (this one is not JSON).
    reader(_wire(kernel_session, "stream", "someone-else", b"not json {"))
    reader(_wire(kernel_session, "status", "someone-else", {"execution_state": "idle"}))
    assert reader.skipped == 2 and reader.decoded == 0
    journal.on_execute_request({"msg_id": "m1", "session": "s"}, {"cellId": "c1"})
    for msg_type, content in [
        ("status", {"execution_state": "busy"}),
        ("execute_input", {"code": "print('hi')", "execution_count": 1}),
        ("stream", {"name": "stdout", "text": "hi\n"}),
        ("status", {"execution_state": "idle"}),
    ]:
        reader(_wire(kernel_session, msg_type, "m1", content))
    answer = journal.to_json()["executions"][0]
    assert answer["outputs"] == [{"output_type": "stream", "name": "stdout", "text": "hi\n"}]
    assert answer["state"] == "done" and answer["incomplete"] is False
    assert reader.decoded == 4


def test_the_reader_marks_an_execution_whose_messages_were_dropped():
    kernel_session, journal, reader = _kernel_journal_and_reader()
    journal.on_execute_request({"msg_id": "m1", "session": "s"}, {"cellId": "c1"})
    reader(_wire(kernel_session, "status", "m1", {"execution_state": "busy"}))
    for i in range(100):
        frames = _wire(kernel_session, "stream", "m1", {"name": "stdout", "text": f"{i}\n"})
        if not 40 <= i < 60:  # what the socket dropped
            reader(frames)
    _wire(kernel_session, "execute_reply", "m1", {})  # on shell
    reader(_wire(kernel_session, "status", "m1", {"execution_state": "idle"}))
    answer = journal.to_json()["executions"][0]
    assert answer["incomplete"] is True and answer["state"] == "done"
    assert LOST_MARKER_TEXT in _text(answer) and _text(answer).endswith("99\n")


def test_a_run_whose_idle_was_lost_ends_unknown_when_the_next_starts():
    journal = KernelJournal("k", 10_000, 1_000_000)
    for i in range(50):
        _run(journal, f"old{i}", f"c{i}")
        journal.on_iopub(_msg("status", f"old{i}", execution_state="idle"))
    _run(journal, "m1", "c1")
    journal.on_iopub(_msg("stream", "m1", name="stdout", text="partial\n"))
    journal.mark_lost({"m1"})
    # m1's idle was among the lost messages; the next execution starting ends it.
    journal.on_execute_request({"msg_id": "m2", "session": "s"}, {"cellId": "c2"})
    journal.on_iopub(_msg("status", "m2", execution_state="busy"))
    m1 = journal.executions["m1"]
    assert (m1.state, m1.status, m1.incomplete) == ("done", UNKNOWN, True)
    assert journal.executions["m2"].state == "running"
    # Only the running executions that lost messages are looked at on each start.
    assert journal._lossy_running == set() and journal.unfinished == {"m2"}
    # A run with an error seen keeps "error": that much of its end is known.
    journal.on_iopub(_msg("error", "m2", ename="E", evalue="", traceback=[]))
    journal.mark_lost({"m2"})
    _run(journal, "m3", "c3")
    assert journal.executions["m2"].status == "error"


def test_a_barrier_ends_runs_whose_last_messages_were_all_lost():
    journal = KernelJournal("k", 10_000, 1_000_000)
    _run(journal, "m1", "c1")  # running: its idle was lost
    journal.on_execute_request({"msg_id": "m2", "session": "s"}, {"cellId": "c2"})  # everything lost
    journal.on_execute_request({"msg_id": "sub", "session": "s", "subshell_id": "x"}, {"cellId": "c4"})
    assert sorted(journal.unfinished_before(time.time() + 1)) == ["m1", "m2"]
    pending = journal.unfinished_before(time.time() + 1)
    journal.on_execute_request({"msg_id": "m3", "session": "s"}, {"cellId": "c3"})  # after the knock
    journal.on_barrier(pending)
    answer = {e["msg_id"]: e for e in journal.to_json()["executions"]}
    for msg_id in ("m1", "m2"):
        assert (answer[msg_id]["state"], answer[msg_id]["status"], answer[msg_id]["incomplete"]) == ("done", UNKNOWN, True)
        assert LOST_MARKER_TEXT in _text(answer[msg_id])
    assert answer["m3"]["state"] == "queued" and answer["sub"]["state"] == "queued"
    # Had the knock overtaken m2's request, m2 starts after all: it runs and ends as seen.
    journal.on_iopub(_msg("status", "m2", execution_state="busy"))
    assert journal.executions["m2"].state == "running" and journal.executions["m2"].status is None
    journal.on_iopub(_msg("execute_input", "m2", code="", execution_count=2))
    journal.on_iopub(_msg("stream", "m2", name="stdout", text="ran\n"))
    journal.on_iopub(_msg("status", "m2", execution_state="idle"))
    m2 = journal.to_json()["executions"][1]
    assert (m2["msg_id"], m2["state"], m2["status"], m2["incomplete"], _text(m2)) == ("m2", "done", "ok", False, "ran\n")


def test_the_reader_applies_a_barrier_when_the_knocks_status_arrives():
    kernel_session, journal, reader = _kernel_journal_and_reader()
    journal.on_execute_request({"msg_id": "m1", "session": "s"}, {"cellId": "c1"})
    reader(_wire(kernel_session, "status", "m1", {"execution_state": "busy"}))
    reader.expect_barrier("knock-1", ["m1"])
    reader(_wire(kernel_session, "status", "someone-else", {"execution_state": "busy"}))
    assert journal.executions["m1"].state == "running"
    reader(_wire(kernel_session, "status", "knock-1", {"execution_state": "busy"}))
    assert (journal.executions["m1"].state, journal.executions["m1"].status) == ("done", UNKNOWN)


def test_the_knocker_keeps_one_knock_waiting_at_most():
    from jupyter_client.session import Session

    class Stream:
        def __init__(self) -> None:
            self.sent: list[Any] = []
            self.handler: Any = None

        def closed(self) -> bool:
            return False

        def on_recv(self, handler: Any) -> None:
            self.handler = handler

        def send_multipart(self, parts: Any, *args: Any, **kwargs: Any) -> None:
            self.sent.append(parts)

    stream = Stream()
    knocker = Knocker(lambda: stream, Session(key=b"secret"))
    first = knocker.knock()
    assert first is not None and knocker.knock() is None and len(stream.sent) == 1
    stream.handler([b"reply"])
    assert knocker.knock() not in (None, first) and len(stream.sent) == 2


def test_releasing_memory_is_safe_to_call():
    # On glibc it returns the heaps' free memory; elsewhere it does nothing.
    assert memory.trim() in (True, False)
    assert memory.set_mmap_threshold(0) is False


def _msg(msg_type: str, parent: str, **content: Any) -> dict[str, Any]:
    return {"header": {"msg_type": msg_type}, "parent_header": {"msg_id": parent}, "content": content}


def _run(journal: KernelJournal, msg_id: str, cell: str) -> None:
    journal.on_execute_request({"msg_id": msg_id, "session": "s"}, {"cellId": cell})
    journal.on_iopub(_msg("status", msg_id, execution_state="busy"))
    journal.on_iopub(_msg("execute_input", msg_id, code="", execution_count=1))


def test_output_widget_captures_go_to_the_widget_not_the_cell():
    journal = KernelJournal("k", 1000, 10_000)
    _run(journal, "m1", "c1")
    journal.on_iopub(_msg("comm_open", "m1", comm_id="w1", target_name="jupyter.widget", data={"state": {"_model_name": "OutputModel"}}))
    journal.on_iopub(_msg("comm_msg", "m1", comm_id="w1", data={"method": "update", "state": {"msg_id": "m1"}}))
    journal.on_iopub(_msg("stream", "m1", name="stdout", text="inside\n"))
    journal.on_iopub(_msg("comm_msg", "m1", comm_id="w1", data={"method": "update", "state": {"msg_id": ""}}))
    journal.on_iopub(_msg("stream", "m1", name="stdout", text="outside\n"))
    journal.on_iopub(_msg("status", "m1", execution_state="idle"))
    state = journal.to_json()
    assert state["widgets"]["w1"]["outputs"] == [{"output_type": "stream", "name": "stdout", "text": "inside\n"}]
    [execution] = state["executions"]
    assert execution["outputs"] == [{"output_type": "stream", "name": "stdout", "text": "outside\n"}]
    assert execution["state"] == "done" and execution["status"] == "ok"


def test_update_display_reaches_every_cell_with_the_display():
    journal = KernelJournal("k", 1000, 10_000)
    _run(journal, "m1", "c1")
    journal.on_iopub(_msg("display_data", "m1", data={"text/plain": "old"}, metadata={}, transient={"display_id": "d"}))
    _run(journal, "m2", "c2")
    journal.on_iopub(_msg("update_display_data", "m2", data={"text/plain": "new"}, metadata={}, transient={"display_id": "d"}))
    first = journal.to_json()["executions"][0]
    assert first["outputs"][0]["data"] == {"text/plain": "new"} and first["display_ids"] == ["d"]


def test_the_kernel_cap_drops_saved_executions_first_then_old_outputs():
    journal = KernelJournal("k", 10_000, 3_000)
    _run(journal, "m1", "c1")
    journal.on_iopub(_msg("stream", "m1", name="stdout", text="x" * 1500))
    journal.on_iopub(_msg("status", "m1", execution_state="idle"))
    journal.mark_saved(time.time() + 1)
    _run(journal, "m2", "c2")
    journal.on_iopub(_msg("stream", "m2", name="stdout", text="y" * 2000))
    assert list(journal.executions) == ["m2"]
    for i in range(100):
        journal.on_iopub(_msg("display_data", "m2", data={"text/plain": f"flood {i} " + "z" * 100}, metadata={}))
    assert journal.nbytes <= 3_000
    outputs = journal.executions["m2"].outputs.outputs
    assert outputs[-1]["data"]["text/plain"].startswith("flood 99")


def test_a_restart_aborts_running_and_queued_work():
    journal = KernelJournal("k", 1000, 10_000)
    _run(journal, "m1", "c1")
    journal.on_execute_request({"msg_id": "m2", "session": "s"}, {"cellId": "c2"})
    journal.on_restart()
    assert [(e["state"], e["status"]) for e in journal.to_json()["executions"]] == [("aborted", "aborted"), ("aborted", "aborted")]


# -- with a real kernel through the server --------------------------------------------


def _header(msg_type: str, session: str) -> dict[str, Any]:
    return {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "session": session,
        "username": "test",
        "date": "2026-01-01T00:00:00.000000Z",
        "version": "5.3",
    }


class Page:
    """One page's kernel WebSocket (the legacy JSON protocol)."""

    def __init__(self, ws: Any, session: str) -> None:
        self.ws = ws
        self.session = session

    def execute(self, code: str, cell_id: str) -> str:
        header = _header("execute_request", self.session)
        content = {"code": code, "silent": False, "store_history": True, "allow_stdin": True, "stop_on_error": True, "user_expressions": {}}
        self.ws.write_message(json.dumps({"header": header, "parent_header": {}, "metadata": {"cellId": cell_id}, "content": content, "channel": "shell", "buffers": []}))
        return header["msg_id"]

    def reply_input(self, request_header: dict[str, Any], value: str) -> None:
        header = _header("input_reply", self.session)
        self.ws.write_message(json.dumps({"header": header, "parent_header": request_header, "metadata": {}, "content": {"status": "ok", "value": value}, "channel": "stdin", "buffers": []}))

    def close(self) -> None:
        self.ws.close()


async def start_session(jp_fetch, root) -> str:
    """Start the notebook's session (as a page opening it does); returns its kernel id.

    The server shuts its kernels down when the test ends.
    """
    (root / NB).write_text("{}", encoding="utf-8")
    body = {"path": NB, "type": "notebook", "name": NB, "kernel": {"name": "python3"}}
    response = await jp_fetch("api", "sessions", method="POST", body=json.dumps(body))
    return json.loads(response.body)["kernel"]["id"]


@pytest.fixture
def open_page(jp_ws_fetch, jp_fetch, jp_root_dir):
    """``await open_page()``: start the session when needed and open a page's kernel WebSocket."""
    kernel: dict[str, str] = {}

    async def open_() -> Page:
        if "id" not in kernel:
            kernel["id"] = await start_session(jp_fetch, jp_root_dir)
        session = uuid.uuid4().hex
        ws = await jp_ws_fetch("api", "kernels", kernel["id"], "channels", params={"session_id": session})
        return Page(ws, session)

    open_.kernel = kernel  # type: ignore[attr-defined]
    return open_


async def journal(jp_fetch, **params: Any) -> dict[str, Any]:
    response = await jp_fetch("jlab-alt", "api", "journal", params={"path": NB, **params})
    return json.loads(response.body)


async def wait_for(jp_fetch, predicate, what: str, timeout: float = 60) -> dict[str, Any]:
    """The journal's answer once ``predicate(answer)``; fails with ``what`` after ``timeout`` s.

    Between checks it long-polls for the next change, so it never sleeps.
    """
    deadline = time.monotonic() + timeout
    while True:
        answer = await journal(jp_fetch)
        if predicate(answer):
            return answer
        if time.monotonic() > deadline:
            pytest.fail(f"journal never showed {what}: {json.dumps(answer)[:2000]}")
        await journal(jp_fetch, after=answer.get("seq", 0), wait=5)


def _cell(answer: dict[str, Any], cell_id: str) -> dict[str, Any] | None:
    found = [e for e in answer.get("executions", []) if e["cell_id"] == cell_id]
    return found[-1] if found else None


def _text(execution: dict[str, Any] | None) -> str:
    return "".join(o.get("text", "") for o in (execution or {}).get("outputs", []) if o["output_type"] == "stream")


async def test_a_run_after_its_page_closed_is_recorded_whole(jp_fetch, open_page):
    page = await open_page()
    code = "import time\nfor i in range(6):\n    print('line', i, flush=True)\n    time.sleep(0.3)\n"
    page.execute(code, "cell-a")
    page.close()
    answer = await wait_for(jp_fetch, lambda a: (_cell(a, "cell-a") or {}).get("state") == "done", "the run finished")
    execution = _cell(answer, "cell-a")
    assert _text(execution) == "".join(f"line {i}\n" for i in range(6))
    assert execution["execution_count"] == 1 and execution["status"] == "ok"
    assert answer["available"] is True and answer["journal_id"]


async def test_the_journal_shows_running_cells_and_long_polls(jp_fetch, open_page, jp_root_dir):
    # The cell ends when the test says so: with a fixed sleep, a server held up longer than
    # the sleep (a loaded machine) saw the end with the first line and the cell was never "running".
    go = jp_root_dir / "go"
    page = await open_page()
    page.execute(f"import os, time\nprint('started', flush=True)\nwhile not os.path.exists({str(go)!r}):\n    time.sleep(0.02)\nprint('end')", "cell-r")
    answer = await wait_for(jp_fetch, lambda a: "started" in _text(_cell(a, "cell-r")), "the first line")
    assert _cell(answer, "cell-r")["state"] == "running"
    go.touch()
    # Only what changed after `seq` comes back, once it changed.
    later = await journal(jp_fetch, after=answer["seq"], wait=20)
    assert later["seq"] > answer["seq"]
    page.close()


async def test_update_display_and_clear_output_wait_while_closed(jp_fetch, open_page):
    page = await open_page()
    page.execute("from IPython.display import display\nh = display('before', display_id=True)", "cell-d")
    await wait_for(jp_fetch, lambda a: (_cell(a, "cell-d") or {}).get("state") == "done", "the display")
    page.execute(
        "from IPython.display import clear_output\nimport time\n"
        "for i in range(1, 11):\n    clear_output(wait=True)\n    print(f'progress {i * 10}%', flush=True)\n    time.sleep(0.05)\n"
        "h.update('after')",
        "cell-p",
    )
    page.close()
    answer = await wait_for(jp_fetch, lambda a: (_cell(a, "cell-p") or {}).get("state") == "done", "the progress cell")
    assert _cell(answer, "cell-p")["outputs"] == [{"output_type": "stream", "name": "stdout", "text": "progress 100%\n"}]
    assert _cell(answer, "cell-d")["outputs"][0]["data"]["text/plain"] == "'after'"


async def test_input_requested_while_closed_is_answerable_from_a_new_page(jp_fetch, open_page):
    page = await open_page()
    page.execute("name = input('Your name? ')\nprint('hello', name)", "cell-i")
    page.close()
    answer = await wait_for(jp_fetch, lambda a: (_cell(a, "cell-i") or {}).get("input_request"), "the input request")
    request = _cell(answer, "cell-i")["input_request"]
    assert request["prompt"] == "Your name? " and request["password"] is False
    second = await open_page()
    second.reply_input(request["header"], "Ada")
    answer = await wait_for(jp_fetch, lambda a: (_cell(a, "cell-i") or {}).get("state") == "done", "the answered cell")
    execution = _cell(answer, "cell-i")
    assert "hello Ada" in _text(execution) and execution["input_request"] is None
    # The input_request (on stdin, not IOPub) is not taken for a lost message.
    assert execution["incomplete"] is False
    second.close()


async def test_a_kernel_restart_aborts_the_running_cell(jp_fetch, open_page):
    page = await open_page()
    page.execute("import time\nprint('sleeping', flush=True)\ntime.sleep(60)", "cell-s")
    page.execute("print('never')", "cell-q")
    page.close()
    await wait_for(jp_fetch, lambda a: "sleeping" in _text(_cell(a, "cell-s")), "the sleeping cell")
    await jp_fetch("api", "kernels", open_page.kernel["id"], "restart", method="POST", body="{}")
    answer = await journal(jp_fetch)
    assert _cell(answer, "cell-s")["state"] == "aborted", json.dumps(answer)
    assert _cell(answer, "cell-q")["state"] == "aborted"
    assert answer["restarts"] == 1
    # The journal follows the restarted kernel.
    page = await open_page()
    page.execute("print('after restart')", "cell-n")
    answer = await wait_for(jp_fetch, lambda a: (_cell(a, "cell-n") or {}).get("state") == "done", "a run after the restart")
    assert _text(_cell(answer, "cell-n")) == "after restart\n"
    page.close()


async def test_ordinary_runs_are_not_marked_incomplete(jp_fetch, open_page):
    page = await open_page()
    # Two threads of the kernel print at once (their messages' counters interleave).
    code = (
        "import threading\nfrom IPython.display import display\n"
        "def chatter():\n    for i in range(100):\n        print('thread', i, flush=True)\n"
        "t = threading.Thread(target=chatter)\nt.start()\n"
        "for i in range(100):\n    display(i)\n    print('main', i, flush=True)\n"
        "t.join()\nprint('end')\n"
    )
    page.execute(code, "cell-o")
    page.close()
    answer = await wait_for(jp_fetch, lambda a: (_cell(a, "cell-o") or {}).get("state") == "done", "the run")
    execution = _cell(answer, "cell-o")
    assert _text(execution).endswith("end\n") and _text(execution).count("thread") == 100
    assert execution["incomplete"] is False and LOST_MARKER_TEXT not in _text(execution)


async def test_no_kernel_and_missing_path(jp_fetch):
    answer = await journal(jp_fetch)
    assert answer["available"] is False and answer["reason"] == "no-kernel"
    response = await jp_fetch("jlab-alt", "api", "journal", raise_error=False)
    assert response.code == 400


async def test_the_journal_needs_a_logged_in_user(jp_fetch, no_auth):
    response = await jp_fetch("jlab-alt", "api", "journal", params={"path": NB}, headers=no_auth, raise_error=False)
    assert response.code == 403


class TestDisabled:
    @pytest.fixture
    def jp_server_config(self, settings_dir):
        return {
            "ServerApp": {"jpserver_extensions": {"jlab_alt": True}},
            "JlabAltApp": {"user_settings_dir": str(settings_dir), "journal_enabled": False},
        }

    async def test_the_api_says_the_journal_is_off(self, jp_fetch):
        answer = await journal(jp_fetch)
        assert answer == {"available": False, "journal_id": None, "reason": "disabled"}



def test_derived_cell_keys_match_the_page():
    """The same vectors as ``ts_src/notebook/model/cell-key.test.ts``: server and page agree."""
    assert source_hash("print(1)") == "08b9dac4df1a0c"
    assert source_hash("") == "0bdcb81aee8d83"
    assert source_hash("héllo €𝄞") == "1fedb7e17253fe"
    assert derived_cell_key("print(1)", 2) == "noid:08b9dac4df1a0c:2"


async def test_cells_without_ids_are_journaled_by_key_or_by_code(jp_fetch, open_page, jp_root_dir):
    """nbformat < 4.5 cells have no ``id``. A jlab-alt page sends the key it derives
    (``noid:<hash>:<rank>``) as ``cellId``; a client that sends no ``cellId`` at all gets
    its run keyed by its code, which is the key of the first id-less cell with that
    source. Either way a page opened after the run's page closed finds it, and the
    notebook on disk is untouched (no ids are written)."""
    code = "import time\nfor i in range(4):\n    print('old', i, flush=True)\n    time.sleep(0.3)\n"
    page = await open_page()
    old = {
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": code}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 4,
    }
    (jp_root_dir / NB).write_text(json.dumps(old), encoding="utf-8")
    key = derived_cell_key(code)

    # A client that names no cell (an empty metadata, as other frontends send).
    header = _header("execute_request", page.session)
    content = {"code": code, "silent": False, "store_history": True, "allow_stdin": False, "stop_on_error": True, "user_expressions": {}}
    page.ws.write_message(json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []}))
    page.close()
    answer = await wait_for(jp_fetch, lambda a: (_cell(a, key) or {}).get("state") == "done", "the id-less cell's run, keyed by its code")
    assert _text(_cell(answer, key)) == "".join(f"old {i}\n" for i in range(4))
    assert _cell(answer, key)["msg_id"] == header["msg_id"]

    # A page's own key for the second of two identical id-less cells wins over the code.
    second = derived_cell_key(code, 1)
    page = await open_page()
    page.execute("print('second copy')", second)
    answer = await wait_for(jp_fetch, lambda a: (_cell(a, second) or {}).get("state") == "done", "the keyed run")
    assert _text(_cell(answer, second)) == "second copy\n"
    page.close()
    assert json.loads((jp_root_dir / NB).read_text(encoding="utf-8")) == old


async def test_output_widget_captures_made_while_closed_are_kept_for_the_widget(jp_fetch, open_page):
    """A real ipywidgets ``Output`` captures a print while no page is open: the journal
    keeps it under the widget's model id (what a reopened page redraws the widget from),
    and not in the cell's own outputs."""
    page = await open_page()
    code = (
        "import ipywidgets as w, time\n"
        "out = w.Output()\n"
        "display(out)\n"
        "time.sleep(0.5)\n"
        "with out:\n"
        "    print('captured while closed', flush=True)\n"
        "print('model', out.model_id)\n"
    )
    page.execute(code, "cell-w")
    page.close()
    answer = await wait_for(jp_fetch, lambda a: (_cell(a, "cell-w") or {}).get("state") == "done", "the widget cell's run")
    execution = _cell(answer, "cell-w")
    model_id = _text(execution).split("model ", 1)[1].strip()
    assert "captured while closed" not in _text(execution)
    captured = answer["widgets"][model_id]["outputs"]
    assert captured == [{"output_type": "stream", "name": "stdout", "text": "captured while closed\n"}]


@pytest.mark.timeout(900)  # three generous waits for a loaded CI machine
async def test_a_flood_while_the_server_is_held_then_the_next_cell_still_finishes(jp_fetch, open_page, jp_root_dir):
    """The server's event loop is held (as a loaded machine does) while a cell floods ~35 MB
    in ~4,000 messages and the next cell, queued behind it, runs: the journal's socket drops
    what does not fit (see ``flow.py``), here the flood's tail, its ``idle`` and the whole of
    the next cell, so no later message reveals the loss. The journal must still end both
    runs, as incomplete with an unknown result (not a false "ok" or "aborted"), and record
    the run after them whole."""
    go = jp_root_dir / "go"
    flood_done = jp_root_dir / "flood.done"
    next_done = jp_root_dir / "next.done"
    flood = (
        "import os, sys, time\nfrom IPython.display import display\n"
        f"while not os.path.exists({str(go)!r}):\n    time.sleep(0.02)\n"
        "chunk = ('x' * 99 + '\\n') * 100\n"
        "for i in range(3200):\n"
        "    sys.stdout.write(chunk); sys.stdout.flush()\n"
        "    if i % 4 == 0:\n"
        "        display({'text/plain': f'display {i}'}, raw=True)\n"
        f"open({str(flood_done)!r}, 'w').close()\n"
    )
    page = await open_page()
    page.execute(flood, "cell-f")
    page.execute(f"print('next', flush=True)\nopen({str(next_done)!r}, 'w').close()", "cell-n")
    await wait_for(
        jp_fetch,
        lambda a: (_cell(a, "cell-f") or {}).get("state") == "running" and _cell(a, "cell-n") is not None,
        "the flood running and the next cell queued",
    )
    # Let the flood go and hold the loop (nothing the server does runs) until the kernel has run both cells.
    go.touch()
    deadline = time.monotonic() + 240
    while not next_done.exists():
        assert time.monotonic() < deadline, "the kernel did not run both cells within 240 s"
        time.sleep(0.05)  # holds the server's loop on purpose: this is the fault injected
    assert flood_done.exists()

    answer = await wait_for(
        jp_fetch,
        lambda a: all((_cell(a, c) or {}).get("state") == "done" for c in ("cell-f", "cell-n")),
        "both runs ended",
        timeout=240,
    )
    flood_run = _cell(answer, "cell-f")
    assert flood_run["incomplete"] is True and flood_run["status"] == UNKNOWN
    assert LOST_MARKER_TEXT in _text(flood_run)
    next_run = _cell(answer, "cell-n")
    assert next_run["status"] == (UNKNOWN if next_run["incomplete"] else "ok")

    # The journal recovers: the run after them is recorded whole.
    page.execute("print('third')", "cell-t")
    answer = await wait_for(jp_fetch, lambda a: (_cell(a, "cell-t") or {}).get("state") == "done", "the third run", timeout=240)
    third = _cell(answer, "cell-t")
    assert (third["status"], third["incomplete"], _text(third)) == ("ok", False, "third\n")
    page.close()


@pytest.mark.skipif(not memory.available(), reason="malloc_trim is glibc's")
async def test_the_server_gives_memory_back_once_quiet_after_a_flood(jp_fetch, open_page, jp_serverapp, monkeypatch):
    """After enough output went through the journal's sockets (here 1 MB instead of 32 MB)
    and every kernel has been quiet for a second, the server calls ``malloc_trim``, once."""
    from jlab_alt.journal import plugin
    from jlab_alt.journal.websocket import SETTING_KEY

    monkeypatch.setattr(plugin, "RELEASE_AFTER_BYTES", 1 << 20)
    trims: list[bool] = []
    monkeypatch.setattr(memory, "trim", lambda: trims.append(True) or True)
    journal_app = jp_serverapp.web_app.settings[SETTING_KEY]
    assert journal_app.release_memory is True
    page = await open_page()
    page.execute("import sys\nfor i in range(40):\n    sys.stdout.write(('y' * 99 + '\\n') * 1000); sys.stdout.flush()", "cell-m")
    page.close()
    await wait_for(jp_fetch, lambda a: (_cell(a, "cell-m") or {}).get("state") == "done", "the printing run")
    deadline = time.monotonic() + 60
    while journal_app.releases < 1:
        assert time.monotonic() < deadline, "no memory release within 60 s of a quiet server"
        # A long poll with nothing to come: the server's loop (where its quiet check runs) goes on meanwhile.
        seq = (await journal(jp_fetch))["seq"]
        await journal(jp_fetch, after=seq, wait=1)
    assert trims == [True]
