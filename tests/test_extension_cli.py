"""``jlab-alt extension list|enable|disable|new``, run as a user runs them: the
installed console script in a subprocess, with a private ``JUPYTER_CONFIG_DIR``.

The last tests follow the extension author's worked example end to end: scaffold a
project, pip install it, see it listed, and run the tests the scaffold generated.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from jlab_alt.assets import STATIC_DIR

REAL = ["plotly", "server_info", "strip_outputs"]
BUILTIN_ID = "@jlab-alt/filebrowser:plugin"
SCAFFOLD_DIST = "jlab-alt-my-ext"


def _jlab_alt_script() -> str:
    """The installed ``jlab-alt`` console script (next to this Python, else on PATH)."""
    name = "jlab-alt.exe" if os.name == "nt" else "jlab-alt"
    candidate = Path(sysconfig.get_path("scripts")) / name
    if candidate.is_file():
        return str(candidate)
    found = shutil.which("jlab-alt")
    if found is None:
        pytest.fail("The `jlab-alt` command is not installed for this Python.", pytrace=False)
    return found


def _env(config_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("JLAB_ALT_DISABLE", "JLAB_ALT_TEST_BROKEN")}
    env["JUPYTER_CONFIG_DIR"] = str(config_dir)
    return env


def run_cli(config_dir: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``jlab-alt extension *args``; output is captured as text."""
    return subprocess.run(
        [_jlab_alt_script(), "extension", *args],
        env=_env(config_dir), cwd=cwd, capture_output=True, text=True, timeout=120,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return result.stdout


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    return tmp_path / "jupyter-config"


def _config_file(config_dir: Path) -> Path:
    return config_dir / "jlab_alt" / "extensions.json"


def _disabled_in_file(config_dir: Path) -> list[str]:
    return json.loads(_config_file(config_dir).read_text(encoding="utf-8"))["disabledExtensions"]


def _line_of(output: str, name: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip().split(" ")[0] == name]
    assert len(lines) == 1, f"expected one line for {name!r} in:\n{output}"
    return lines[0]


def _builtin_ids() -> list[str]:
    return [p["id"] for p in json.loads((STATIC_DIR / "builtins.json").read_text(encoding="utf-8"))]


# -- list ---------------------------------------------------------------------------


def test_list_shows_extensions_and_builtins(config_dir):
    """``list`` shows each installed extension with version, state, parts and status,
    then every built-in plugin, and where disabled names are kept."""
    out = ok(run_cli(config_dir, "list"))
    for name in REAL:
        dist = "jlab-alt-" + name.replace("_", "-")  # what pip knows it as
        assert re.fullmatch(
            rf"{name} 0\.1\.0 \(pip: {dist}\)  enabled  \[server, frontend\]  OK", _line_of(out, name)
        ), out
    assert out.index("Extensions") < out.index("Built-in plugins")
    for plugin_id in _builtin_ids():
        assert _line_of(out, plugin_id) == f"{plugin_id}  enabled"
    assert str(_config_file(config_dir)) in out
    assert not config_dir.exists(), "listing must not write the config"


def test_list_json(config_dir):
    """``list --json`` is machine-readable and says the same."""
    listing = json.loads(ok(run_cli(config_dir, "list", "--json")))
    extensions = {e["name"]: e for e in listing["extensions"]}
    for name in REAL:
        assert extensions[name]["version"] == "0.1.0"
        assert extensions[name]["distribution"] == "jlab-alt-" + name.replace("_", "-")
        assert extensions[name]["enabled"] is True
        assert extensions[name]["server"] is True
        assert extensions[name]["frontend"] == {"entry": "index.js"}
        assert extensions[name]["errors"] == []
    assert [b["id"] for b in listing["builtins"]] == _builtin_ids()
    assert all(b["enabled"] for b in listing["builtins"])


def test_a_corrupt_config_file_is_reported_not_overwritten(config_dir):
    """A hand-edited config that is not the expected JSON is an error naming the file
    (not a traceback, not a silent "everything enabled"), and disabling something
    does not overwrite what the user wrote."""
    path = _config_file(config_dir)
    path.parent.mkdir(parents=True)
    for content, args in (('{"disabledExtensions": [', ["list"]), ('["server_info"]', ["disable", "plotly"])):
        path.write_text(content, encoding="utf-8")
        result = run_cli(config_dir, *args)
        assert result.returncode != 0, args
        assert str(path) in result.stderr, args
        assert "Traceback" not in result.stderr, args
        assert path.read_text(encoding="utf-8") == content


# -- enable / disable ---------------------------------------------------------------


def test_disable_then_enable_an_extension(config_dir):
    """``disable server_info`` records it in the config file and ``list`` shows it
    disabled; disabling again says so; ``enable`` reverses it."""
    out = ok(run_cli(config_dir, "disable", "server_info"))
    assert "server_info disabled" in out and "restart" in out
    assert _disabled_in_file(config_dir) == ["server_info"]

    listed = ok(run_cli(config_dir, "list"))
    assert _line_of(listed, "server_info").startswith("server_info 0.1.0 (pip: jlab-alt-server-info)  disabled")
    assert _line_of(listed, "plotly").startswith("plotly 0.1.0 (pip: jlab-alt-plotly)  enabled")

    again = ok(run_cli(config_dir, "disable", "server_info"))
    assert "already" in again
    assert _disabled_in_file(config_dir) == ["server_info"]

    out = ok(run_cli(config_dir, "enable", "server_info"))
    assert "server_info enabled" in out
    assert _disabled_in_file(config_dir) == []
    listing = json.loads(ok(run_cli(config_dir, "list", "--json")))
    assert {e["name"]: e["enabled"] for e in listing["extensions"]}["server_info"] is True


def test_disable_a_builtin_plugin(config_dir):
    """Built-in frontend plugins are disabled by id, the same way."""
    ok(run_cli(config_dir, "disable", BUILTIN_ID))
    assert _disabled_in_file(config_dir) == [BUILTIN_ID]
    listing = json.loads(ok(run_cli(config_dir, "list", "--json")))
    states = {b["id"]: b["enabled"] for b in listing["builtins"]}
    assert states[BUILTIN_ID] is False
    assert all(enabled for plugin_id, enabled in states.items() if plugin_id != BUILTIN_ID)
    assert all(e["enabled"] for e in listing["extensions"])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["disable"], "give exactly one extension name"),
        (["enable", "server_info", "plotly"], "give exactly one extension name"),
        (["new"], "give the extension's name"),
    ],
)
def test_bad_usage_fails_with_a_message(config_dir, args, expected):
    result = run_cli(config_dir, *args)
    assert result.returncode != 0
    assert expected in result.stderr
    assert not config_dir.exists()


