// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { cellHeadings } from '../notebook/headings';
import { CellModel } from '../notebook/model/cell';
import { headingId, isRelativeUrl, renderMarkdown } from './markdown';

function render(source: string, options = {}): HTMLElement {
  const host = document.createElement('div');
  void renderMarkdown(source, host, options);
  return host;
}

describe('renderMarkdown', () => {
  it('renders CommonMark with GFM tables, strikethrough and task lists', () => {
    const host = render('# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done');
    expect(host.querySelector('h1')?.textContent).toBe('Title');
    expect(host.querySelector('h1')?.id).toBe('user-content-Title');
    expect(host.querySelectorAll('td')).toHaveLength(2);
    expect(host.querySelector('del')?.textContent).toBe('old');
    expect(host.querySelector('input[type=checkbox]')).not.toBeNull();
  });

  it('gives headings the ids that in-notebook links compute from the model', () => {
    // notebook/anchors.ts finds a link's heading in cells not drawn yet by this id.
    const source = '##  Results and  *weighted*   discussion \n\ntext';
    const cell = new CellModel({ cell_type: 'markdown', source, metadata: {} } as never);
    const [heading] = cellHeadings(cell);
    expect(render(source).querySelector('h2')?.id).toBe(headingId(heading.text));
    expect(headingId(heading.text)).toBe('user-content-Results-and-weighted-discussion');
  });

  it('never lets script through: tags, handlers, javascript: URLs, iframes, forms', () => {
    const host = render(
      '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>' +
        '<iframe src="https://example.org"></iframe><form action="/x"><input></form>' +
        '<svg><script>alert(4)</script></svg><a href="data:text/html,<script>alert(5)</script>">d</a>'
    );
    const html = host.innerHTML;
    expect(host.querySelector('script, iframe, form, input')).toBeNull();
    expect(html).not.toMatch(/onerror|javascript:|data:text\/html/i);
  });

  it('opens links in a new tab without access to the app', () => {
    const a = render('[site](https://example.org)').querySelector('a')!;
    expect(a.getAttribute('target')).toBe('_blank');
    expect(a.getAttribute('rel')).toContain('noopener');
  });

  it('resolves attachments and relative URLs through the given resolvers', () => {
    const host = render('![a](attachment:pic.png) ![b](figs/plot.png) [nb](other.ipynb#part) [web](https://x.org)', {
      attachment: (name: string) => (name === 'pic.png' ? 'data:image/png;base64,AAAA' : undefined),
      resolve: (url: string, kind: string) => `/resolved/${kind}/${url}`
    });
    const imgs = [...host.querySelectorAll('img')].map((i) => i.getAttribute('src'));
    expect(imgs).toEqual(['data:image/png;base64,AAAA', '/resolved/image/figs/plot.png']);
    const links = [...host.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(['/resolved/link/other.ipynb#part', 'https://x.org']);
  });
});

describe('code blocks', () => {
  it('highlights Python code blocks with the editor\'s parser, as text only', () => {
    const host = render('```python\ndef f(x):  # <b>not bold</b>\n    return "s"\n```');
    const code = host.querySelector('pre > code')!;
    expect(code.textContent).toBe('def f(x):  # <b>not bold</b>\n    return "s"\n');
    expect(code.querySelector('.tok-keyword')?.textContent).toBe('def');
    expect(code.querySelector('.tok-comment')?.textContent).toContain('<b>not bold</b>');
    expect(code.querySelector('b')).toBeNull();
  });

  it.each([
    ['javascript', 'const x = "<i>s</i>"; // c', 'const', '"<i>s</i>"'],
    ['json', '{"key": [1, true]}', 'true', '"key"'],
    ['ts', 'let n: number = 1', 'let', undefined],
    ['css', 'a { color: red }', undefined, undefined],
    ['html', '<div class="x">t</div>', undefined, 'class'],
    ['r', 'x <- function(a) "s"', 'function', '"s"'],
    ['julia', 'function f(x) end', 'function', undefined],
    ['bash', 'for f in *; do echo "$f"; done', 'for', undefined],
    ['sql', 'SELECT a FROM t', 'SELECT', undefined]
  ])('highlights %s code blocks once their parser has loaded', async (lang, source, keyword, string) => {
    const host = document.createElement('div');
    await renderMarkdown('```' + lang + '\n' + source + '\n```', host);
    const code = host.querySelector('pre > code')!;
    expect(code.textContent).toBe(source + '\n');
    expect(code.querySelectorAll('[class^="tok-"]').length).toBeGreaterThan(0);
    if (keyword) expect(code.querySelector('.tok-keyword, .tok-bool')?.textContent).toBe(keyword);
    if (string) expect(code.querySelector('.tok-string, .tok-propertyName, .tok-attributeValue')?.textContent).toBe(string);
    expect(code.querySelector('i, div')).toBeNull();
  });

  it('leaves code blocks of other languages as plain text', async () => {
    const host = document.createElement('div');
    await renderMarkdown('```cobol\nDISPLAY "HI".\n```', host);
    expect(host.querySelector('pre > code')!.children).toHaveLength(0);
  });
});

describe('isRelativeUrl', () => {
  it('tells document-relative URLs from absolute ones and anchors', () => {
    expect(isRelativeUrl('figs/a.png')).toBe(true);
    expect(isRelativeUrl('../a.ipynb')).toBe(true);
    for (const url of ['https://x.org', '/files/a', '#top', 'data:image/png;base64,', 'mailto:a@b.c', '']) {
      expect(isRelativeUrl(url)).toBe(false);
    }
  });
});
