import DOMPurify, { type Config } from 'dompurify';

/**
 * The sanitizer of untrusted HTML (Markdown cells, `text/html` and `text/markdown`
 * outputs of untrusted notebooks): an explicit allow-list of what notebooks really
 * show, everything else removed. Like JupyterLab's sanitizer it keeps `<style>`
 * (pandas' `<style scoped>`), classes and inline styles, inline SVG and MathML, and
 * drops scripts, event handlers, frames, forms, embedded objects and any URL that is
 * not http(s), mailto, relative, an anchor, `attachment:`, a raster `data:` image or
 * embedded sound or video.
 */

/** HTML elements kept. Forms, frames, objects, `<meta>`, `<base>` and `<link>` are not here. */
export const HTML_TAGS = [
  // Text and sections
  'a', 'abbr', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br', 'caption', 'center',
  'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure',
  'font', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i', 'ins', 'kbd', 'li', 'main', 'mark',
  'nav', 'ol', 'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'small', 'span', 'strike', 'strong',
  'sub', 'summary', 'sup', 'time', 'tt', 'u', 'ul', 'var', 'wbr',
  // Tables (pandas DataFrames)
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
  // Media
  'img', 'picture', 'video', 'audio', 'source', 'track',
  // tqdm's HTML progress bars; GFM task lists (only disabled checkboxes survive, see the hook)
  'progress', 'meter', 'input',
  // pandas and Styler tables carry their CSS in a <style> element (JupyterLab keeps it too)
  'style'
];

/** Inline SVG: shapes, text, paint servers, markers, filters. No script, `foreignObject`, `animate` or `set`. */
export const SVG_TAGS = [
  'svg', 'g', 'defs', 'symbol', 'use', 'title', 'desc', 'metadata', 'path', 'rect', 'circle', 'ellipse', 'line',
  'polyline', 'polygon', 'text', 'tspan', 'textPath', 'image', 'clipPath', 'mask', 'pattern', 'marker',
  'linearGradient', 'radialGradient', 'stop', 'filter', 'feBlend', 'feColorMatrix', 'feComponentTransfer',
  'feComposite', 'feFlood', 'feFuncA', 'feFuncB', 'feFuncG', 'feFuncR', 'feGaussianBlur', 'feMerge', 'feMergeNode',
  'feMorphology', 'feOffset', 'switch'
];

/** Presentation MathML (typeset formulas in HTML outputs, `application/mathml+xml` pasted as HTML). */
export const MATHML_TAGS = [
  'math', 'semantics', 'annotation', 'mrow', 'mi', 'mn', 'mo', 'ms', 'mtext', 'mspace', 'msup', 'msub', 'msubsup',
  'mfrac', 'msqrt', 'mroot', 'mover', 'munder', 'munderover', 'mtable', 'mtr', 'mtd', 'mstyle', 'mpadded',
  'mphantom', 'menclose', 'merror', 'mmultiscripts', 'mprescripts', 'none'
];

/**
 * Attributes kept on any allowed element (plus `aria-*`). `on*` handlers, `srcdoc`,
 * `formaction`, `action`, `ping`, `target` and `data-*` are not here; links get their
 * `target` and `rel` from {@link hardenLinks}.
 */
