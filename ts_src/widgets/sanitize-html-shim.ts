import { detachedPurifier } from '../rendermime/sanitize';

/** The options of sanitize-html that @jupyter-widgets/base-manager passes. */
export interface SanitizeOptions {
  allowedTags?: string[];
  /** Per tag (`'*'`: every tag); a trailing `*` matches a prefix (`'aria-*'`). */
  allowedAttributes?: Record<string, string[]>;
}

/**
 * Stands in for the sanitize-html package (see webpack.config.js): the widget
 * manager uses it only to clean HTML descriptions (`description_allow_html`),
 * and DOMPurify, which the app already has, does the same job without
 * sanitize-html's PostCSS and HTML parser (~150 KB). Only the tags and, per tag,
 * the attributes in `options` are kept; scripts and event handlers never are.
 */
export default function sanitize(html: string, options: SanitizeOptions = {}): string {
  const perTag = options.allowedAttributes ?? {};
  const allowed = (tag: string, name: string) =>
    [...(perTag['*'] ?? []), ...(perTag[tag] ?? [])].some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : p === name));
  // Parsed where an on* attribute is never checked against the page's CSP (see detachedPurifier).
  const purifier = detachedPurifier();
  purifier.addHook('uponSanitizeAttribute', (node, data) => {
    if (!allowed(node.nodeName.toLowerCase(), data.attrName)) data.keepAttr = false;
  });
  const names = Object.values(perTag)
    .flat()
    .filter((n) => !n.endsWith('*'));
  return purifier.sanitize(html, {
    ALLOWED_TAGS: options.allowedTags ?? [],
    ALLOWED_ATTR: names,
    ALLOW_DATA_ATTR: false,
    // Ids and names could clobber globals (see rendermime/sanitize.ts).
    SANITIZE_NAMED_PROPS: true
  });
}
