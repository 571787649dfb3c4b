/**
 * Deterministic notebooks for the benchmark suite.
 *
 * Every notebook puts the marker FIRST_MARKER in its first cell's source and
 * LAST_MARKER in its last cell's, so the harness can wait for them by text in
 * either app (code cells: in a `#` comment, one CodeMirror token; Markdown cells:
 * in a code span, one text node after rendering).
 *
 *   node benchmarks/generate.mjs <dir> [--smoke]   writes the notebooks into <dir>
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const FIRST_MARKER = 'BENCH_FIRST_CELL';
export const LAST_MARKER = 'BENCH_LAST_CELL';
/** A file every cold load waits for in the file browser. */
export const KNOWN_FILE = 'bench_known_file.txt';

/** Sizes of the full suite and of the smoke run. */
export const SIZES = {
  full: { code: [500, 2000, 8000], codeMain: 2000, rich: 200, markdown: 500, streamLines: 50000, terminalLines: 300000 },
  smoke: { code: [50, 200], codeMain: 200, rich: 20, markdown: 50, streamLines: 2000, terminalLines: 20000 }
};

const KERNELSPEC = { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' };
const LANGUAGE_INFO = {
  codemirror_mode: { name: 'ipython', version: 3 },
  file_extension: '.py',
  mimetype: 'text/x-python',
  name: 'python',
  nbconvert_exporter: 'python',
  pygments_lexer: 'ipython3',
  version: '3.11.7'
};

/** nbformat's multiline string: a list of lines, each but the last ending in "\n". */
function lines(text) {
  const parts = text.split(/(?<=\n)/);
  return parts.filter((p) => p !== '');
}

function notebook(cells) {
  return {
    cells,
    metadata: { kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO },
    nbformat: 4,
    nbformat_minor: 5
  };
}

function codeCell(i, source, outputs = [], executionCount = null) {
  return { cell_type: 'code', execution_count: executionCount, id: `cell-${i}`, metadata: {}, outputs, source: lines(source) };
}

function markdownCell(i, source) {
  return { cell_type: 'markdown', id: `cell-${i}`, metadata: {}, source: lines(source) };
}

/** Source comment with the marker for the first/last cell of `n`, else "". */
function markerComment(i, n) {
  if (i === 0) return `# ${FIRST_MARKER}\n`;
  if (i === n - 1) return `# ${LAST_MARKER}\n`;
  return '';
}

/** `n` small code cells: `x = i` / `print(x)` with the stream output "i". */
export function codeNotebook(n) {
  const cells = [];
  for (let i = 0; i < n; i++) {
    const source = `${markerComment(i, n)}x = ${i}\nprint(x)`;
    cells.push(codeCell(i, source, [{ name: 'stdout', output_type: 'stream', text: [`${i}\n`] }], i + 1));
  }
  return notebook(cells);
}

// --- PNG ------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A small RGB PNG (a gradient tinted by `seed`), base64. Same seed, same bytes. */
export function smallPng(seed, width = 96, height = 64) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let o = 0;
  for (let y = 0; y < height; y++) {
    raw[o++] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      raw[o++] = (x * 255) / width + seed * 37;
      raw[o++] = (y * 255) / height + seed * 11;
      raw[o++] = (((x + y + seed) & 8) ? 200 : 60) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ]);
  return png.toString('base64');
}

/** `raw` scanlines (filter byte + RGB) of `width` x `height` as a PNG, base64. */
function encodePng(raw, width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0))
  ]).toString('base64');
}

/**
 * A line plot like matplotlib's (white background, a frame, one curve whose shape
 * depends on `seed`), RGB PNG, base64: a few tens of KB at 640 x 480, as real figures.
 */
