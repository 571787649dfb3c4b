"""Kernelspec logos that are SVG with scripts never run script from the app's origin.

A real kernelspec is installed in the test server's JUPYTER_DATA_DIR with a
``logo-svg.svg`` that carries ``<script>``, ``onload=``, a ``javascript:`` link and
external references (``tests/fixtures/hostile-logo.svg``). The host lists it and
serves it (the launcher draws it); jlab-alt's answer for the file sandboxes it, so
opening the logo URL as a page cannot run the script either. The browser side
(the launcher shows the logo, nothing runs) is ``ui-tests/kernelspec-logos.spec.ts``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from tornado.httpclient import HTTPClientError

from jlab_alt.csp import parse_policy

HOSTILE_LOGO = Path(__file__).parent / "fixtures" / "hostile-logo.svg"


@pytest.fixture
def svg_kernelspec(jp_data_dir: Path) -> str:
    """A kernelspec named ``svgprobe`` whose only logo is the hostile SVG."""
    folder = jp_data_dir / "kernels" / "svgprobe"
    folder.mkdir(parents=True)
    (folder / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "SVG Probe",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    (folder / "logo-svg.svg").write_bytes(HOSTILE_LOGO.read_bytes())
    return "svgprobe"


def _assert_sandboxed(headers) -> None:
    policy = parse_policy(headers["Content-Security-Policy"])
    assert "sandbox" in policy and "allow-scripts" not in policy["sandbox"]
    assert policy["default-src"] == "'none'"
    assert "script-src" not in policy  # falls back to default-src 'none'
    assert "connect-src" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"


async def test_an_svg_logo_is_listed_and_served_sandboxed(jp_fetch, jp_base_url, svg_kernelspec):
    specs = json.loads((await jp_fetch("api", "kernelspecs")).body)
    resources = specs["kernelspecs"][svg_kernelspec]["resources"]
    # The launcher loads this URL as an <img>: same origin, under the base URL.
    assert resources["logo-svg"] == f"{jp_base_url}kernelspecs/{svg_kernelspec}/logo-svg.svg"

    response = await jp_fetch("kernelspecs", svg_kernelspec, "logo-svg.svg")
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    assert b"<script>" in response.body  # served as is: the policy, not rewriting, disarms it
    _assert_sandboxed(response.headers)


async def test_missing_resources_are_sandboxed_too(jp_fetch, svg_kernelspec):
    for parts in (("kernelspecs", svg_kernelspec, "nothing.svg"), ("kernelspecs", "no-such-kernel", "logo-svg.svg")):
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch(*parts)
        assert err.value.code == 404
        assert err.value.response is not None
        _assert_sandboxed(err.value.response.headers)


async def test_png_logos_of_the_default_kernel_still_load(jp_fetch):
    specs = json.loads((await jp_fetch("api", "kernelspecs")).body)
    default = specs["default"]
    logo = specs["kernelspecs"][default]["resources"].get("logo-64x64")
    assert logo, "the default kernel (ipykernel) ships a 64x64 PNG logo"
    response = await jp_fetch("kernelspecs", default, "logo-64x64.png")
    assert response.code == 200 and response.body.startswith(b"\x89PNG")
    _assert_sandboxed(response.headers)
