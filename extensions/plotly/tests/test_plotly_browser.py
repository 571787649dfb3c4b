"""plotly in the browser, with jlab-alt's testing toolkit (``jlab_alt_page``): Plotly
figures (``application/vnd.plotly.v1+json``) are drawn as charts, whether a cell's run
outputs them or the notebook stores them; plotly.js is fetched only when one is drawn."""

import json
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.jlab_alt_shared_server  # one server for the module

CORPUS = Path(os.environ.get("JLAB_ALT_CORPUS") or Path(__file__).resolve().parents[4] / "shared" / "corpus" / "notebooks")
PLOTLY_MIME = "application/vnd.plotly.v1+json"
PLOTLY_JS = "/jlab-alt/ext/plotly/lib/plotly.min.js"


@pytest.fixture(scope="module")
def jlab_alt_server_options():
    return {"only": ["plotly"]}


def test_cell_showing_a_figure_draws_a_chart(jlab_alt_page):
    app = jlab_alt_page
    app.assert_no_failed_plugins()
    fetched = []
    app.page.on("request", lambda r: fetched.append(r.url) if PLOTLY_JS in r.url else None)
    app.new_notebook()
    assert fetched == [], "plotly.js was fetched before any figure was drawn"

    # What a user writes: a plotly figure, shown the way Jupyter frontends take it (the mime bundle).
    app.set_cell(0, "import plotly.graph_objects as go\nimport plotly.io as pio\n"
                    "pio.renderers.default = 'plotly_mimetype'\n"
                    "go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2], mode='markers')).show()")
    app.run_cell(0)
    figure = app.document().get_by_test_id("plotly-figure")
    expect(figure).to_have_count(1)
    # A chart: an SVG with one scatter trace of three points, not the figure's JSON.
    expect(figure.locator(".main-svg").first).to_be_visible()
    expect(figure.locator(".scatterlayer .trace")).to_have_count(1)
    expect(figure.locator(".scatterlayer .point")).to_have_count(3)
    assert PLOTLY_MIME not in app.cell_output_text(0)
    expect(app.document().locator(".ja-MimeOutput.ja-mod-error")).to_have_count(0)
    assert len(fetched) == 1, fetched


def test_stored_figures_are_drawn_on_open(jlab_alt_page):
    app = jlab_alt_page
    app.assert_no_failed_plugins()
    source = CORPUS / "renderers__nteract_plotly_unsorted.ipynb"
    assert source.is_file(), f"Corpus notebook {source} is missing: set JLAB_ALT_CORPUS"
    shutil.copyfile(source, app.root / "plotly.ipynb")
    cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
    stored = [o for c in cells for o in c.get("outputs", []) if PLOTLY_MIME in o.get("data", {})]
    assert len(stored) > 1
    with_figures = [i for i, c in enumerate(cells) if any(PLOTLY_MIME in o.get("data", {}) for o in c.get("outputs", []))]

    panel = app.open("plotly.ipynb")
    figures = panel.get_by_test_id("plotly-figure")
    # Cells are drawn as they come near the screen: each figure's cell, scrolled to,
    # draws it, and figures stay drawn.
    for i in with_figures:
        app.cell_outputs(i)
        expect(panel.get_by_test_id("cell").nth(i).get_by_test_id("plotly-figure").locator(".main-svg").first).to_be_attached()
    expect(figures).to_have_count(len(stored))
    figures.first.scroll_into_view_if_needed()
    expect(figures.first.locator(".main-svg").first).to_be_visible()
    expect(panel.locator(".ja-MimeOutput.ja-mod-error")).to_have_count(0)
