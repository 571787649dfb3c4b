// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import sanitize from './sanitize-html-shim';

// What @jupyter-widgets/base-manager passes for HTML descriptions.
const OPTIONS = {
  allowedTags: ['a', 'abbr', 'b', 'code', 'em', 'i', 'img', 'li', 'ol', 'span', 'strong', 'ul'],
  allowedAttributes: { '*': ['aria-*', 'class', 'style', 'title'], a: ['href'], img: ['src'], style: ['media', 'type'] }
};

describe('the sanitize-html stand-in', () => {
  it('keeps the allowed tags and, per tag, the allowed attributes', () => {
    const out = sanitize('<b class="x" aria-label="l">bold</b> <a href="https://example.org" title="t">link</a> <img src="a.png">', OPTIONS);
    expect(out).toBe('<b class="x" aria-label="l">bold</b> <a href="https://example.org" title="t">link</a> <img src="a.png">');
  });

  it('drops scripts, event handlers, other tags and attributes not allowed on that tag', () => {
    const out = sanitize('<script>alert(1)</script><img src="x" onerror="alert(1)" href="h"><div id="d">text</div><span src="s">s</span>', OPTIONS);
    expect(out).toBe('<img src="x">text<span>s</span>');
  });
});
