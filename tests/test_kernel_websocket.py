"""Kernel WebSockets with TCP_NODELAY (``jlab_alt.kernel_websocket``)."""

from __future__ import annotations

import pytest
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from jlab_alt.kernel_websocket import NoDelayMixin, enable_nodelay, with_nodelay


def test_the_server_wraps_its_kernel_bridge(jp_serverapp):
    cls = jp_serverapp.web_app.settings["kernel_websocket_connection_class"]
    assert issubclass(cls, NoDelayMixin)
    assert issubclass(cls, ZMQChannelsWebsocketConnection)


class TestTurnedOff:
    @pytest.fixture
    def jp_server_config(self, settings_dir):
        return {
            "ServerApp": {"jpserver_extensions": {"jlab_alt": True}},
            "JlabAltApp": {"user_settings_dir": str(settings_dir), "kernel_websocket_nodelay": False},
        }

    def test_the_host_class_is_left_alone(self, jp_serverapp):
        cls = jp_serverapp.web_app.settings["kernel_websocket_connection_class"]
        assert not issubclass(cls, NoDelayMixin)


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
