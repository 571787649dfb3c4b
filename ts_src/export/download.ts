/**
 * The file name a download should get, from a `Content-Disposition` header
 * (RFC 6266: `filename*=UTF-8''…` preferred over `filename="…"`), or `fallback`.
 * Path separators are removed.
 */
export function downloadName(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition);
  let name: string | null = null;
  if (star) {
    try {
      name = decodeURIComponent(star[2]!.trim().replace(/^"|"$/g, ''));
    } catch {
      name = null;
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(disposition);
    if (plain) name = (plain[2] ?? plain[1]!).replace(/\\(.)/g, '$1').trim();
  }
  name = name?.split(/[\\/]/).pop()?.trim() ?? '';
  return name || fallback;
}

/**
 * The message of a jupyter_server error reply: JSON `{"message": …}` from API
 * handlers, or the HTML error page of page handlers (`/nbconvert` answers
 * "nbconvert failed: <exception>" in one). Falls back to the status code.
 */
export function errorMessageOf(body: string, status: number): string {
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as { message?: string; reason?: string };
      if (json.message || json.reason) return String(json.message || json.reason);
    } catch {
      // not JSON after all
    }
  }
  if (text.startsWith('<')) {
    const doc = new DOMParser().parseFromString(text, 'text/html');
    const node = doc.querySelector('.error, #jupyter-main-app, main') ?? doc.body;
    const plain = (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (plain) return plain.length > 600 ? `${plain.slice(0, 600)}…` : plain;
  }
  return text ? text.slice(0, 600) : `the server answered ${status}`;
}
