import { ansiToHtml } from './ansi';
import { extractMath, typesetMath } from './math';
import { renderMarkdown } from './markdown';
import type { MimeRenderer } from './registry';
import { jsonTree } from './json-tree';
import { renderInSandbox } from './sandbox';
import { hardenLinks, sanitizeHtml } from './sanitize';

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function text(data: unknown): string {
  return Array.isArray(data) ? data.join('') : typeof data === 'string' ? data : JSON.stringify(data, null, 2);
}

/**
 * An SVG document needs the SVG namespace to load as an image; inline in HTML
 * (as JupyterLab shows it) it does not, so kernels such as IRkernel omit it.
 */
export function withSvgNamespace(svg: string): string {
  return svg.replace(/<svg\b([^>]*)>/i, (tag, attrs: string) =>
    /\sxmlns\s*=/.test(attrs) ? tag : `<svg xmlns="http://www.w3.org/2000/svg"${attrs}>`
  );
}

/** Set an image's size from output metadata (width, height, unconfined). */
function sizeImage(img: HTMLImageElement, metadata: Record<string, unknown>): void {
  if (typeof metadata.width === 'number') img.width = metadata.width;
  if (typeof metadata.height === 'number') img.height = metadata.height;
  if (metadata.unconfined === true) img.classList.add('ja-mod-unconfined');
}

const image = (mime: string, rank: number): MimeRenderer => ({
  name: mime,
  mimeTypes: [mime],
  rank,
  safe: true,
  render({ data, metadata, host }) {
    const img = document.createElement('img');
    img.src = `data:${mime};base64,${text(data).replace(/\s/g, '')}`;
    img.alt = 'Image output';
    sizeImage(img, metadata);
    host.appendChild(img);
  }
});

/**
 * Typeset a `text/latex` output as MathML (Temml), as JupyterLab does with MathJax: the
 * formulas in it (`$...$`, `$$...$$`, `\[...\]`, `\begin{equation}...`) are
 * typeset and the text around them shown as text (never as HTML); LaTeX outside
 * math delimiters (`\begin{tabular}` of R data frames) stays text, as in JupyterLab.
 * A formula Temml cannot parse stays as its source, followed by the parser's error message.
 */
async function renderLatex(source: string, host: HTMLElement): Promise<void> {
  const box = document.createElement('div');
  box.className = 'ja-LatexOutput';
  const { text: shown, math } = extractMath(source);
  box.textContent = shown;
  host.appendChild(box);
  await typesetMath(box, math);
  const errors = [...box.querySelectorAll<HTMLElement>('.ja-Math.ja-mod-error')];
  if (errors.length) {
    const note = document.createElement('div');
    note.className = 'ja-LatexOutput-error';
    note.textContent = errors.map((e) => e.title).join('\n');
    host.appendChild(note);
  }
}

/** Implementations of the built-in renderers, loaded with the first output drawn. */
export const IMPLEMENTATIONS: MimeRenderer[] = [
  {
    name: 'JavaScript',
    mimeTypes: ['application/javascript', 'text/javascript'],
    rank: 45,
    safe: false,
    render({ data, host, sandboxUrl }) {
      renderInSandbox(host, sandboxUrl, { js: text(data) });
    }
  },
  {
    name: 'HTML',
    mimeTypes: ['text/html'],
    rank: 50,
    safe: true,
    render({ data, host, trusted, sandboxUrl }) {
      const html = text(data);
      // Trusted HTML with scripts (plotly, bokeh, folium) runs in the sandbox frame;
      // everything else is sanitized and shown inline.
      if (trusted && /<script[\s>]/i.test(html)) {
        renderInSandbox(host, sandboxUrl, { html });
        return;
      }
      host.classList.add('ja-HtmlOutput');
      host.appendChild(sanitizeHtml(html));
      hardenLinks(host);
    }
  },
  {
    name: 'Markdown',
    mimeTypes: ['text/markdown'],
    rank: 60,
    safe: true,
    render({ data, host }) {
      host.classList.add('ja-Markdown');
      return renderMarkdown(text(data), host);
    }
  },
  {
    name: 'SVG',
    mimeTypes: ['image/svg+xml'],
    rank: 70,
    safe: true,
    render({ data, metadata, host }) {
      // As an <img>, an SVG cannot run script or reach the page.
      const img = document.createElement('img');
      img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(withSvgNamespace(text(data)))}`;
      img.alt = 'SVG output';
      sizeImage(img, metadata);
      host.appendChild(img);
    }
  },
  image('image/png', 80),
  image('image/jpeg', 81),
  image('image/gif', 82),
  image('image/webp', 83),
  image('image/bmp', 84),
  {
    name: 'LaTeX',
    mimeTypes: ['text/latex'],
    rank: 65,
    safe: true,
    render({ data, host }) {
      return renderLatex(text(data), host);
    }
  },
  {
    name: 'JSON',
    mimeTypes: ['application/json'],
    rank: 95,
    safe: true,
    render({ data, host }) {
      host.appendChild(jsonTree(typeof data === 'string' ? safeParse(data) : data));
    }
  },
  {
    name: 'PDF',
    mimeTypes: ['application/pdf'],
    rank: 96,
    safe: true,
    render({ data, host }) {
      // The browser's PDF viewer, in a frame on a blob URL (no script of ours in it).
      const bytes = Uint8Array.from(atob(text(data).replace(/\s/g, '')), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      const frame = document.createElement('iframe');
      frame.className = 'ja-PdfOutput';
      frame.title = 'PDF output';
      frame.src = url;
      host.appendChild(frame);
    }
  },
  {
    name: 'Plain text',
    mimeTypes: ['text/plain'],
    rank: 100,
    safe: true,
    render({ data, host }) {
      const pre = document.createElement('pre');
      pre.innerHTML = ansiToHtml(text(data));
      host.appendChild(pre);
    }
  }
];
