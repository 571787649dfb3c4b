"""Kernel and terminal WebSockets with TCP_NODELAY (``jlab_alt.websocket_nodelay``)."""

from __future__ import annotations

import asyncio
import json
import socket

import pytest
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from jlab_alt.websocket_nodelay import (
    NoDelayHandlerMixin,
    NoDelayMixin,
    enable_nodelay,
    enable_terminal_nodelay,
    with_nodelay,
    with_nodelay_handler,
)


def test_the_server_wraps_its_kernel_bridge(jp_serverapp):
    cls = jp_serverapp.web_app.settings["kernel_websocket_connection_class"]
    assert issubclass(cls, NoDelayMixin)
    assert issubclass(cls, ZMQChannelsWebsocketConnection)


async def started(serverapp):
    """``serverapp`` after its extensions' start hooks ran, as ``ServerApp.start`` runs them."""
    await serverapp.extension_manager.start_all_extensions()
    return serverapp


async def open_terminal_socket(serverapp, jp_fetch, jp_ws_fetch):
    """A new terminal and a WebSocket client on it; returns (client, the server's handler)."""
    reply = await jp_fetch("api", "terminals", method="POST", body="{}")
    name = json.loads(reply.body)["name"]
    client = await jp_ws_fetch("terminals", "websocket", name)
    assert json.loads(await client.read_message())[0] == "setup"
    terminal = serverapp.web_app.settings["terminal_manager"].get_terminal(name)
    for _ in range(100):  # the handler joins the terminal's clients in its open()
        if terminal.clients:
            break
        await asyncio.sleep(0.01)
    return client, terminal.clients[0]


def nodelay_of(handler) -> bool:
    sock = handler.ws_connection.stream.socket
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


async def test_a_terminal_websocket_sends_without_delay(jp_serverapp, jp_fetch, jp_ws_fetch):
    app = await started(jp_serverapp)
    client, handler = await open_terminal_socket(app, jp_fetch, jp_ws_fetch)
    try:
        assert isinstance(handler, NoDelayHandlerMixin)
        assert nodelay_of(handler)
    finally:
        client.close()


class TestTurnedOff:
    @pytest.fixture
    def jp_server_config(self, settings_dir):
        return {
            "ServerApp": {"jpserver_extensions": {"jlab_alt": True}},
            "JlabAltApp": {
                "user_settings_dir": str(settings_dir),
                "kernel_websocket_nodelay": False,
                "terminal_websocket_nodelay": False,
            },
        }

    def test_the_host_class_is_left_alone(self, jp_serverapp):
        cls = jp_serverapp.web_app.settings["kernel_websocket_connection_class"]
        assert not issubclass(cls, NoDelayMixin)

    async def test_the_terminal_route_is_left_alone(self, jp_serverapp, jp_fetch, jp_ws_fetch):
        app = await started(jp_serverapp)
        client, handler = await open_terminal_socket(app, jp_fetch, jp_ws_fetch)
        try:
            assert not isinstance(handler, NoDelayHandlerMixin)
            # The host's own default, which is why the swap is needed.
            assert not nodelay_of(handler)
        finally:
            client.close()


class FakeHandler:
    def __init__(self) -> None:
        self.ws_connection = object()
        self.nodelay: bool | None = None

    def set_nodelay(self, value: bool) -> None:
        self.nodelay = value


class FakeConnection:
    def __init__(self, handler: FakeHandler) -> None:
        self.websocket_handler = handler
        self.connected = False

    def connect(self) -> str:
        self.connected = True
        return "future"


def test_connecting_sets_nodelay_then_connects_as_before():
    handler = FakeHandler()
    conn = with_nodelay(FakeConnection)(handler)
    assert conn.connect() == "future"
    assert handler.nodelay is True and conn.connected


def test_wrapping_is_idempotent_and_accepts_import_strings():
    once = with_nodelay(FakeConnection)
    assert with_nodelay(once) is once
    settings = {
        "kernel_websocket_connection_class": "jupyter_server.services.kernels.connection.channels.ZMQChannelsWebsocketConnection"
    }
    assert enable_nodelay(settings)
    assert issubclass(settings["kernel_websocket_connection_class"], ZMQChannelsWebsocketConnection)
    assert enable_nodelay({}) is False


class FakeSocketHandler:
    def __init__(self) -> None:
        self.ws_connection = object()
        self.calls: list[str] = []

    def set_nodelay(self, value: bool) -> None:
        self.calls.append(f"nodelay={value}")

    def open(self, name: str) -> str:
        self.calls.append(f"open {name}")
        return "opened"


def test_the_handler_mixin_sets_nodelay_before_the_handler_opens():
    cls = with_nodelay_handler(FakeSocketHandler)
    assert with_nodelay_handler(cls) is cls
    handler = cls()
    assert handler.open("1") == "opened"
    assert handler.calls == ["nodelay=True", "open 1"]


def test_terminal_routes_are_swapped_once_and_others_left_alone():
    from terminado.websocket import TermSocket
    from tornado.web import Application, RequestHandler

    class Other(RequestHandler):
        pass

    class MyTermSocket(TermSocket):
        pass

    web_app = Application()
    web_app.add_handlers(".*$", [(r"/terminals/websocket/(\\w+)", MyTermSocket, {"term_manager": None}), (r"/x", Other)])
    assert enable_terminal_nodelay(web_app) == 1
    assert enable_terminal_nodelay(web_app) == 0
    targets = [rule.target for router in web_app.default_router.rules for rule in router.target.rules]
    assert Other in targets
    swapped = [t for t in targets if t is not Other]
    assert len(swapped) == 1 and issubclass(swapped[0], MyTermSocket) and issubclass(swapped[0], NoDelayHandlerMixin)
