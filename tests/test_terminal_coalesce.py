"""Terminal output joined into fewer frames while it floods (``jlab_alt.terminal_coalesce``)."""

from __future__ import annotations

import asyncio
import json

import pytest

from jlab_alt.terminal_coalesce import BULK_CHARS, CoalescingMixin, enable_terminal_coalescing, with_coalescing

# The prompt the tests give the shell: its echo (`P''> `) differs from the prompt itself.
PROMPT = "P> "
SET_PROMPT = "PS1='P''> '\r"
#: Printed after the flood; `$((40+2))` keeps the command's echo from matching it.
AFTER = "seq 1 20000; echo END$((40+2))\r"
AFTER_MARK = "END42"


def config(settings_dir, **app) -> dict:
    return {
        "ServerApp": {"jpserver_extensions": {"jlab_alt": True}},
        "JlabAltApp": {"user_settings_dir": str(settings_dir), **app},
    }


async def started(serverapp):
    """``serverapp`` after its extensions' start hooks ran, as ``ServerApp.start`` runs them."""
    await serverapp.extension_manager.start_all_extensions()
    return serverapp


class Recorder:
    """A terminado client that records every pty read (terminado calls each client per read)."""

    size = (None, None)

    def __init__(self) -> None:
        self.reads: list[str] = []

    def on_pty_read(self, text: str) -> None:
        self.reads.append(text)

    def on_pty_died(self) -> None:
        pass


class Session:
    """A real terminal of the test server and a WebSocket client on it."""

    def __init__(self, client, terminal) -> None:
        self.client = client
        self.terminal = terminal
        self.frames: list[list] = []

    @classmethod
    async def open(cls, serverapp, jp_fetch, jp_ws_fetch) -> Session:
        reply = await jp_fetch("api", "terminals", method="POST", body="{}")
        name = json.loads(reply.body)["name"]
        client = await jp_ws_fetch("terminals", "websocket", name)
        terminal = serverapp.web_app.settings["terminal_manager"].get_terminal(name)
        session = cls(client, terminal)
        await session.send(SET_PROMPT)
        await session.until(lambda text: text.endswith(PROMPT))
        session.frames.clear()
        return session

    async def send(self, text: str) -> None:
        await self.client.write_message(json.dumps(["stdin", text]))

    @property
    def text(self) -> str:
        return "".join(f[1] for f in self.frames if f[0] == "stdout")

    async def next_frame(self) -> list:
        message = await asyncio.wait_for(self.client.read_message(), 60)
        assert message is not None, "the server closed the terminal socket"
        frame = json.loads(message)
        self.frames.append(frame)
        return frame

    async def until(self, done) -> None:
        while not done(self.text):
            await self.next_frame()

    async def flood(self) -> Recorder:
        """Run `seq` in the shell, idle at its prompt; return the pty reads it made.

        On return every read has arrived as frames (``self.frames``, from the command on).
        """
        recorder = Recorder()
        self.terminal.clients.append(recorder)
        try:
            await self.send(AFTER)
            await self.until(lambda text: AFTER_MARK in text and text.endswith(PROMPT))
        finally:
            self.terminal.clients.remove(recorder)
        return recorder

    def close(self) -> None:
        self.client.close()


class TestOnByDefault:
    @pytest.fixture
    def jp_server_config(self, settings_dir):
        # A long window, so that reads are joined however slowly a loaded machine reads them;
        # not endless: when the flood's last read is itself large, only the window's timer
        # sends it (a 10-minute window made the test wait for a read that never came).
        return config(settings_dir, terminal_coalesce_window_ms=3_000, terminal_coalesce_max_chars=16_384)

    async def test_a_flood_arrives_as_fewer_frames_with_the_same_text(self, jp_serverapp, jp_fetch, jp_ws_fetch):
        app = await started(jp_serverapp)
        session = await Session.open(app, jp_fetch, jp_ws_fetch)
        try:
            recorder = await session.flood()
            stdout = [f for f in session.frames if f[0] == "stdout"]
            assert session.text == "".join(recorder.reads)
            assert "\n20000\r\n" in session.text
            assert len(stdout) < len(recorder.reads)
            # The bound holds: a frame is over it only by its last read. A read is not
            # 4 KiB at most: on a loaded machine the pty holds more by the time terminado
            # reads it (CI run 24 saw a frame past 16 KiB + 4 KiB), so the bound is the
            # largest read this flood made.
            largest_read = max(len(r) for r in recorder.reads)
            assert all(len(f[1]) < 16_384 + largest_read for f in stdout)
        finally:
            session.close()

    async def test_output_before_the_process_exits_comes_before_disconnect(self, jp_serverapp, jp_fetch, jp_ws_fetch):
        app = await started(jp_serverapp)
        session = await Session.open(app, jp_fetch, jp_ws_fetch)
        try:
            await session.send("seq 1 20000; exit\r")
            while (await session.next_frame())[0] != "disconnect":
                pass
            assert "\n20000\r\n" in session.text
            assert session.frames[-1][0] == "disconnect"
        finally:
            session.close()


