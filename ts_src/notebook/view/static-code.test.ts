// @vitest-environment jsdom
import { python } from '@codemirror/lang-python';
import { describe, expect, it } from 'vitest';
import { CellEditor } from './editor';
import { fillStaticCode } from './static-code';

/** The text runs of `node` with the highlight classes around each, in order (adjacent runs of one class merged). */
function runs(node: Element): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (n: Node, classes: string): void => {
    if (n.nodeType === Node.TEXT_NODE) {
      const text = n.textContent ?? '';
      const last = out[out.length - 1];
      if (last && last[1] === classes) last[0] += text;
      else if (text) out.push([text, classes]);
      return;
    }
    const el = n as Element;
    // An editor's lines are blocks; static text breaks lines with '\n'.
    if (el.classList?.contains('cm-line') && out.length) walk(document.createTextNode('\n'), '');
    const own = el.tagName === 'SPAN' ? el.className : '';
    for (const child of Array.from(n.childNodes)) walk(child, own || classes);
  };
  walk(node, '');
  return out;
}

const hooks = { onChange: () => undefined, onFocus: () => undefined, onEdge: () => false };

describe('fillStaticCode', () => {
  it('puts the highlight rules in the page once, before any editor exists', () => {
    const css = () => Array.from(document.querySelectorAll('style'), (s) => s.textContent ?? '').join('\n');
    const pre = document.createElement('pre');
    fillStaticCode(pre, 'x = "s"', python());
    const cls = pre.querySelector('span')!.className.split(' ')[0]!;
    const once = css();
    expect(once).toContain(`.${cls}`);
    fillStaticCode(pre, 'x = 3', python());
    expect(css()).toBe(once);
  });
  it('highlights a Python cell as its editor does: same text, same classes per token', () => {
    const source = 'def f(x):\n    return x + 1  # one more\n\nprint(f(2), "done", None)';
    const pre = document.createElement('pre');
    fillStaticCode(pre, source, python());
    expect(pre.textContent).toBe(source);
    expect(pre.querySelectorAll('span').length).toBeGreaterThan(4);

    const host = document.createElement('div');
    document.body.append(host);
    const editor = new CellEditor(host, source, python(), hooks);
    try {
      expect(runs(pre)).toEqual(runs(host.querySelector('.cm-content')!));
    } finally {
      editor.destroy();
      host.remove();
    }
  });

  it('shows plain text without a parser (Markdown, other kernels) and for very long sources', () => {
    const pre = document.createElement('pre');
    fillStaticCode(pre, '# Title\n*x*', []);
    expect(pre.textContent).toBe('# Title\n*x*');
    expect(pre.children).toHaveLength(0);

    const long = 'x = 1\n'.repeat(2000);
    fillStaticCode(pre, long, python());
    expect(pre.textContent).toBe(long);
    expect(pre.children).toHaveLength(0);
  });

  it('replaces what was shown before (the source or the language changed)', () => {
    const pre = document.createElement('pre');
    fillStaticCode(pre, 'import os', python());
    fillStaticCode(pre, 'y = 2', python());
    expect(pre.textContent).toBe('y = 2');
    fillStaticCode(pre, 'y = 2', []);
    expect(pre.innerHTML).toBe('y = 2');
  });

});
