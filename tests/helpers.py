"""Helpers to read what the browser gets from the jlab-alt page."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class Element:
    """One start tag of the page and, for ``<script>``, its text."""

    tag: str
    attrs: dict[str, str | None]
    text: str = ""


@dataclass
class Page:
    """The parts of the app page a browser acts on."""

    elements: list[Element] = field(default_factory=list)

    def scripts(self) -> list[Element]:
        return [e for e in self.elements if e.tag == "script"]

    def page_config(self) -> dict[str, Any]:
        """The JSON of ``<script id="jupyter-config-data" type="application/json">``."""
        found = [e for e in self.scripts() if e.attrs.get("id") == "jupyter-config-data"]
        assert len(found) == 1, f"expected one jupyter-config-data script, got {len(found)}"
        assert found[0].attrs.get("type") == "application/json"
        return json.loads(found[0].text)

    def module_srcs(self) -> list[str]:
        """``src`` of every ``<script type="module">``, in document order."""
        return [
            str(e.attrs["src"])
            for e in self.scripts()
            if e.attrs.get("type") == "module" and e.attrs.get("src")
        ]

    def link_hrefs(self, rel: str) -> list[str]:
        return [
            str(e.attrs["href"])
            for e in self.elements
            if e.tag == "link" and e.attrs.get("rel") == rel and e.attrs.get("href")
        ]


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._script: Element | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.page.elements.append(element)
        if tag == "script":
            self._script = element

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.text += data


def parse_page(html: str | bytes) -> Page:
    """Parse the app page the way a browser tokenises it (script text is raw)."""
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.page
