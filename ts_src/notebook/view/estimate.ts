/**
 * Height estimates of cells not laid out yet. Off-screen cells skip layout
 * (`content-visibility: auto`) and keep the estimate as their size until they come
 * near the viewport; the nearer the estimate is to the real height, the less the
 * page moves under the user while scrolling, and the less layout one scroll step costs.
 */
import type { Output } from '../../outputarea/model';

/** Pixels per source or text line. */
export const LINE_HEIGHT_ESTIMATE = 17;
/** The cell's padding and the editor box around its lines (a 2-line code cell is 56 px). */
const CELL_CHROME = 22;
/** Padding around one output's body. */
const OUTPUT_CHROME = 6;
/** Width an image has at most before it is scaled down (`max-width: 100%` of the output column). */
const IMAGE_MAX_WIDTH = 1040;
/** An image whose size cannot be read from its data: about a default matplotlib figure. */
const IMAGE_UNKNOWN_HEIGHT = 300;
/** The output area scrolls beyond 80% of the window's height (`.ja-OutputArea { max-height: 80vh }`). */
const OUTPUT_AREA_MAX_FRACTION = 0.8;

/** The parts of a cell the estimate reads. */
export interface EstimatedCell {
  type: string;
  source: string;
  outputs: readonly Output[];
}

function countLines(text: string, cap: number): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0 && lines < cap; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** The first `n` characters of a multiline value (a string or nbformat's list of lines). */
function head(value: unknown, n: number): string {
  if (typeof value === 'string') return value.slice(0, n);
  if (!Array.isArray(value)) return '';
  let out = '';
  for (const part of value) {
    if (out.length >= n) break;
    out += String(part);
  }
  return out.slice(0, n);
}

/**
 * Width and height (px) of a PNG given as base64 (a string or a list of lines), read
 * from its IHDR chunk (PNG spec 11.2.2: after the 8-byte signature, the chunk length
 * and type, width and height as big-endian 32-bit integers), or null if it is not a PNG.
 */
export function pngSize(base64: unknown): { width: number; height: number } | null {
  const text = head(base64, 64).replace(/\s/g, '').slice(0, 32);
  if (text.length < 32) return null;
  let bytes: string;
  try {
    bytes = atob(text);
  } catch {
    return null;
  }
  if (bytes.charCodeAt(1) !== 0x50 || bytes.slice(12, 16) !== 'IHDR') return null;
  const u32 = (o: number) =>
    ((bytes.charCodeAt(o) << 24) | (bytes.charCodeAt(o + 1) << 16) | (bytes.charCodeAt(o + 2) << 8) | bytes.charCodeAt(o + 3)) >>> 0;
  const width = u32(16);
  const height = u32(20);
  return width > 0 && height > 0 ? { width, height } : null;
}

/** The size an image output is drawn at: its metadata's width/height, else its PNG header. */
function imageHeight(data: Record<string, unknown>, metadata: Record<string, unknown> | undefined): number | null {
  const mime = Object.keys(data).find((m) => m.startsWith('image/') && m !== 'image/svg+xml');
  if (!mime) return null;
  const meta = metadata?.[mime] as { width?: unknown; height?: unknown } | undefined;
  let size: { width: number; height: number } | null = null;
  if (meta && typeof meta.height === 'number' && meta.height > 0) {
    size = { width: typeof meta.width === 'number' && meta.width > 0 ? meta.width : meta.height, height: meta.height };
  } else if (mime === 'image/png') {
    size = pngSize(data[mime]);
  }
  if (!size) return IMAGE_UNKNOWN_HEIGHT;
  return size.width > IMAGE_MAX_WIDTH ? (size.height * IMAGE_MAX_WIDTH) / size.width : size.height;
}

/** The estimated height (px) of one output; `cap` bounds the lines counted. */
export function estimateOutputHeight(output: Output, cap: number): number {
  const o = output as { output_type: string; text?: unknown; data?: Record<string, unknown>; metadata?: Record<string, unknown>; traceback?: unknown[] };
  if (o.output_type === 'stream') {
    const text = typeof o.text === 'string' ? o.text : Array.isArray(o.text) ? null : '';
    const lines = text !== null ? countLines(text, cap) : Math.min((o.text as unknown[]).length, cap);
    return OUTPUT_CHROME + lines * LINE_HEIGHT_ESTIMATE;
  }
  if (o.output_type === 'error') return OUTPUT_CHROME + Math.min(o.traceback?.length ?? 1, cap) * 3 * LINE_HEIGHT_ESTIMATE;
  const data = o.data ?? {};
  const image = imageHeight(data, o.metadata);
  if (image !== null) return OUTPUT_CHROME + image;
  const plain = data['text/plain'];
  const text = typeof plain === 'string' ? plain : Array.isArray(plain) ? plain.join('') : '';
  return OUTPUT_CHROME + Math.min(countLines(text, cap), cap) * LINE_HEIGHT_ESTIMATE;
}

/**
 * The estimated height (px) of a cell: its source lines, and for code cells its
 * outputs (images at the size they are drawn, text by its lines), the outputs at most
 * `viewportHeight` x 0.8 as the output area scrolls beyond that.
 */
export function estimateCellHeight(cell: EstimatedCell, viewportHeight: number): number {
  const source = CELL_CHROME + countLines(cell.source, 10_000) * LINE_HEIGHT_ESTIMATE;
  if (cell.type !== 'code' || cell.outputs.length === 0) return source;
  const max = viewportHeight * OUTPUT_AREA_MAX_FRACTION;
  const cap = Math.ceil(max / LINE_HEIGHT_ESTIMATE);
  let outputs = 0;
  for (const output of cell.outputs) {
    outputs += estimateOutputHeight(output, cap);
    if (outputs >= max) return source + max;
  }
  return source + outputs;
}