export function figurePng(seed, width = 640, height = 480) {
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height, 255);
  for (let y = 0; y < height; y++) raw[y * stride] = 0;
  const put = (x, y, [r, g, b]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const o = y * stride + 1 + x * 3;
    raw[o] = r;
    raw[o + 1] = g;
    raw[o + 2] = b;
  };
  const [x0, x1, y0, y1] = [80, width - 60, 50, height - 50];
  for (let x = x0; x <= x1; x++) [y0, y1].forEach((y) => put(x, y, [0, 0, 0]));
  for (let y = y0; y <= y1; y++) [x0, x1].forEach((x) => put(x, y, [0, 0, 0]));
  const mid = (y0 + y1) / 2;
  const amp = (y1 - y0) * 0.4;
  let prev = null;
  for (let x = x0 + 1; x < x1; x++) {
    const t = (x - x0) / (x1 - x0);
    const y = Math.round(mid - amp * Math.sin(t * Math.PI * (2 + (seed % 5)) + seed) * (1 - 0.5 * t));
    const from = prev ?? y;
    for (let yy = Math.min(from, y); yy <= Math.max(from, y); yy++) for (let w = 0; w < 2; w++) put(x, yy + w, [31, 119, 180]);
    prev = y;
  }
  return encodePng(raw, width, height);
}

/** A pandas-like DataFrame HTML table (and its text/plain), 10 rows x 5 columns. */
function dataFrame(seed) {
  const cols = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
  const rows = [];
  for (let r = 0; r < 10; r++) rows.push(cols.map((_, c) => ((seed * 31 + r * 7 + c * 13) % 1000) / 10));
  const html = [
    '<div>',
    '<style scoped>',
    '    .dataframe tbody tr th:only-of-type {',
    '        vertical-align: middle;',
    '    }',
    '',
    '    .dataframe tbody tr th {',
    '        vertical-align: top;',
    '    }',
    '',
    '    .dataframe thead th {',
    '        text-align: right;',
    '    }',
    '</style>',
    '<table border="1" class="dataframe">',
    '  <thead>',
    '    <tr style="text-align: right;">',
    '      <th></th>',
    ...cols.map((c) => `      <th>${c}</th>`),
    '    </tr>',
    '  </thead>',
    '  <tbody>',
    ...rows.flatMap((row, r) => ['    <tr>', `      <th>${r}</th>`, ...row.map((v) => `      <td>${v.toFixed(1)}</td>`), '    </tr>']),
    '  </tbody>',
    '</table>',
    '</div>'
  ].join('\n');
  const plain = [
    '   ' + cols.map((c) => c.padStart(8)).join(''),
    ...rows.map((row, r) => String(r).padEnd(3) + row.map((v) => v.toFixed(1).padStart(8)).join(''))
  ].join('\n');
  return { 'text/html': lines(html), 'text/plain': lines(plain) };
}

/** `n` code cells: even ones show a small PNG, odd ones a pandas-like HTML table. */
export function richNotebook(n) {
  const cells = [];
  for (let i = 0; i < n; i++) {
    const marker = markerComment(i, n);
    if (i % 2 === 0) {
      const output = {
        data: { 'image/png': smallPng(i), 'text/plain': ['<Figure size 96x64 with 1 Axes>'] },
        metadata: {},
        output_type: 'display_data'
      };
      cells.push(codeCell(i, `${marker}plot(${i})`, [output], i + 1));
    } else {
      const output = { data: dataFrame(i), execution_count: i + 1, metadata: {}, output_type: 'execute_result' };
      cells.push(codeCell(i, `${marker}df.sample(10, random_state=${i})`, [output], i + 1));
    }
  }
  return notebook(cells);
}

/** `n` Markdown cells with a heading, text, inline math and display math. */
export function markdownNotebook(n) {
  const cells = [];
  for (let i = 0; i < n; i++) {
    const marker = i === 0 ? `\`${FIRST_MARKER}\`\n\n` : i === n - 1 ? `\`${LAST_MARKER}\`\n\n` : '';
    const source =
      `${marker}## Section ${i}\n\n` +
      `Some *text* with inline math $x^2 + y_${i % 10}$ and a [link](#section-${i}).\n\n` +
      `$$\n\\sum_{k=0}^{${i}} k^2 = \\frac{${i}(${i}+1)(2\\cdot ${i}+1)}{6}\n$$\n\n` +
      `- item one\n- item **two**`;
    cells.push(markdownCell(i, source));
  }
  return notebook(cells);
}

/** One code cell printing `n` lines (`0` … `n-1`). */
export function streamNotebook(n) {
  return notebook([codeCell(0, `# ${FIRST_MARKER} ${LAST_MARKER}\nfor i in range(${n}):\n    print(i)`)]);
}