export const ALLOWED_ATTRIBUTES = [
  // Global
  'class', 'dir', 'hidden', 'id', 'lang', 'role', 'style', 'title', 'name', 'translate',
  // Links, images, media
  'href', 'src', 'alt', 'width', 'height', 'cite', 'datetime', 'controls', 'autoplay', 'loop', 'muted', 'poster', 'preload',
  'kind', 'srclang', 'label', 'media', 'sizes',
  // Lists, details, inputs (disabled checkboxes), progress
  'start', 'reversed', 'type', 'value', 'open', 'checked', 'disabled', 'max', 'min', 'low', 'high', 'optimum',
  // Tables and old presentational HTML
  'align', 'valign', 'bgcolor', 'border', 'cellpadding', 'cellspacing', 'colspan', 'rowspan', 'headers', 'scope',
  'abbr', 'span', 'summary', 'nowrap', 'frame', 'rules', 'color', 'face', 'size', 'scoped',
  // SVG
  'xmlns', 'xmlns:xlink', 'xlink:href', 'version', 'viewBox', 'preserveAspectRatio', 'x', 'y', 'x1', 'x2', 'y1', 'y2',
  'cx', 'cy', 'r', 'rx', 'ry', 'fx', 'fy', 'd', 'points', 'pathLength', 'transform', 'fill', 'fill-opacity',
  'fill-rule', 'stroke', 'stroke-width', 'stroke-linecap', 'stroke-linejoin', 'stroke-dasharray', 'stroke-dashoffset',
  'stroke-miterlimit', 'stroke-opacity', 'opacity', 'clip-path', 'clip-rule', 'clipPathUnits', 'mask', 'maskUnits',
  'maskContentUnits', 'font-family', 'font-size', 'font-weight', 'font-style', 'font-variant', 'text-anchor',
  'text-decoration', 'dominant-baseline', 'alignment-baseline', 'baseline-shift', 'letter-spacing', 'word-spacing',
  'writing-mode', 'dx', 'dy', 'rotate', 'textLength', 'lengthAdjust', 'startOffset', 'gradientUnits',
  'gradientTransform', 'offset', 'stop-color', 'stop-opacity', 'spreadMethod', 'patternUnits',
  'patternContentUnits', 'patternTransform', 'markerWidth', 'markerHeight', 'markerUnits', 'refX', 'refY', 'orient',
  'marker-start', 'marker-mid', 'marker-end', 'visibility', 'display', 'overflow', 'vector-effect',
  'shape-rendering', 'text-rendering', 'image-rendering', 'color-interpolation-filters', 'filter', 'filterUnits',
  'primitiveUnits', 'in', 'in2', 'result', 'stdDeviation', 'mode', 'operator', 'k1', 'k2', 'k3', 'k4', 'values',
  'tableValues', 'slope', 'intercept', 'amplitude', 'exponent', 'flood-color', 'flood-opacity', 'radius',
  'paint-order',
  // MathML
  'display', 'displaystyle', 'scriptlevel', 'mathvariant', 'mathsize', 'mathcolor', 'mathbackground', 'encoding',
  'stretchy', 'fence', 'form', 'separator', 'lspace', 'rspace', 'accent', 'accentunder', 'largeop', 'movablelimits',
  'symmetric', 'minsize', 'maxsize', 'linethickness', 'columnalign', 'columnspacing', 'columnlines', 'rowalign',
  'rowspacing', 'rowlines', 'notation', 'depth', 'voffset', 'linebreak'
];

/**
 * URLs kept in `href`, `src` and `xlink:href`, after DOMPurify removed whitespace and
 * control characters from them: http(s), mailto, `attachment:` (cell attachments,
 * resolved after sanitizing), and scheme-less URLs (relative paths, `/paths`, `#anchors`,
 * `?queries`, `//host`). Everything with another scheme (`javascript:`, `vbscript:`,
 * `data:`, `file:`...) fails; `data:` images and media are let through by {@link isAllowedDataUrl}.
 */
export const ALLOWED_URI_REGEXP = /^(?:(?:https?|mailto|attachment):|[^a-z]|[a-z0-9+.-]+(?:[^a-z0-9+.\-:]|$))/i;

/**
 * The only `data:` URLs kept: raster images (no SVG, which may carry script, no HTML)
 * in the `src` of an `<img>` or `<source>` or the `href` of an SVG `<image>`; and the
 * sound and video that IPython.display.Audio and Video embed, in `<audio>`, `<video>`
 * and `<source>`. Browsers never run these as documents.
 */
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp|bmp)[;,]/i;
const DATA_IMAGE_ELEMENTS = new Set(['img', 'source', 'image']);
const DATA_MEDIA = /^data:(?:audio|video)\/[a-z0-9.+-]+[;,]/i;
const DATA_MEDIA_ELEMENTS = new Set(['audio', 'video', 'source']);

