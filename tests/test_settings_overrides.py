"""Site-wide setting defaults (``overrides.json``) and the merged ``composite`` settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOK = "@jlab-alt/notebook:plugin"
THEME = "@jlab-alt/theme:plugin"


@pytest.fixture
def overrides_files(tmp_path: Path) -> tuple[Path, Path]:
    """Two overrides files: a user-level one (listed first, wins) and a site one."""
    site = tmp_path / "share" / "jupyter" / "jlab_alt" / "settings" / "overrides.json"
    site.parent.mkdir(parents=True)
    site.write_text(
        json.dumps(
            {
                NOTEBOOK: {"autosaveInterval": 300, "autosave": False},
                THEME: {"preference": "purple"},  # not in the schema's enum: ignored
                "no-such:plugin": {"x": 1},  # no schema: ignored
            }
        ),
        encoding="utf-8",
    )
    first = tmp_path / "etc" / "jupyter" / "jlab_alt" / "overrides.json"
    first.parent.mkdir(parents=True)
    first.write_text(json.dumps({NOTEBOOK: {"autosaveInterval": 600}}), encoding="utf-8")
    return first, site


@pytest.fixture
def jp_server_config(settings_dir: Path, tmp_path: Path, overrides_files) -> dict:
    first, site = overrides_files
    return {
        "ServerApp": {"jpserver_extensions": {"jlab_alt": True}},
        "JlabAltApp": {
            "user_settings_dir": str(settings_dir),
            "workspaces_dir": str(tmp_path / "workspaces"),
            "settings_overrides_paths": [str(first), str(tmp_path / "missing.json"), str(site)],
        },
    }


async def _get(jp_fetch, *parts: str) -> dict:
    response = await jp_fetch("jlab-alt", "api", "settings", *parts)
    assert response.code == 200
    return json.loads(response.body)


async def test_overrides_replace_schema_defaults(jp_fetch):
    """The admin's values become the defaults every user sees; the earlier file wins per
    key; a value that breaks the schema and a plugin without schema are ignored; a
    missing file is skipped."""
    notebook = await _get(jp_fetch, NOTEBOOK)
    assert notebook["settings"] == {}
    assert notebook["composite"] == {"autosave": False, "autosaveInterval": 600}
    assert notebook["schema"]["properties"]["autosaveInterval"]["default"] == 600
    theme = await _get(jp_fetch, THEME)
    assert theme["composite"] == {"preference": "system"}


async def test_user_settings_win_over_overrides(jp_fetch, jp_serverapp):
    response = await jp_fetch(
        "jlab-alt", "api", "settings", NOTEBOOK, method="PUT",
        body=json.dumps({"settings": {"autosaveInterval": 30}}),
    )
    assert response.code == 204
    notebook = await _get(jp_fetch, NOTEBOOK)
    assert notebook["settings"] == {"autosaveInterval": 30}
    assert notebook["composite"] == {"autosave": False, "autosaveInterval": 30}
    app = jp_serverapp.extension_manager.extension_apps["jlab_alt"]
    assert next(iter(app)).read_settings(NOTEBOOK) == {"autosave": False, "autosaveInterval": 30}


async def test_all_settings_at_once(jp_fetch):
    """``GET /jlab-alt/api/settings`` lists every plugin with a schema, as the settings
    editor shows them, with the same entries as the per-plugin GET."""
    listing = (await _get(jp_fetch))["settings"]
    ids = [entry["id"] for entry in listing]
    assert ids == sorted(ids)
    assert {NOTEBOOK, THEME, "@jlab-alt/editor:plugin", "@jlab-alt/shell:layout",
            "@jlab-alt/settingeditor:shortcuts"} <= set(ids)
    for entry in listing:
        if entry["id"] == NOTEBOOK:
            assert entry == await _get(jp_fetch, NOTEBOOK)
    refused = await jp_fetch("jlab-alt", "api", "settings", method="PUT", body="{}", raise_error=False)
    assert refused.code == 405


def test_read_overrides_tolerates_bad_files(tmp_path: Path):
    from jlab_alt.settings_store import read_overrides

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"a:plugin": 3}), encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"a:plugin": {"x": 1, "y": 2}}), encoding="utf-8")
    better = tmp_path / "better.json"
    better.write_text(json.dumps({"a:plugin": {"x": 5}}), encoding="utf-8")
    assert read_overrides([better, bad, wrong, tmp_path / "none.json", good]) == {"a:plugin": {"x": 5, "y": 2}}


def test_default_overrides_paths_include_sys_prefix():
    """The documented place: ``{sys.prefix}/share/jupyter/jlab_alt/settings/overrides.json``."""
    import sys

    from jlab_alt.app import JlabAltApp

    paths = JlabAltApp().settings_overrides_paths
    assert str(Path(sys.prefix) / "share" / "jupyter" / "jlab_alt" / "settings" / "overrides.json") in paths