/** One trivial code cell, `1+1`. */
export function execNotebook() {
  return notebook([codeCell(0, `# ${FIRST_MARKER} ${LAST_MARKER}\n1+1`)]);
}

/**
 * `n` code cells, each showing one matplotlib-like PNG figure (`width` x `height` px, no
 * size in the output's metadata, as matplotlib's inline backend writes them), so an app
 * learns a figure's height only from the image itself.
 */
export function figuresNotebook(n, width = 640, height = 480) {
  const cells = [];
  for (let i = 0; i < n; i++) {
    const output = {
      data: { 'image/png': figurePng(i, width, height), 'text/plain': [`<Figure size ${width}x${height} with 1 Axes>`] },
      metadata: {},
      output_type: 'display_data'
    };
    cells.push(codeCell(i, `${markerComment(i, n)}fig, ax = plt.subplots()\nax.plot(data[${i}])`, [output], i + 1));
  }
  return notebook(cells);
}

/**
 * Two code cells: the first with one stream output of about `bytes` bytes (numbered
 * 80-character lines), the second after it with LAST_MARKER.
 */
export function bigStreamNotebook(bytes) {
  const line = (i) => `${String(i).padStart(8, ' ')} ${'abcdefghij'.repeat(7)}\n`;
  const perLine = line(0).length;
  const text = [];
  for (let i = 0; i * perLine < bytes; i++) text.push(line(i));
  return notebook([
    codeCell(0, `# ${FIRST_MARKER}\nfor i in range(${text.length}):\n    print(f"{i:8d} " + "abcdefghij" * 7)`, [{ name: 'stdout', output_type: 'stream', text }], 1),
    codeCell(1, `# ${LAST_MARKER}\nlen(data)`, [{ data: { 'text/plain': ['42'] }, execution_count: 2, metadata: {}, output_type: 'execute_result' }], 2)
  ]);
}

/**
 * `n` small code cells with one small output each, in turn: a stream, an
 * execute_result (text/plain) and a display_data with text/html and text/plain.
 */
export function smallCellsNotebook(n) {
  const cells = [];
  for (let i = 0; i < n; i++) {
    const marker = markerComment(i, n);
    let output;
    if (i % 3 === 0) output = { name: 'stdout', output_type: 'stream', text: [`step ${i}: ok\n`] };
    else if (i % 3 === 1) output = { data: { 'text/plain': [`${i * 7}`] }, execution_count: i + 1, metadata: {}, output_type: 'execute_result' };
    else output = { data: { 'text/html': [`<b>row ${i}</b> <i>${i % 17}</i>`], 'text/plain': [`row ${i} ${i % 17}`] }, metadata: {}, output_type: 'display_data' };
    cells.push(codeCell(i, `${marker}y = f(${i})\ny`, [output], i + 1));
  }
  return notebook(cells);
}

/** The file name → contents map of a suite's root folder. */
export function benchFiles(sizes) {
  const files = new Map();
  for (const n of sizes.code) files.set(`bench_code_${n}.ipynb`, codeNotebook(n));
  files.set(`bench_rich_${sizes.rich}.ipynb`, richNotebook(sizes.rich));
  files.set(`bench_md_${sizes.markdown}.ipynb`, markdownNotebook(sizes.markdown));
  files.set('bench_stream.ipynb', streamNotebook(sizes.streamLines));
  files.set('bench_exec.ipynb', execNotebook());
  const out = new Map();
  for (const [name, nb] of files) out.set(name, JSON.stringify(nb, null, 1) + '\n');
  out.set(KNOWN_FILE, 'The benchmark waits for this file in the file browser.\n');
  return out;
}

/** Write the suite's files into `dir` (created if missing); returns their names. */
export function writeBenchFiles(dir, sizes) {
  fs.mkdirSync(dir, { recursive: true });
  const files = benchFiles(sizes);
  for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);
  return [...files.keys()];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node benchmarks/generate.mjs <dir> [--smoke]');
    process.exit(2);
  }
  const names = writeBenchFiles(dir, process.argv.includes('--smoke') ? SIZES.smoke : SIZES.full);
  console.log(`wrote ${names.length} files into ${dir}: ${names.join(', ')}`);
}
