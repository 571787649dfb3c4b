// @vitest-environment jsdom
import temml from 'temml';
import { describe, expect, it, vi } from 'vitest';
import {
  ALLOWED_URI_REGEXP,
  STYLE_SCOPE,
  hardenLinks,
  isAllowedDataUrl,
  prefixIdSelectors,
  prefixUrlReferences,
  sanitizeHtml,
  scopeCss
} from './sanitize';

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

function clean(html: string): HTMLElement {
  const host = document.createElement('div');
  host.appendChild(sanitizeHtml(html));
  hardenLinks(host);
  return host;
}

/** Every way a sanitized tree could still run code or leave the app, as readable problems. */
function dangers(host: HTMLElement): string[] {
  const found: string[] = [];
  const banned = 'script, iframe, frame, object, embed, form, button, textarea, select, meta, base, link, foreignObject, animate, set, template, noscript';
  for (const el of host.querySelectorAll(banned)) found.push(`<${el.nodeName}> element`);
  for (const el of host.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\u0000-\u0020]/g, '');
      if (/^on/i.test(attr.name)) found.push(`${attr.name} handler on <${el.nodeName}>`);
      if (['srcdoc', 'formaction', 'action', 'ping'].includes(attr.name)) found.push(`${attr.name} on <${el.nodeName}>`);
      if (/href|src|action|poster/i.test(attr.name) && /^(javascript|vbscript|data:(?!image\/(png|jpeg|gif|webp|bmp)[;,]|(audio|video)\/))/i.test(value)) {
        found.push(`${attr.name}="${attr.value}" on <${el.nodeName}>`);
      }
      if (el.nodeName.toLowerCase() === 'use' && /href/.test(attr.name) && !value.startsWith('#')) found.push(`<use ${attr.name}=${value}>`);
    }
  }
  return found;
}

