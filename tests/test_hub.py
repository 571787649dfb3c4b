"""The server side of running behind JupyterHub and a kernel gateway.

JupyterHub's single-user extension adds ``Content-Security-Policy: frame-ancestors
'none'`` to ``ServerApp.tornado_settings["headers"]`` and a ``page_config_hook``
that offers ``hubPrefix``, ``hubUser``... and the API ``token``. These tests configure
the same two settings on a plain server (the UI tests in ``ui-tests/hub.spec.ts``
run a real hub).
"""

from __future__ import annotations

import json
import re

import pytest
from jupyter_server.gateway.gateway_client import GatewayClient

from jlab_alt.csp import merge_policies, page_policy, parse_policy

HUB_TOKEN = "hub-api-token-that-must-not-leak"


def hub_page_config_hook(handler, page_config):  # noqa: ANN001, ANN201
    """What jupyterhub/singleuser/extension.py's hook adds (JupyterHub 5)."""
    page_config["hubUser"] = "ana+b"
    page_config["hubServerUser"] = "ana+b"
    page_config["hubPrefix"] = "/hub/"
    page_config["hubHost"] = ""
    page_config["hubServerName"] = ""
    page_config["token"] = HUB_TOKEN
    return page_config


def page_config_of(body: bytes) -> dict:
    match = re.search(rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>', body, re.S)
    assert match, "the page has no page config"
    return json.loads(match.group(1))


# -- the policy merge (units) ------------------------------------------------------


def test_parse_policy_follows_csp_parsing():
    """Names are case-insensitive, the first of a repeated directive counts, empty parts are skipped."""
    assert parse_policy("Default-Src 'self';; img-src data: ; img-src *; sandbox") == {
        "default-src": "'self'",
        "img-src": "data:",
        "sandbox": "",
    }


def test_hub_frame_ancestors_is_merged_and_script_policy_kept():
    ours = page_policy(inline_scripts=['{"imports": {}}'], report_uri="/api/security/csp-report")
    merged = parse_policy(merge_policies(ours, "frame-ancestors 'none'"))
    assert merged["frame-ancestors"] == "'none'"
    assert merged["script-src"] == parse_policy(ours)["script-src"]
    assert merged["script-src"].startswith("'self' 'sha256-")
    assert merged["object-src"] == "'none'"
    assert set(parse_policy(ours)) <= set(merged)


def test_operator_cannot_loosen_script_src_but_can_add_directives():
    ours = page_policy(inline_scripts=[], report_uri="/r")
    merged = parse_policy(
        merge_policies(ours, "script-src * 'unsafe-inline' 'unsafe-eval'; upgrade-insecure-requests; report-uri /mine")
    )
    assert merged["script-src"] == "'self'"
    assert "upgrade-insecure-requests" in merged
    assert merged["report-uri"] == "/mine"


def test_no_operator_policy_keeps_ours():
    ours = page_policy(inline_scripts=[], report_uri="/r")
    assert parse_policy(merge_policies(ours, None)) == parse_policy(ours)


# -- a server configured as JupyterHub configures it ------------------------------------


class TestBehindHub:
    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        jp_server_config["ServerApp"]["tornado_settings"] = {
            "headers": {"Content-Security-Policy": "frame-ancestors 'none'"},
            "page_config_hook": hub_page_config_hook,
        }
        return jp_server_config

    async def test_page_keeps_its_policy_with_the_hubs_frame_ancestors(self, jp_fetch, built_frontend):
        response = await jp_fetch("jlab-alt")
        policies = response.headers.get_list("Content-Security-Policy")
        assert len(policies) == 1, policies
        policy = parse_policy(policies[0])
        assert policy["frame-ancestors"] == "'none'"
        assert re.fullmatch(r"'self' 'sha256-[A-Za-z0-9+/=]+'", policy["script-src"])
        assert policy["object-src"] == "'none'"
        assert policy["connect-src"] == "'self' ws: wss:"

    async def test_page_config_has_the_hub_keys_but_never_the_token(self, jp_fetch, built_frontend):
        response = await jp_fetch("jlab-alt", "tree", "a.ipynb")
        config = page_config_of(response.body)
        assert config["hubUser"] == "ana+b"
        assert config["hubPrefix"] == "/hub/"
        assert config["hubServerName"] == ""
        assert config["treePath"] == "a.ipynb"
        assert "token" not in config
        assert HUB_TOKEN.encode() not in response.body

    async def test_local_kernels_are_not_remote(self, jp_fetch, built_frontend):
        config = page_config_of((await jp_fetch("jlab-alt")).body)
        assert config["remoteKernels"] is False


class TestFailingHook:
    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        def broken(handler, page_config):  # noqa: ANN001, ANN202
            raise RuntimeError("boom")

        jp_server_config["ServerApp"]["tornado_settings"] = {"page_config_hook": broken}
        return jp_server_config

    async def test_a_failing_hook_does_not_take_the_page_down(self, jp_fetch, built_frontend):
        response = await jp_fetch("jlab-alt")
        assert response.code == 200
        assert "hubUser" not in page_config_of(response.body)


class TestGatewayMode:
    @pytest.fixture
    def jp_server_config(self, jp_server_config):
        # GatewayClient is a process-wide singleton: an earlier test's instance (no
        # URL) would be reused instead of one built from this config.
        GatewayClient.clear_instance()
        # No gateway needs to run for the page: only the flag is read.
        jp_server_config["GatewayClient"] = {"url": "http://127.0.0.1:9"}
        yield jp_server_config
        GatewayClient.clear_instance()

    async def test_page_config_says_kernels_are_remote(self, jp_fetch, built_frontend):
        config = page_config_of((await jp_fetch("jlab-alt")).body)
        assert config["remoteKernels"] is True
