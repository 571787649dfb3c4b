"""The toolkit's extension helpers: a broken extension is reported by name and error;
``only`` disables the other installed extensions."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def jlab_alt_server_options():
    # tests/fixtures/broken_ext is inert unless armed in the server's environment.
    return {"env": {"JLAB_ALT_TEST_BROKEN": "1"}}


@pytest.mark.jlab_alt_shared_server
def test_broken_extension_is_reported(jlab_alt_page):
    failures = {f["id"]: f for f in jlab_alt_page.plugin_failures()}
    assert "deliberately throws" in failures["broken_activate:plugin"]["error"]
    assert failures["broken_activate:plugin"]["extension"] == "broken_activate"
    assert "broken_missing_dep:plugin" in failures
    with pytest.raises(AssertionError) as raised:
        jlab_alt_page.assert_no_failed_plugins()
    message = str(raised.value)
    assert "broken_activate:plugin (extension 'broken_activate'): " in message
    assert "deliberately throws" in message


class TestOnly:
    @pytest.fixture
    def jlab_alt_server_options(self):
        # Function scope: these tests use their own server (jlab_alt_server), one each.
        return {"env": {"JLAB_ALT_TEST_BROKEN": "1"}, "only": ["server_info"]}

    def test_only_keeps_the_named_extension(self, jlab_alt_page):
        jlab_alt_page.assert_no_failed_plugins()
        listed = jlab_alt_page.server.api("GET", "jlab-alt/api/extensions")["extensions"]
        enabled = {e["name"] for e in listed if e.get("enabled", True)}
        assert "server_info" in enabled
        assert "broken_activate" not in enabled