class TestEchoWithAnEndlessWindow:
    @pytest.fixture
    def jp_server_config(self, settings_dir):
        # A window far longer than the test's wait: an echo that were held would never come.
        return config(settings_dir, terminal_coalesce_window_ms=600_000)

    async def test_a_key_echo_is_sent_at_once(self, jp_serverapp, jp_fetch, jp_ws_fetch):
        app = await started(jp_serverapp)
        session = await Session.open(app, jp_fetch, jp_ws_fetch)
        try:
            # Right after the prompt, well inside the window: a small read with nothing
            # after it is not held (held, it would wait for the 10-minute window and the test would time out).
            await session.send("x")
            await session.until(lambda text: text.endswith("x"))
        finally:
            session.close()


class TestTurnedOff:
    @pytest.fixture
    def jp_server_config(self, settings_dir):
        return config(settings_dir, terminal_output_coalescing=False)

    async def test_one_frame_per_read(self, jp_serverapp, jp_fetch, jp_ws_fetch):
        app = await started(jp_serverapp)
        session = await Session.open(app, jp_fetch, jp_ws_fetch)
        try:
            recorder = await session.flood()
            assert [f[1] for f in session.frames if f[0] == "stdout"] == recorder.reads
            assert len(recorder.reads) > 1
        finally:
            session.close()


# -- the mixin on a fake socket, with a fake clock and timers ---------------------------------


class FakeSocket:
    def __init__(self) -> None:
        self.sent: list[list] = []
        self.closed = False
        self.ws_connection = self

    def is_closing(self) -> bool:
        return self.closed

    def send_json_message(self, content) -> None:
        self.sent.append(content)

    def on_close(self) -> None:
        self.closed = True


class FakeCoalescing(with_coalescing(FakeSocket, window=0.010, max_chars=10_000)):
    def __init__(self) -> None:
        super().__init__()
        self.now = 100.0
        self.more = False
        self.timers: dict[int, tuple[float, object]] = {}

    def _clock(self) -> float:
        return self.now

    def _pty_has_more(self) -> bool:
        return self.more

    def _call_later(self, delay, callback):
        handle = len(self.timers) + 1
        self.timers[handle] = (self.now + delay, callback)
        return handle

    def _cancel_timer(self, handle) -> None:
        self.timers.pop(handle, None)

    def advance(self, seconds: float) -> None:
        self.now += seconds
        for handle, (at, callback) in sorted(self.timers.items(), key=lambda kv: kv[1][0]):
            if at <= self.now and self.timers.pop(handle, None):
                callback()


BULK = "y" * BULK_CHARS


def test_the_first_read_after_a_quiet_moment_goes_at_once():
    s = FakeCoalescing()
    s.more = True
    s.on_pty_read(BULK)
    assert s.sent == [["stdout", BULK]]


def test_reads_of_a_flood_are_joined_and_sent_when_the_window_ends():
    s = FakeCoalescing()
    s.on_pty_read("a")
    s.advance(0.001)
    s.on_pty_read(BULK)  # bulk within the window: held
    s.more = True
    s.on_pty_read("b")  # small, but more is waiting: still held
    assert s.sent == [["stdout", "a"]]
    s.advance(0.010)
    assert s.sent == [["stdout", "a"], ["stdout", BULK + "b"]]
    assert not s.timers


def test_a_small_read_that_drains_the_pty_sends_what_is_held_at_once():
    s = FakeCoalescing()
    s.on_pty_read("a")
    s.more = True
    s.on_pty_read("b")  # more is waiting: held
    s.more = False
    s.on_pty_read("c")
    assert s.sent == [["stdout", "a"], ["stdout", "bc"]]
    assert not s.timers


def test_a_short_commands_small_output_is_not_held():
    s = FakeCoalescing()
    s.on_pty_read("echo hi\r\n")
    s.advance(0.001)
    s.on_pty_read("hi\r\n")
    s.on_pty_read("$ ")
    assert [m[1] for m in s.sent] == ["echo hi\r\n", "hi\r\n", "$ "]


def test_a_frame_is_sent_when_the_held_text_reaches_the_bound():
    s = FakeCoalescing()
    s.on_pty_read("a")
    for _ in range(9):
        s.on_pty_read(BULK)
    assert len(s.sent) == 1
    s.on_pty_read(BULK)
    assert s.sent[1] == ["stdout", BULK * 10]


def test_held_output_goes_before_any_other_frame():
    s = FakeCoalescing()
    s.on_pty_read("a")
    s.on_pty_read(BULK)
    s.send_json_message(["disconnect", 1])
    assert s.sent == [["stdout", "a"], ["stdout", BULK], ["disconnect", 1]]
    assert not s.timers


def test_a_closed_client_drops_what_is_held():
    s = FakeCoalescing()
    s.on_pty_read("a")
    s.on_pty_read(BULK)
    s.on_close()
    s.advance(1)
    assert s.sent == [["stdout", "a"]] and s.closed and not s.timers


def test_terminal_routes_are_swapped_once():
    from terminado.websocket import TermSocket
    from tornado.web import Application

    class MyTermSocket(TermSocket):
        pass

    web_app = Application()
    web_app.add_handlers(".*$", [(r"/terminals/websocket/(\\w+)", MyTermSocket, {"term_manager": None})])
    assert enable_terminal_coalescing(web_app, 0.004, 1000) == 1
    assert enable_terminal_coalescing(web_app) == 0
    (target,) = [rule.target for router in web_app.default_router.rules for rule in router.target.rules]
    assert issubclass(target, CoalescingMixin) and issubclass(target, MyTermSocket)
    assert (target.coalesce_window, target.coalesce_max_chars) == (0.004, 1000)
