import DOMPurify from 'dompurify';

// One DOMPurify instance of our own, so our hooks never affect other users of the library.
const purifier = DOMPurify(window);

// GFM task lists are the one kind of <input> allowed: a disabled checkbox.
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'INPUT') {
    if ((node as HTMLInputElement).getAttribute('type') !== 'checkbox') node.remove();
    else node.setAttribute('disabled', '');
  }
});

/**
 * URL schemes allowed in links and images: DOMPurify's defaults plus `attachment:`
 * (notebook cell attachments, replaced by data URLs after sanitizing).
 */
const ALLOWED_URI = /^(?:(?:(?:f|ht)tps?|mailto|tel|attachment):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

/**
 * Clean untrusted HTML with DOMPurify: no scripts, event handlers, `javascript:` or
 * `data:text/html` URLs, forms, iframes, embedded objects, meta refresh or base.
 * Styles and classes stay (pandas tables and matplotlib SVGs rely on them).
 */
export function sanitizeHtml(html: string): DocumentFragment {
  return purifier.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ['script', 'iframe', 'form', 'button', 'textarea', 'select', 'object', 'embed', 'meta', 'base', 'link', 'frame', 'frameset'],
    FORBID_ATTR: ['srcdoc', 'formaction', 'action', 'ping'],
    ALLOWED_URI_REGEXP: ALLOWED_URI,
    ALLOW_DATA_ATTR: true
  }) as DocumentFragment;
}

/** Links in rendered content open in a new tab without access to this page. */
export function hardenLinks(root: ParentNode): void {
  for (const a of root.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href') ?? '';
    if (href.startsWith('#')) continue;
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
  }
}