describe('sanitizeHtml keeps what notebooks show', () => {
  const kept: [string, string, (host: HTMLElement) => void][] = [
    [
      'a pandas DataFrame with its scoped style, border and classes',
      '<div><style scoped>\n.dataframe tbody tr th { vertical-align: top; }\n</style><table border="1" class="dataframe"><thead><tr style="text-align: right;"><th></th><th>a</th><th>b</th></tr></thead><tbody><tr><th>0</th><td>1</td><td>x</td></tr></tbody></table></div>',
      (host) => {
        expect(host.querySelector('style')?.textContent).toContain('.dataframe tbody tr th');
        const table = host.querySelector('table.dataframe')!;
        expect(table.getAttribute('border')).toBe('1');
        expect([...table.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['', 'a', 'b']);
        expect(table.querySelector('thead tr')!.getAttribute('style')).toBe('text-align: right;');
      }
    ],
    [
      'a leading <style> (Styler output starts with it)',
      '<style type="text/css">#T_1 td { color: red; }</style><table id="T_1"><tr><td>1</td></tr></table>',
      (host) => expect(host.querySelector('style')?.textContent).toContain('#T_1')
    ],
    [
      'headings, paragraphs, lists, code, quotes',
      '<h1>A</h1><h6>F</h6><p>p</p><ul><li>u</li></ul><ol start="3"><li>o</li></ol><pre><code>c</code></pre><blockquote>q</blockquote>',
      (host) => {
        expect(host.querySelectorAll('h1, h6, p, ul, li, pre, code, blockquote')).toHaveLength(9);
        expect(host.querySelector('ol')!.getAttribute('start')).toBe('3');
      }
    ],
    [
      'details, summary, sup, sub, kbd, hr, br, font, center',
      '<details open><summary>More</summary>x<sup>2</sup><sub>i</sub><kbd>Ctrl</kbd><hr><br></details><font color="red">r</font><center>c</center>',
      (host) => {
        expect(host.querySelector('details')!.hasAttribute('open')).toBe(true);
        expect(host.querySelectorAll('summary, sup, sub, kbd, hr, br, center')).toHaveLength(7);
        expect(host.querySelector('font')!.getAttribute('color')).toBe('red');
      }
    ],
    [
      'images: raster data URLs, attachments, relative and http URLs, with their size',
      `<img src="${PNG}" width="10" alt="a"><img src="attachment:pic.png"><img src="figs/a.png"><img src="https://example.org/a.png">`,
      (host) => {
        expect([...host.querySelectorAll('img')].map((i) => i.getAttribute('src'))).toEqual([
          PNG,
          'attachment:pic.png',
          'figs/a.png',
          'https://example.org/a.png'
        ]);
        expect(host.querySelector('img')!.getAttribute('width')).toBe('10');
      }
    ],
    [
      'links: http(s), mailto, relative, anchors, attachments',
      '<a href="https://a.org">1</a><a href="http://b.org">2</a><a href="mailto:x@y.z">3</a><a href="other.ipynb#s">4</a><a href="#top">5</a><a href="../up/x.md">6</a><a href="attachment:f.txt">7</a>',
      (host) => {
        expect([...host.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([
          'https://a.org',
          'http://b.org',
          'mailto:x@y.z',
          'other.ipynb#s',
          '#user-content-top',
          '../up/x.md',
          'attachment:f.txt'
        ]);
      }
    ],
    [
      'inline SVG: shapes, text, gradients, <use> of a local symbol, raster <image>',
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" width="10"><defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient><symbol id="s"><circle cx="1" cy="1" r="1"/></symbol></defs><g transform="translate(1,1)"><path d="M0 0L1 1" stroke="#000" stroke-width="2"/><rect x="0" y="0" width="1" height="1" fill="url(#g)"/><text x="1" y="2" font-size="3">T</text></g><use xlink:href="#s"/><use href="#s"/><image href="${PNG}" width="1" height="1"/></svg>`,
      (host) => {
        const svg = host.querySelector('svg')!;
        expect(svg.getAttribute('viewBox')).toBe('0 0 10 10');
        expect(svg.querySelectorAll('path, rect, text, circle, linearGradient, stop, symbol, use, image')).toHaveLength(10);
        expect(svg.querySelector('path')!.getAttribute('d')).toBe('M0 0L1 1');
        expect(svg.querySelector('rect')!.getAttribute('fill')).toBe('url(#user-content-g)');
        expect(svg.querySelector('use')!.getAttribute('xlink:href')).toBe('#user-content-s');
        expect(svg.querySelector('image')!.getAttribute('href')).toBe(PNG);
      }
    ],
    [
      'MathML',
      '<math display="block"><semantics><mrow><msup><mi>x</mi><mn>2</mn></msup><mo>+</mo><mfrac><mn>1</mn><mi>y</mi></mfrac></mrow><annotation encoding="application/x-tex">x^2+\\frac1y</annotation></semantics></math>',
      (host) => {
        expect(host.querySelector('math')!.getAttribute('display')).toBe('block');
        expect(host.querySelectorAll('mrow, msup, mi, mn, mo, mfrac, annotation')).toHaveLength(9);
      }
    ],
    [
      'task-list checkboxes, made read-only',
      '<ul><li><input type="checkbox" checked> done</li><li><input type="checkbox"> todo</li></ul>',
      (host) => {
        const boxes = [...host.querySelectorAll('input')];
        expect(boxes.map((b) => [b.type, b.checked, b.disabled])).toEqual([
          ['checkbox', true, true],
          ['checkbox', false, true]
        ]);
      }
    ],
    [
      'ids and old-style named anchors (links to sections)',
      '<a id="section-1"></a><a name="part2"></a><h2 id="intro">Intro</h2>',
      (host) => {
        expect(host.querySelector('#user-content-section-1')).not.toBeNull();
        expect(host.querySelector('a[name="user-content-part2"]')).not.toBeNull();
        expect(host.querySelector('h2')!.id).toBe('user-content-intro');
      }
    ],
    [
      'tqdm progress bars, tables with spans and alignment',
      '<progress value="3" max="10"></progress><table><tr><td colspan="2" align="center" valign="top">x</td></tr></table>',
      (host) => {
        expect(host.querySelector('progress')!.getAttribute('max')).toBe('10');
        expect(host.querySelector('td')!.getAttribute('colspan')).toBe('2');
        expect(host.querySelector('td')!.getAttribute('align')).toBe('center');
      }
    ],
    [
      'IPython.display.Audio and Video with their data embedded',
      '<audio controls="controls"><source src="data:audio/wav;base64,UklGRg==" type="audio/wav"></audio><video controls autoplay loop src="data:video/mp4;base64,AAAA"></video>',
      (host) => {
        expect(host.querySelector('source')!.getAttribute('src')).toBe('data:audio/wav;base64,UklGRg==');
        expect(host.querySelector('video')!.getAttribute('src')).toBe('data:video/mp4;base64,AAAA');
        expect(host.querySelector('video')!.hasAttribute('autoplay')).toBe(true);
      }
    ],
    [
      'inline styles (other than fixed positioning)',
      '<span style="color: red; position: relative">r</span>',
      (host) => expect(host.querySelector('span')!.style.color).toBe('red')
    ]
  ];

  it.each(kept)('%s', (_name, html, check) => {
    const host = clean(html);
    check(host);
    expect(dangers(host)).toEqual([]);
  });

  it('keeps MathML, as Temml writes it, unchanged', () => {
    // HTML outputs carry MathML too (a library's typeset formula): the sanitizer must let it draw.
    const html = temml.renderToString('\\sum_{i=1}^n \\frac{x_i^2}{\\sqrt{y}} \\begin{pmatrix}a & b\\\\ c & d\\end{pmatrix}', { displayMode: true });
    const reference = document.createElement('div');
    reference.innerHTML = html;
    const host = clean(html);
    expect(host.innerHTML).toBe(reference.innerHTML);
  });
});

describe('sanitizeHtml removes every way to run code or leave the app', () => {
  const attacks: [string, string][] = [
    ['script element', '<script>window.__xss=1</script>'],
    ['script with src', '<script src="https://evil.example/x.js"></script>'],
    ['img onerror', '<img src=x onerror="window.__xss=1">'],
    ['svg onload', '<svg onload="window.__xss=1"><circle r="1"/></svg>'],
    ['body onload', '<body onload="window.__xss=1">'],
    ['details ontoggle', '<details open ontoggle="window.__xss=1"><summary>x</summary></details>'],
    ['iframe', '<iframe src="https://evil.example"></iframe>'],
    ['iframe srcdoc', '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>'],
    ['object data', '<object data="data:text/html,<script>alert(1)</script>"></object>'],
    ['embed', '<embed src="javascript:alert(1)">'],
    ['form action', '<form action="javascript:alert(1)"><input type="submit"></form>'],
    ['button formaction', '<button formaction="javascript:alert(1)">x</button>'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
    ['base href', '<base href="javascript:alert(1)//">'],
    ['link stylesheet', '<link rel="stylesheet" href="https://evil.example/x.css">'],
    ['javascript: link', '<a href="javascript:alert(1)">x</a>'],
    ['mixed-case javascript: link', '<a href="JaVaScRiPt:alert(1)">x</a>'],
    ['javascript: with a tab', '<a href="java\tscript:alert(1)">x</a>'],
    ['javascript: with entities', '<a href="&#106;avascript&#58;alert(1)">x</a>'],
    ['javascript: after spaces', '<a href="  \u0001javascript:alert(1)">x</a>'],
    ['vbscript: link', '<a href="vbscript:msgbox(1)">x</a>'],
    ['data:text/html link', '<a href="data:text/html,<script>alert(1)</script>">x</a>'],
    ['data:text/html image', '<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">'],
    ['data:image/svg+xml image', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'],
    ['data:image on a link', `<a href="${PNG}">x</a>`],
    ['svg script', '<svg><script>window.__xss=1</script></svg>'],
    ['svg foreignObject', '<svg><foreignObject><iframe src="javascript:alert(1)"></iframe></foreignObject></svg>'],
    ['svg use of a data: document', '<svg><use href="data:image/svg+xml,<svg id=\'x\' xmlns=\'http://www.w3.org/2000/svg\'><image href=\'1\' onerror=\'alert(1)\'/></svg>#x"/></svg>'],
    ['svg use of another file', '<svg><use xlink:href="https://evil.example/s.svg#x"/></svg>'],
    ['svg a xlink:href javascript:', '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'],
    ['svg animate to javascript:', '<svg><a><animate attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>'],
    ['svg set href', '<svg><a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a></svg>'],
    ['svg image data:text/html', '<svg><image href="data:text/html,x"/></svg>'],
    ['math href', '<math><mtext href="javascript:alert(1)">x</mtext></math>'],
    ['mXSS noscript', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
    ['mXSS svg style', '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">'],
    ['mXSS math mglyph', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>'],
    ['mXSS template', '<template><img src=x onerror=alert(1)></template>'],
    ['text input', '<input type="text" value="x" onfocus="alert(1)" autofocus>'],
    ['image input', '<input type="image" src="javascript:alert(1)">'],
    ['textarea and select', '<textarea>x</textarea><select><option>y</option></select>'],
    ['target and ping on links', '<a href="https://a.org" target="_top" ping="https://evil.example">x</a>'],
    ['video poster javascript:', '<video poster="javascript:alert(1)" src="data:text/html,x"></video>']
  ];

  it.each(attacks)('%s', (_name, html) => {
    expect(dangers(clean(html))).toEqual([]);
  });

  it('drops data-* attributes and prefixes ids and names, so none can clobber a global', () => {
    const host = clean(
      '<img name="cookie" src="a.png"><form id="getElementById"></form><div data-command="x" id="ok">d</div>' +
        '<a id="jlabAltClobber" name="jlabAltClobber2">x</a><img name="user-content-already">'
    );
    document.body.appendChild(host);
    try {
      expect(host.querySelector('img')!.getAttribute('name')).toBe('user-content-cookie');
      expect(host.querySelector('[data-command]')).toBeNull();
      expect(host.querySelector('#user-content-ok')).not.toBeNull();
      expect(host.querySelector('#ok')).toBeNull();
      expect((window as unknown as Record<string, unknown>).jlabAltClobber).toBeUndefined();
      expect((window as unknown as Record<string, unknown>).jlabAltClobber2).toBeUndefined();
      expect(typeof document.cookie).toBe('string');
      expect(typeof document.getElementById).toBe('function');
      expect(host.querySelectorAll('img')[1]!.getAttribute('name')).toBe('user-content-already');
    } finally {
      host.remove();
    }
  });

  it('points in-page references at the prefixed ids: anchors, SVG references, headers, Styler CSS', () => {
    const host = clean(
      '<a href="#sec">go</a><h2 id="sec">S</h2>' +
        '<svg><defs><linearGradient id="g"></linearGradient><path id="p" d="M0 0"></path></defs>' +
        '<rect fill="url(#g)" style="stroke: url(\'#g\')"></rect><use href="#p"></use></svg>' +
        '<table><tr><th id="h1">a</th><td headers="h1 x">1</td></tr></table>' +
        '<td id="T_abc_row0_col0"></td>'
    );
    expect(host.querySelector('a')!.getAttribute('href')).toBe('#user-content-sec');
    expect(host.querySelector('h2')!.id).toBe('user-content-sec');
    expect(host.querySelector('rect')!.getAttribute('fill')).toBe('url(#user-content-g)');
    expect(host.querySelector('rect')!.getAttribute('style')).toContain('#user-content-g');
    expect(host.querySelector('use')!.getAttribute('href')).toBe('#user-content-p');
    expect(host.querySelector('td[headers]')!.getAttribute('headers')).toBe('user-content-h1 user-content-x');
    // <style> rules are rewritten by scopeCss, in the browser (jsdom cannot parse CSS apart).
    expect(prefixIdSelectors('#T_abc_row0_col0, #T_abc td > #x\\.y')).toBe(
      '#user-content-T_abc_row0_col0, #user-content-T_abc td > #user-content-x\\.y'
    );
    expect(prefixIdSelectors('#user-content-a')).toBe('#user-content-a');
    expect(prefixUrlReferences('fill: url("#g"); mask: url( #m )')).toBe('fill: url("#user-content-g"); mask: url(#user-content-m)');
  });

  it('keeps output inside its cell: no fixed positioning', () => {
    const host = clean('<div style="position: fixed; top: 0; color: blue">over the app</div><div style="position:fixed">y</div>');
    const [a, b] = [...host.querySelectorAll('div')];
    expect(a!.style.position).toBe('');
    expect(a!.style.color).toBe('blue');
    expect(b!.hasAttribute('style')).toBe(false);
  });

  it('gives links outside the page a new tab without opener or referrer', () => {
    const host = clean('<a href="https://a.org" target="_self" rel="opener">x</a><a href="#s">y</a>');
    const [out, anchor] = [...host.querySelectorAll('a')];
    expect(out!.getAttribute('target')).toBe('_blank');
    expect(out!.getAttribute('rel')).toBe('noopener noreferrer');
    expect(anchor!.hasAttribute('target')).toBe(false);
  });
});

describe('URL rules', () => {
  it.each([
    ['https://a.org', true],
    ['http://a.org', true],
    ['mailto:a@b.c', true],
    ['attachment:x.png', true],
    ['#anchor', true],
    ['figs/a.png', true],
    ['/files/a.png', true],
    ['a.png', true],
    ['?q=1', true],
    ['javascript:alert(1)', false],
    ['vbscript:x', false],
    ['data:text/html,x', false],
    ['file:///etc/passwd', false],
    ['tel:123', false]
  ])('%s allowed: %s', (url, allowed) => {
    expect(ALLOWED_URI_REGEXP.test(url)).toBe(allowed);
  });

  it.each([
    ['img', 'src', 'data:image/png;base64,AA', true],
    ['img', 'src', 'data:image/jpeg;base64,AA', true],
    ['img', 'src', 'data:image/gif,AA', true],
    ['img', 'src', 'data:image/webp;base64,AA', true],
    ['img', 'src', 'data:image/bmp;base64,AA', true],
    ['image', 'href', 'data:image/png;base64,AA', true],
    ['img', 'src', 'data:image/svg+xml;base64,AA', false],
    ['img', 'src', 'data:text/html,x', false],
    ['a', 'href', 'data:image/png;base64,AA', false],
    ['video', 'src', 'data:image/png;base64,AA', false],
    ['source', 'src', 'data:audio/wav;base64,AA', true],
    ['video', 'src', 'data:video/mp4;base64,AA', true],
    ['img', 'src', 'data:video/mp4;base64,AA', false],
    ['video', 'poster', 'data:video/mp4;base64,AA', false],
    ['audio', 'src', 'data:text/html,x', false]
  ])('<%s %s="%s"> allowed: %s', (element, attribute, url, allowed) => {
    expect(isAllowedDataUrl(element, attribute, url)).toBe(allowed);
  });
});

describe('scopeCss', () => {
  // jsdom has no constructable stylesheets: a stand-in "parses" into given rules (the
  // real parser is exercised in the browser by xss.spec.ts and render-types.spec.ts).
  class CSSStyleRule { constructor(readonly cssText: string) {} }
  class CSSMediaRule { constructor(readonly cssText: string) {} }
  class CSSKeyframesRule { constructor(readonly cssText: string) {} }
  class CSSFontFaceRule { constructor(readonly cssText: string) {} }
  class CSSImportRule { constructor(readonly cssText: string) {} }
  function parsingInto(rules: { cssText: string }[]) {
    vi.stubGlobal('CSSStyleSheet', class { cssRules = rules; replaceSync() {} });
  }

  it('nests style and media rules in the rendered-content scope; keeps keyframes; drops imports and fonts', () => {
    parsingInto([
      new CSSImportRule('@import url("x.css");'),
      new CSSStyleRule('.dataframe th { vertical-align: top; }'),
      new CSSMediaRule('@media (max-width: 1px) { body { display: none; } }'),
      new CSSKeyframesRule('@keyframes spin { from { opacity: 0; } }'),
      new CSSFontFaceRule('@font-face { font-family: system-ui; src: url("data:,x"); }')
    ]);
    expect(scopeCss('ignored by the stand-in')).toBe(
      `@keyframes spin { from { opacity: 0; } }\n${STYLE_SCOPE} {\n.dataframe th { vertical-align: top; }\n@media (max-width: 1px) { body { display: none; } }\n}`
    );
  });

  it('leaves CSS alone where the browser cannot parse it apart (as JupyterLab does)', () => {
    vi.stubGlobal('CSSStyleSheet', undefined);
    expect(scopeCss('a { color: red }')).toBeNull();
    expect(clean('<style>a { color: red }</style>').querySelector('style')!.textContent).toBe('a { color: red }');
  });
});