/** Whether `url` (the value of `attribute` on `element`) is a `data:` URL allowed there. */
export function isAllowedDataUrl(element: string, attribute: string, url: string): boolean {
  const tag = element.toLowerCase();
  const value = compact(url);
  if (!['src', 'href', 'xlink:href'].includes(attribute)) return false;
  return (DATA_IMAGE_ELEMENTS.has(tag) && DATA_IMAGE.test(value)) || (DATA_MEDIA_ELEMENTS.has(tag) && attribute === 'src' && DATA_MEDIA.test(value));
}

// What browsers ignore in URLs (and what DOMPurify strips before testing them).
// eslint-disable-next-line no-control-regex
const URL_IGNORED = /[\u0000-\u0020\u00A0\u1680\u180E\u2000-\u2029\u205F\u3000]/g;

function compact(url: string): string {
  return url.replace(URL_IGNORED, '');
}

const URL_ATTRIBUTES = new Set(['href', 'src', 'xlink:href', 'poster', 'cite']);

type DOMPurifyInstance = ReturnType<typeof DOMPurify>;

/**
 * A DOMPurify bound to the window of an `<iframe>` removed right after (DOMPurify takes
 * that window's `DOMParser` and DOM classes when created). Documents that parser makes
 * are inert like any DOMParser document and, their window having no script context,
 * also never checked against the page's CSP: Chromium checks an `on*` attribute against
 * the policy of the parsing document's window as soon as it is parsed, even in the
 * page's own inert DOMParser documents, and reports a `script-src-attr` violation (a
 * CSP report, as if a live element had held the handler) for every hostile attribute
 * the sanitizer is about to remove. Falls back to the page's window where a removed
 * frame's window cannot parse (jsdom); that still parses inertly, as DOMPurify does by default.
 */
export function detachedPurifier(): DOMPurifyInstance {
  try {
    const frame = document.createElement('iframe');
    frame.hidden = true;
    document.documentElement.appendChild(frame);
    const w = frame.contentWindow as (Window & typeof globalThis) | null;
    const instance = w && typeof w.DOMParser === 'function' ? DOMPurify(w) : null;
    frame.remove();
    // Some DOMs (jsdom) stop parsing in a removed frame's window: then use the page's.
    if (instance?.isSupported && instance.sanitize('<b>ok</b>') === '<b>ok</b>') return instance;
  } catch {
    // No frames here.
  }
  return DOMPurify(window);
}

let purifierInstance: DOMPurifyInstance | null = null;

/** The sanitizer, created on first use (it needs the page's DOM for {@link detachedPurifier}). */
function purifier(): DOMPurifyInstance {
  if (!purifierInstance) {
    // One DOMPurify instance of our own, so our hooks never affect other users of the library.
    purifierInstance = detachedPurifier();
    addHooks(purifierInstance);
  }
  return purifierInstance;
}

function addHooks(purifier: DOMPurifyInstance): void {
  purifier.addHook('uponSanitizeAttribute', (node, event) => {
    const name = event.attrName;
    if (!URL_ATTRIBUTES.has(name)) return;
    const value = compact(event.attrValue);
    const element = node.nodeName.toLowerCase();
    // DOMPurify keeps every data: URL on media elements; only images, sound and video may stay.
    if (/^data:/i.test(value) && !isAllowedDataUrl(element, name, value)) {
      event.keepAttr = false;
      return;
    }
    // <use> may only point into the document: a URL (even data:) would load outside SVG.
    if (element === 'use' && !value.startsWith('#')) event.keepAttr = false;
  });

  purifier.addHook('afterSanitizeAttributes', (node) => {
    // GFM task lists are the one kind of <input> allowed: a disabled checkbox.
    if (node.nodeName === 'INPUT') {
      if ((node as HTMLInputElement).getAttribute('type') !== 'checkbox') node.remove();
      else node.setAttribute('disabled', '');
      return;
    }
    // An output must stay inside its cell: a fixed element could cover the app's own UI.
    const style = (node as HTMLElement).style as CSSStyleDeclaration | undefined;
    if (style && /fixed/i.test(style.position ?? '')) {
      style.removeProperty('position');
      if (!node.getAttribute('style')) node.removeAttribute('style');
    }
  });
}

