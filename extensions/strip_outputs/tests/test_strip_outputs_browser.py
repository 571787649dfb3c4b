"""strip_outputs in the browser, with jlab-alt's testing toolkit (``jlab_alt_page``): with
"Strip Outputs on Save" on, a saved notebook's file has no outputs nor execution counts
while the notebook on screen keeps them; off (the default), saves keep them."""

import json
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.jlab_alt_shared_server  # one server for the module

PLUGIN_ID = "strip_outputs:plugin"


@pytest.fixture(scope="module")
def jlab_alt_server_options():
    return {"only": ["strip_outputs"]}


def _set_strip(server, value: bool) -> None:
    server.api("PUT", f"jlab-alt/api/settings/{quote(PLUGIN_ID, safe='')}", {"settings": {"stripOutputs": value}})


@pytest.fixture(autouse=True)
def strip_off(jlab_alt_shared_server):
    # The module's tests share the server's settings: each starts from the default (off).
    _set_strip(jlab_alt_shared_server, False)


def _code_cells(app, name):
    nb = json.loads((app.root / name).read_text(encoding="utf-8"))
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _notified(app, text):
    expect(app.page.get_by_test_id("notification").filter(has_text=text)).to_be_visible()


def test_toggle_strips_the_saved_file_and_keeps_the_screen(jlab_alt_page):
    app = jlab_alt_page
    app.assert_no_failed_plugins()
    app.new_notebook(path="strip.ipynb")
    app.set_cell(0, "print('hello')")
    assert app.run_cell(0) == "hello"
    prompt = app.document().get_by_test_id("cell").nth(0).locator(".ja-Cell-prompt")
    expect(prompt).to_have_text("[1]:")

    # Off by default: the file keeps the output.
    app.save()
    [cell] = _code_cells(app, "strip.ipynb")
    assert cell["execution_count"] == 1
    assert "".join(cell["outputs"][0]["text"]) == "hello\n"

    assert app.palette("Strip Outputs on Save") == "strip-outputs:toggle"
    _notified(app, "Outputs will be stripped on save.")
    app.save()
    [cell] = _code_cells(app, "strip.ipynb")
    assert cell["outputs"] == []
    assert cell["execution_count"] is None
    assert cell["source"] in ("print('hello')", ["print('hello')"])
    # The open notebook keeps its output and count.
    assert app.cell_output_text(0) == "hello"
    expect(prompt).to_have_text("[1]:")

    # Off again: the next save writes them back.
    assert app.palette("Strip Outputs on Save") == "strip-outputs:toggle"
    _notified(app, "Outputs will be kept on save.")
    app.save()
    [cell] = _code_cells(app, "strip.ipynb")
    assert cell["execution_count"] == 1
    assert "".join(cell["outputs"][0]["text"]) == "hello\n"


def test_setting_stored_through_the_rest_api_strips_only_code_cells(jlab_alt_page):
    app = jlab_alt_page
    app.assert_no_failed_plugins()
    _set_strip(app.server, True)  # as the README documents, from outside the app
    app.new_notebook(path="rest.ipynb")
    app.set_cell(0, "1 + 1")
    assert app.run_cell(0) == "2"
    note = app.add_cell("# Kept *as written*", type="markdown")
    app.run_cell(note)
    app.save()

    nb = json.loads((app.root / "rest.ipynb").read_text(encoding="utf-8"))
    code, markdown = nb["cells"]
    assert (code["outputs"], code["execution_count"]) == ([], None)
    assert "".join(markdown["source"]) == "# Kept *as written*"
    assert app.cell_output_text(0) == "2"
    expect(app.document().get_by_test_id("cell").nth(0).locator(".ja-Cell-prompt")).to_have_text(re.compile(r"\[1\]"))
