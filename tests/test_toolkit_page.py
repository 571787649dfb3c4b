"""The browser-test toolkit (``jlab_alt_page``) on real servers, kernels and Chromium.

One server per module (``jlab_alt_shared_server``) where tests do not interfere; each
test has its own root sub-folder, and the fixture shuts down what it started.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from jlab_alt.testing.snapshots import compare_screenshot

CORPUS = Path(os.environ.get("JLAB_ALT_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus" / "notebooks")
SIMPLE = "papermill__simple_output.ipynb"

pytestmark = pytest.mark.jlab_alt_shared_server


def corpus(name: str, into: Path) -> str:
    source = CORPUS / name
    assert source.is_file(), f"Corpus notebook {source} is missing: set JLAB_ALT_CORPUS"
    shutil.copyfile(source, into / name)
    return name


def test_notebook_helpers_on_a_corpus_notebook(jlab_alt_page):
    app = jlab_alt_page
    name = corpus(SIMPLE, app.root)
    app.open(name)
    assert app.cell_count() == 4
    app.wait_for_idle()
    assert app.kernel_status() == "idle"
    app.run_all()
    assert app.cell_output_text(3) == "Hello"
    outputs = app.cell_outputs(3)
    assert [o["output_type"] for o in outputs] == ["stream"]
    app.set_cell(2, 'msg = "Bonjour"')
    app.run_cell(2)
    assert app.run_cell(3) == "Bonjour"
    index = app.add_cell("6 * 7")
    assert index == 4
    assert app.run_cell(index) == "42"
    assert app.cell_outputs(index)[0]["output_type"] == "execute_result"
    md = app.add_cell("# A title", type="markdown")
    assert app.page.get_by_test_id("cell").nth(md).get_attribute("data-type") == "markdown"
    assert app.run_cell(md) == ""
    expect(app.page.get_by_test_id("cell").nth(md).locator(".ja-Cell-rendered h1")).to_have_text("A title")
    # A rendered Markdown cell draws no input: Run All skips it rather than waiting on one.
    app.run_all()
    assert app.cell_output_text(index) == "42"
    app.save()
    saved = json.loads((app.root / name).read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in saved["cells"]]
    assert sources[2:] == ['msg = "Bonjour"', "print(msg)", "6 * 7", "# A title"]
    assert saved["cells"][3]["outputs"][0]["text"] in ("Bonjour\n", ["Bonjour\n"])


def test_new_notebook_runs_rich_and_error_outputs(jlab_alt_page):
    app = jlab_alt_page
    app.new_notebook(path="fresh.ipynb")
    app.set_cell(0, "from IPython.display import HTML\nHTML('<b data-x=1>bold</b>')")
    app.run_cell(0)
    (out,) = app.cell_outputs(0)
    assert out["output_type"] == "execute_result" and "<b" in out["html"] and out["text"] == "bold"
    app.add_cell("1 / 0")
    assert "ZeroDivisionError" in app.run_cell(1)
    # A string expression works on the app page: the test context bypasses its CSP.
    app.page.wait_for_function("document.body.dataset.jaState === 'ready'")


def test_untitled_notebook_from_the_app(jlab_alt_page):
    app = jlab_alt_page
    app.new_notebook()
    assert app.path.startswith(app.prefix + "Untitled") and app.path.endswith(".ipynb")
    assert (app.root / app.path[len(app.prefix):]).is_file()


def test_commands_palette_menu_sidebar_theme_setting(jlab_alt_page):
    app = jlab_alt_page
    with pytest.raises(ValueError, match="no-such:command"):
        app.run_command("no-such:command")
    assert app.palette("Use Dark Theme") == "theme:dark"
    assert app.page.evaluate("document.documentElement.dataset.theme") == "dark"
    app.set_theme("light")
    assert app.page.evaluate("document.documentElement.dataset.theme") == "light"
    app.run_command("Use Dark Theme")
    assert app.page.evaluate("document.documentElement.dataset.theme") == "dark"
    app.set_theme("light")
    app.menu("Help>About jlab-alt")
    about = app.page.get_by_test_id("about")
    about.wait_for()
    app.page.keyboard.press("Escape")
    about.wait_for(state="hidden")
    with pytest.raises(ValueError, match="no menu"):
        app.menu("Nope>Thing")
    panel = app.sidebar("Table of Contents")
    assert panel.is_visible()
    with pytest.raises(ValueError):
        app.sidebar("No Such Panel")
    composite = app.setting("@jlab-alt/theme:plugin", "preference", "dark")
    assert composite["preference"] == "dark"
    app.page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
    app.setting("@jlab-alt/theme:plugin", "preference", "light")
    app.page.wait_for_function("document.documentElement.dataset.theme === 'light'")
    app.assert_no_failed_plugins()


def test_kernels_and_terminals_started_by_a_test_are_shut_down(jlab_alt_page, request):
    app = jlab_alt_page
    app.new_notebook(path="k.ipynb")
    app.run_command("terminal:create-new")
    app.page.locator(".xterm").first.wait_for()
    kernels = app.server.api("GET", "api/kernels")
    terminals = app.server.api("GET", "api/terminals")
    assert len(kernels) >= 1 and len(terminals) >= 1
    request.config.stash[_STARTED] = (app.server, {k["id"] for k in kernels}, {t["name"] for t in terminals})


_STARTED = pytest.StashKey[tuple]()


def test_the_previous_tests_kernels_and_terminals_are_gone(request, jlab_alt_shared_server):
    """Runs after the test above (same module, same server): its teardown shut them down."""
    if _STARTED not in request.config.stash:
        pytest.fail("Run this test with the one above it (it checks that one's teardown)")
    server, kernels, terminals = request.config.stash[_STARTED]
    assert server is jlab_alt_shared_server
    assert not kernels & {k["id"] for k in server.api("GET", "api/kernels")}
    assert not terminals & {t["name"] for t in server.api("GET", "api/terminals")}


def test_screenshot_passes_then_fails_with_a_diff(jlab_alt_page, tmp_path):
    app = jlab_alt_page
    app.snapshot_dir = tmp_path / "snapshots"
    app.output_dir = tmp_path / "out"
    app.new_notebook(kernel=None, path="shot.ipynb")
    cell = app.page.get_by_test_id("cell").first
    app.set_cell(0, "x = 1")
    with pytest.raises(AssertionError, match="No stored screenshot"):
        app.expect_screenshot("cell", cell)
    assert (app.snapshot_dir / "cell.png").is_file()
    app.expect_screenshot("cell", cell)  # the same rendering compares equal
    app.set_cell(0, "x = 'something else entirely'")
    with pytest.raises(AssertionError, match="pixels differ") as failure:
        app.expect_screenshot("cell", cell)
    diff = app.output_dir / "cell-diff.png"
    assert str(diff) in str(failure.value)
    with Image.open(diff) as image:
        assert (255, 0, 0) in {px for _, px in image.getcolors(1 << 20)}
    app.update_snapshots = True
    app.expect_screenshot("cell", cell)
    app.update_snapshots = False
    app.expect_screenshot("cell", cell)


def test_screenshots_do_not_depend_on_the_machines_fonts(jlab_alt_page, tmp_path):
    """A baseline taken where the app's font stacks resolve to one font still matches
    where they resolve to another: screenshots pin the fonts (and the page gets its own
    fonts back afterwards). Without pinning the same change is a visible difference."""
    app = jlab_alt_page
    app.snapshot_dir = tmp_path / "snapshots"
    app.output_dir = tmp_path / "out"
    app.new_notebook(kernel=None, path="fonts.ipynb")
    cell = app.page.get_by_test_id("cell").first
    app.set_cell(0, "print('the same text, another machine')")
    app.update_snapshots = True
    app.expect_screenshot("fonts", cell)
    app.update_snapshots = False
    # Another machine: its system picks other fonts for the app's stacks.
    app.page.add_style_tag(content=":root { --ja-font: serif; --ja-font-mono: serif; }")
    app.expect_screenshot("fonts", cell)
    assert app.page.evaluate("() => document.documentElement.style.getPropertyValue('--ja-font-mono')") == ""
    app.screenshot_fonts = None
    with pytest.raises(AssertionError, match="pixels differ|size"):
        app.expect_screenshot("fonts", cell)


def test_compare_screenshot_threshold_and_size(tmp_path):
    import io

    def png(colour, size=(20, 10)):
        buf = io.BytesIO()
        Image.new("RGB", size, colour).save(buf, format="PNG")
        return buf.getvalue()

    stored = tmp_path / "s.png"
    stored.write_bytes(png((100, 100, 100)))
    compare_screenshot(png((110, 100, 100)), stored, tmp_path / "o", threshold=0.1)
    with pytest.raises(AssertionError, match="200 of 200 pixels"):
        compare_screenshot(png((140, 100, 100)), stored, tmp_path / "o", threshold=0.1)
    with pytest.raises(AssertionError, match="size"):
        compare_screenshot(png((100, 100, 100), (21, 10)), stored, tmp_path / "o")