/**
 * The prefix of every `id` and `name` in sanitized content. Without it, untrusted HTML
 * could define or shadow globals: browsers expose elements by id and name as
 * properties of `window` (and, for `name` on some elements, of `document`), the DOM
 * clobbering of CVE-2024-43805 in JupyterLab. DOMPurify adds the prefix
 * (`SANITIZE_NAMED_PROPS`, GitHub's convention) and {@link linkPrefixedIds} updates
 * the content's own references (`#anchor` links, SVG `url(#gradient)`, `<use href>`,
 * `headers`, ARIA ids and `#id` selectors in its `<style>`), so anchors, Styler tables
 * and SVG keep working.
 */
export const NAMED_PROPS_PREFIX = 'user-content-';

const prefixId = (id: string): string => (id.startsWith(NAMED_PROPS_PREFIX) ? id : NAMED_PROPS_PREFIX + id);

/** `#id` fragment references (an in-page link, `<use href>`) pointed at the prefixed ids. */
export function prefixFragment(ref: string): string {
  return ref.startsWith('#') && ref.length > 1 ? '#' + prefixId(ref.slice(1)) : ref;
}

/** `url(#id)` references in CSS values and SVG presentation attributes, prefixed. */
export function prefixUrlReferences(value: string): string {
  return value.replace(/url\(\s*(['"]?)#([^'")\s]+)\1\s*\)/gi, (_m, quote: string, id: string) => `url(${quote}#${prefixId(id)}${quote})`);
}

/** `#id` in CSS selectors, prefixed (pandas Styler styles cells by id). */
export function prefixIdSelectors(selector: string): string {
  // An id selector: `#` then a CSS identifier (escapes and non-ASCII included).
  return selector.replace(/#((?:\\.|[\w\u00A0-\uFFFF-])+)/g, (_m, id: string) => '#' + prefixId(id));
}

const ID_LIST_ATTRIBUTES = [
  'headers', 'aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'aria-flowto', 'aria-details',
  'aria-errormessage', 'aria-activedescendant'
];
const URL_REFERENCE_ATTRIBUTES = [
  'style', 'fill', 'stroke', 'clip-path', 'mask', 'filter', 'marker-start', 'marker-mid', 'marker-end'
];

/** Point the references inside sanitized content at its prefixed ids (see {@link NAMED_PROPS_PREFIX}). */
export function linkPrefixedIds(root: ParentNode): void {
  for (const el of root.querySelectorAll('[href], [*|href]')) {
    for (const attr of [...el.attributes]) {
      if (attr.localName === 'href' && attr.value.startsWith('#')) attr.value = prefixFragment(attr.value);
    }
  }
  for (const name of ID_LIST_ATTRIBUTES) {
    for (const el of root.querySelectorAll(`[${name}]`)) {
      const ids = el.getAttribute(name)!.split(/\s+/).filter(Boolean);
      el.setAttribute(name, ids.map(prefixId).join(' '));
    }
  }
  for (const name of URL_REFERENCE_ATTRIBUTES) {
    for (const el of root.querySelectorAll(`[${name}*="#"]`)) {
      el.setAttribute(name, prefixUrlReferences(el.getAttribute(name)!));
    }
  }
}

const CONFIG: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS: [...HTML_TAGS, ...SVG_TAGS, ...MATHML_TAGS],
  ALLOWED_ATTR: ALLOWED_ATTRIBUTES,
  ALLOWED_URI_REGEXP,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: true,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  SANITIZE_NAMED_PROPS: true,
  // A leading <style> stays in the fragment instead of moving to the parsed document's <head>.
  FORCE_BODY: true,
  RETURN_DOM_FRAGMENT: true
};

/**
 * Where sanitized content is shown: HTML outputs and rendered Markdown (cells and
 * `text/markdown` outputs). Their `<style>` rules only apply inside these.
 */
export const STYLE_SCOPE = ':where(.ja-HtmlOutput, .ja-Markdown)';

/**
 * Confine a `<style>` element's CSS to rendered content, so an output can restyle
 * notebook content (pandas tables, Markdown headings) but not the app around it
 * (`.ja-Toolbar { display: none }`, `body { ... }`). The browser parses the CSS in a
 * detached stylesheet (nothing loads, `@import` is ignored); every rule is then
 * re-serialized by the browser, so the text cannot close the wrapping block early, and
 * nested inside `STYLE_SCOPE { ... }` (CSS nesting). `@keyframes` stay global (they
 * select nothing); `@import`, `@font-face` (could replace the app's fonts), `@page`,
 * `@namespace` and `@property` are dropped.
 *
 * @returns The scoped CSS, or null where the browser has no constructable
 *   stylesheets (then the style stays as it is, as in JupyterLab).
 */
export function scopeCss(css: string): string | null {
  if (typeof CSSStyleSheet === 'undefined' || typeof CSSStyleSheet.prototype.replaceSync !== 'function') return null;
  const sheet = new CSSStyleSheet();
  try {
    sheet.replaceSync(css);
  } catch {
    return '';
  }
  prefixRuleIds(sheet.cssRules);
  const scoped: string[] = [];
  const global: string[] = [];
  for (const rule of sheet.cssRules) {
    const kind = rule.constructor.name;
    if (['CSSStyleRule', 'CSSMediaRule', 'CSSSupportsRule', 'CSSContainerRule', 'CSSLayerBlockRule'].includes(kind)) scoped.push(prefixUrlReferences(rule.cssText));
    else if (kind === 'CSSKeyframesRule') global.push(rule.cssText);
  }
  if (scoped.length) global.push(`${STYLE_SCOPE} {\n${scoped.join('\n')}\n}`);
  return global.join('\n');
}

/** `#id` selectors of style rules (nested in @media, @supports... too) follow the prefixed ids. */
function prefixRuleIds(rules: CSSRuleList): void {
  for (const rule of rules) {
    if ('selectorText' in rule && typeof rule.selectorText === 'string' && rule.selectorText.includes('#')) {
      (rule as CSSStyleRule).selectorText = prefixIdSelectors(rule.selectorText);
    }
    if ('cssRules' in rule && rule.cssRules) prefixRuleIds(rule.cssRules as CSSRuleList);
  }
}

/**
 * Clean untrusted HTML against the allow-lists above ({@link HTML_TAGS},
 * {@link SVG_TAGS}, {@link MATHML_TAGS}, {@link ALLOWED_ATTRIBUTES},
 * {@link ALLOWED_URI_REGEXP}); DOMPurify also removes content that would mutate on
 * re-parsing (mXSS). Ids and names are prefixed so they cannot clobber globals
 * ({@link NAMED_PROPS_PREFIX}). `<style>` rules are confined to rendered content ({@link scopeCss}).
 * Call {@link hardenLinks} on the result once it is in place.
 */
export function sanitizeHtml(html: string): DocumentFragment {
  // Parsed and cleaned in the detached frame's document, then copied into the page's
  // own document: its nodes then belong to this window (instanceof checks hold).
  const fragment = document.importNode(purifier().sanitize(html, CONFIG), true);
  linkPrefixedIds(fragment);
  for (const style of fragment.querySelectorAll('style')) {
    const scoped = scopeCss(style.textContent ?? '');
    if (scoped !== null) style.textContent = scoped;
  }
  return fragment;
}

/**
 * Links in rendered content open in a new tab without access to this page
 * (`target="_blank"`, `rel="noopener noreferrer"`); in-page anchors (`#section`) stay as they are.
 */
export function hardenLinks(root: ParentNode): void {
  for (const a of root.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href') ?? '';
    if (href.startsWith('#')) continue;
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
  }
}
