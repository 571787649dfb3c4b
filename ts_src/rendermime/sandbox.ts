/**
 * Run a trusted output's HTML scripts or JavaScript inside the output sandbox: an
 * `<iframe sandbox="allow-scripts">` showing `/jlab-alt/sandbox` (served with its
 * own policy). Without `allow-same-origin` the frame's origin is opaque, so the
 * output's code cannot reach the app, its cookies or its storage. The frame grows
 * to its content's height (up to {@link MAX_HEIGHT}).
 */

/** The tallest a sandboxed output gets before it scrolls, in CSS pixels. */
export const MAX_HEIGHT = 4000;

let nextToken = 1;

/** Show `content` in a new sandbox frame appended to `host`. */
export function renderInSandbox(host: HTMLElement, sandboxUrl: string, content: { html?: string; js?: string }): HTMLIFrameElement {
  const frame = document.createElement('iframe');
  frame.className = 'ja-OutputSandbox';
  frame.dataset.testid = 'output-sandbox';
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.title = 'Output (sandboxed)';
  frame.style.height = '0px';
  const token = `t${nextToken++}`;
  const onMessage = (event: MessageEvent) => {
    if (event.source !== frame.contentWindow || !event.data || typeof event.data !== 'object') return;
    const data = event.data as { type?: string; token?: string; height?: number };
    if (data.type === 'jlab-alt-sandbox-ready') {
      frame.contentWindow?.postMessage({ type: 'jlab-alt-sandbox-render', token, html: content.html ?? '', js: content.js ?? '' }, '*');
    } else if (data.type === 'jlab-alt-sandbox-height' && data.token === token && typeof data.height === 'number') {
      frame.style.height = `${Math.min(MAX_HEIGHT, Math.max(0, data.height))}px`;
    }
  };
  window.addEventListener('message', onMessage);
  // Stop listening once the output is gone.
  const observer = new MutationObserver(() => {
    if (!frame.isConnected) {
      window.removeEventListener('message', onMessage);
      observer.disconnect();
    }
  });
  frame.src = sandboxUrl;
  host.appendChild(frame);
  observer.observe(document.body, { childList: true, subtree: true });
  return frame;
}
