import DOMPurify from 'dompurify';

/**
 * Clean untrusted HTML with DOMPurify: no scripts, event handlers, `javascript:`
 * URLs, forms, iframes, embedded objects or meta refresh. Styles and classes stay
 * (pandas tables and matplotlib SVGs rely on them).
 */
export function sanitizeHtml(html: string): DocumentFragment {
  return DOMPurify.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ['script', 'iframe', 'form', 'input', 'button', 'textarea', 'select', 'object', 'embed', 'meta', 'base', 'link', 'frame', 'frameset'],
    FORBID_ATTR: ['srcdoc', 'formaction', 'action', 'ping'],
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