# -- new ----------------------------------------------------------------------------


def test_new_scaffolds_a_project(config_dir, tmp_path):
    """``new my_ext --dir D`` writes a pip-installable project: the entry point in
    pyproject.toml, the hook module, a handler, the ES-module frontend and tests."""
    target = tmp_path / "my_ext"
    out = ok(run_cli(config_dir, "new", "my_ext", "--dir", str(target)))
    assert str(target) in out
    files = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    assert {
        "pyproject.toml",
        "README.md",
        "my_ext/__init__.py",
        "my_ext/plugin.py",
        "my_ext/handlers.py",
        "my_ext/static/index.js",
        "tests/test_my_ext.py",
        "tests/test_my_ext_browser.py",
    } <= files
    for name in files:
        assert name in out, f"{name} is not in the printed list"
    project = tomllib.loads((target / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == SCAFFOLD_DIST
    assert project["project"]["entry-points"]["jlab_alt"] == {"my_ext": "my_ext.plugin"}
    for name in files:
        text = (target / name).read_text(encoding="utf-8")
        assert "${" not in text, f"unsubstituted template variable in {name}"
        if name.endswith(".py"):
            compile(text, name, "exec")
    assert "ext/my_ext/hello" in (target / "my_ext" / "static" / "index.js").read_text()


@pytest.mark.parametrize("name", ["My-Ext", "1ext"])
def test_new_refuses_an_invalid_name(config_dir, tmp_path, name):
    target = tmp_path / "project"
    result = run_cli(config_dir, "new", name, "--dir", str(target))
    assert result.returncode != 0
    assert "not a valid extension name" in result.stderr
    assert not target.exists()


def test_new_refuses_a_non_empty_folder(config_dir, tmp_path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = run_cli(config_dir, "new", "my_ext", "--dir", str(target))
    assert result.returncode != 0
    assert "not empty" in result.stderr
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert (target / "notes.txt").read_text() == "mine"


# -- the worked example: scaffold, install, list, test --------------------------------


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", *args, "--disable-pip-version-check"],
        capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def installed_scaffold(tmp_path_factory) -> Iterator[Path]:
    """``jlab-alt extension new my_ext`` then ``pip install -e`` it; uninstalled after."""
    root = tmp_path_factory.mktemp("worked-example")
    project = root / "my_ext"
    ok(run_cli(root / "config", "new", "my_ext", "--dir", str(project)))
    result = _pip("install", "-e", str(project), "--no-build-isolation")
    try:
        assert result.returncode == 0, f"pip install failed:\n{result.stdout}\n{result.stderr}"
        yield project
    finally:
        _pip("uninstall", "-y", SCAFFOLD_DIST)


def test_installed_scaffold_is_listed(installed_scaffold, config_dir):
    out = ok(run_cli(config_dir, "list"))
    assert re.fullmatch(
        rf"my_ext 0\.1\.0 \(pip: {SCAFFOLD_DIST}\)  enabled  \[server, frontend\]  OK", _line_of(out, "my_ext")
    ), out


def test_scaffold_tests_pass(installed_scaffold, tmp_path):
    """The tests the scaffold generated pass against the installed project, its
    browser test included."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(installed_scaffold / "tests")],
        cwd=installed_scaffold, env=_env(tmp_path / "config"), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    # 3 server tests and the browser test (jlab_alt_page: the app in Chromium).
    assert re.search(r"\b4 passed\b", result.stdout), result.stdout[-2000:]
