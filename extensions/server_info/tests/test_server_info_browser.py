"""server_info in the browser, with jlab-alt's testing toolkit (``jlab_alt_page``): the
status bar item shows the server's Python and counts the running kernels."""

import platform

import pytest
from playwright.sync_api import expect


@pytest.fixture(scope="module")
def jlab_alt_server_options():
    return {"only": ["server_info"]}


def test_status_item_counts_kernels(jlab_alt_page):
    app = jlab_alt_page
    app.assert_no_failed_plugins()
    item = app.page.get_by_test_id("server-info")
    expect(item).to_contain_text(f"Python {platform.python_version()} · 0 kernels")
    # The notebook's kernel is counted as it starts, without a refresh.
    app.new_notebook()
    expect(item).to_contain_text("· 1 kernel ·")
    assert app.palette("Refresh") == "server-info:refresh"
    expect(item).to_contain_text("· 1 kernel ·")
