/**
 * Summaries of a benchmark run: min / median / max per app and metric, the ratio
 * of medians jlab-alt / JupyterLab, and the targets, as a text table and a
 * Markdown report.
 */

// Documents (issue 15): rows of the document scenarios.
import { documentRows } from './scenarios-documents.mjs';
// Saving big notebooks (issue 18.4): rows of the save scenarios.
import { saveRows } from './scenarios-save.mjs';
import { perf18Rows } from './scenarios-perf18.mjs'; // perf18
import { longTaskRows } from './scenarios-longtasks.mjs'; // issue 18 part 3
import { revealRows } from './scenarios-reveal.mjs';
import { journalRows } from './scenarios-journal.mjs'; // the execution journal (issue 16)
import { memoryRows } from './scenarios-memory.mjs'; // memory over time (issue 18.5)
import { median } from './stats.mjs';

const A = 'jlab-alt';
const B = 'jupyterlab';
const LABELS = { 'jlab-alt': 'jlab-alt', jupyterlab: 'JupyterLab' };

function sortedNums(values) {
  return values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
}

function stats(values) {
  const s = sortedNums(values);
  if (!s.length) return null;
  return { min: s[0], median: median(s), max: s[s.length - 1], n: s.length };
}

/**
 * The table's rows: [scenario id, metric, label, unit, target?]. A target is
 * { ratio: x } (median ratio jlab-alt / JupyterLab at most x), { max: ms }
 * (jlab-alt's worst counted run at most ms) or { median: x } (jlab-alt's median at most x).
 */
function cellsOf(id) {
  return Number(id.split('_').pop());
}

function rowDefs(sizes) {
  const code = `open_code_${sizes.codeMain}`;
  const rich = `open_rich_${sizes.rich}`;
  const md = `open_md_${sizes.markdown}`;
  const notebookRows = (id, what, lastTarget, extra = []) => [
    [id, 'first_cell_ms', `${what}: open → first cell visible`, 'ms', ...(id === code ? [{ ratio: 0.3 }] : [])],
    [id, 'last_cell_ms', `${what}: ArrowDown → last cell visible`, 'ms', lastTarget],
    [id, 'keys_handled_ms', `${what}: ArrowDown ×${cellsOf(id) - 1} handled by the page`, 'ms'],
    [id, 'longest_task_open_ms', `${what}: longest task while opening`, 'task', ...extra],
    [id, 'longest_task_keys_ms', `${what}: longest task while pressing keys`, 'task', ...extra],
    [id, 'heap_open_bytes', `${what}: JS heap after open (after GC)`, 'bytes', { ratio: 0.3 }],
    // Issue 18, part 3: the DOM of the 500-cell Markdown notebook at most 0.3x JupyterLab's.
    [id, 'dom_elements_open', `${what}: DOM elements after open`, 'count', ...(id === md ? [{ ratio: 0.3 }] : [])],
    [id, 'dom_heap_open_bytes', `${what}: Blink (DOM) heap after open`, 'bytes'],
    [id, 'heap_end_bytes', `${what}: JS heap at the last cell`, 'bytes'],
    [id, 'dom_elements_end', `${what}: DOM elements at the last cell`, 'count']
  ];
  return [
    ['startup', 'page_200_ms', 'Server start → app page answers 200', 'ms'],
    ['startup', 'usable_ms', 'Server start → file browser usable', 'ms'],
    ['cold_load', 'usable_ms', 'Cold load → file browser usable', 'ms', { ratio: 0.25 }],
    ['cold_load', 'longest_task_ms', 'Cold load: longest task until usable', 'task'],
    ['cold_load', 'js_bytes', 'Cold load: JavaScript bytes (decoded)', 'bytes', { ratio: 0.15 }],
    ['cold_load', 'js_transferred_bytes', 'Cold load: JavaScript bytes on the wire', 'bytes'],
    ['cold_load', 'transferred_bytes', 'Cold load: all bytes on the wire', 'bytes'],
    ['cold_load', 'decoded_bytes', 'Cold load: all bytes (decoded)', 'bytes'],
    ['cold_load', 'compressed_responses', 'Cold load: responses sent compressed', 'count'],
    ['cold_load', 'requests', 'Cold load: requests', 'count'],
    ['cold_load', 'kernelspec_logo_bytes', 'Cold load: kernelspec logos on the wire', 'bytes'],
    ...notebookRows(code, `${sizes.codeMain} code cells`, { ratio: 0.05 }, [{ max: 200 }]),
    ...sizes.code
      .filter((n) => n !== sizes.codeMain)
      .flatMap((n) => [
        [`open_code_${n}`, 'first_cell_ms', `${n} code cells: open → first cell visible`, 'ms'],
        [`open_code_${n}`, 'longest_task_open_ms', `${n} code cells: longest task while opening`, 'task'],
        [`open_code_${n}`, 'heap_open_bytes', `${n} code cells: JS heap after open`, 'bytes'],
        [`open_code_${n}`, 'dom_elements_open', `${n} code cells: DOM elements after open`, 'count']
      ]),
    ...notebookRows(rich, `${sizes.rich} rich-output cells`, { ratio: 0.2 }),
    ...notebookRows(md, `${sizes.markdown} Markdown cells`, { ratio: 0.2 }),
    ['stream', 'done_ms', `Stream ${sizes.streamLines} lines: run → last line rendered`, 'ms'],
    ['stream', 'longest_task_ms', `Stream ${sizes.streamLines} lines: longest task meanwhile`, 'task', { max: 100 }],
    ['exec', 'roundtrip_ms', 'Execute 1+1: key → output visible (per-run median)', 'ms', { ratio: 0.7 }],
    ['console_exec', 'roundtrip_ms', 'Console 1+1: Shift+Enter → output visible (per-run median)', 'ms'],
    ['terminal', 'done_ms', `Terminal seq 1 ${sizes.terminalLines}: Enter → last line painted`, 'ms', { ratio: 0.5 }],
    ['terminal', 'longest_task_ms', `Terminal seq 1 ${sizes.terminalLines}: longest task meanwhile`, 'task', { max: 100 }],
    ['terminal_cmd', 'median_ms', 'Terminal echo: Enter → output painted (per-run median)', 'ms'],
    ...documentRows(),
    ...revealRows(), // going to a far cell (scenarios-reveal.mjs)
    // Workspace restore (issue 14, benchmarks/scenarios-restore.mjs)
    ['restore', 'usable_ms', 'Reload a workspace of open notebooks → usable', 'ms', { ratio: 0.1 }],
    ['restore', 'started_ms', 'Reload a workspace of open notebooks → app restored', 'ms'],
    ['restore', 'longest_task_ms', 'Reload a workspace of open notebooks: longest task until usable', 'task'],
    ['restore', 'longest_task_started_ms', 'Reload a workspace of open notebooks: longest task until restored', 'task'],
    ...saveRows(),
    ...journalRows(), // the execution journal (issue 16)
    ...perf18Rows(), // perf18
    ...memoryRows(), // memory over time (scenarios-memory.mjs)
    ...longTaskRows() // issue 18 part 3: longest tasks opening / scrolling big notebooks
  ];
}

/** Compute the summary rows (and derived growth / raw-floor rows) of `results`. */
export function summarize(results, apps) {
  const sizes = results.meta.sizes;
  const rows = [];
  for (const [scenario, metric, label, unit, target] of rowDefs(sizes)) {
    const rec = results.scenarios[scenario];
    if (!rec) continue;
    const row = { scenario, metric, label, unit, stats: {}, ratio: null, target: null };
    for (const app of apps) row.stats[app] = stats((rec.runs[app] ?? []).map((m) => m[metric]));
    if (apps.every((app) => !row.stats[app])) continue;
    if (row.stats[A] && row.stats[B] && row.stats[B].median > 0 && !(unit === 'task' && row.stats[A].median === 0)) {
      row.ratio = row.stats[A].median / row.stats[B].median;
    }
    if (metric === 'last_cell_ms') {
      // Runs where the last cell was not on screen after N-1 presses (see scenarios.mjs).
      const notes = [];
      for (const app of apps) {
        const runs = rec.runs[app] ?? [];
        const missed = runs.filter((m) => m.missed_after_keys);
        if (missed.length) {
          const extra = missed.map((m) => m.keys_pressed - (cellsOf(scenario) - 1));
          notes.push(
            `${LABELS[app]}: in ${missed.length} of ${runs.length} runs the last cell was active but not on screen after ${cellsOf(scenario) - 1} presses; ` +
              `the time includes a 0.5 s wait and ${Math.max(...extra)} more press(es)`
          );
        }
      }
      if (notes.length) row.note = notes.join('; ');
    }
    if (target?.ratio !== undefined) {
      row.target = { text: `≤ ${target.ratio}`, met: row.ratio === null ? null : row.ratio <= target.ratio };
    } else if (target?.max !== undefined) {
      const worst = row.stats[A]?.max;
      row.target = { text: `no task > ${target.max} ms (worst run)`, met: worst === undefined ? null : worst <= target.max };
    } else if (target?.median !== undefined) {
      const med = row.stats[A]?.median;
      row.target = { text: `≤ ${fmt(target.median, unit)}`, met: med === undefined ? null : med <= target.median };
    }
    rows.push(row);
  }

  // The raw floors (plain WebSocket client through the same server) and the differences.
  const floors = [
    ['stream', 'done_ms', 'Stream: raw WebSocket client, execute → last line (same server)', 'Stream: app median − raw median', { text: '≤ 100 ms over raw', max: 100 }],
    ['exec', 'roundtrip_ms', 'Execute 1+1: raw WebSocket client, execute → result (same server)', 'Execute 1+1: app median − raw median', null],
    ['terminal', 'done_ms', 'Terminal: raw WebSocket client, Enter → last line (same server)', 'Terminal: app median − raw median', null]
  ];
  for (const [scenario, metric, rawLabel, diffLabel, target] of floors) {
    const rec = results.scenarios[scenario];
    if (!rec?.raw) continue;
    const at = rows.findIndex((r) => r.scenario === scenario && r.metric === metric);
    const raw = { scenario, metric: 'raw_ms', label: rawLabel, unit: 'ms', stats: {}, ratio: null, target: null };
    for (const app of apps) raw.stats[app] = stats(rec.raw[app] ?? []);
    const diff = { scenario, metric: 'minus_raw_ms', label: diffLabel, unit: 'ms', stats: {}, ratio: null, target: null };
    for (const app of apps) {
      const done = rows[at]?.stats[app];
      const r = raw.stats[app];
      diff.stats[app] = done && r ? { min: done.min - r.median, median: done.median - r.median, max: done.max - r.median, n: done.n } : null;
    }
    if (diff.stats[A] && diff.stats[B] && diff.stats[B].median > 0) diff.ratio = diff.stats[A].median / diff.stats[B].median;
    if (target && diff.stats[A]) diff.target = { text: target.text, met: diff.stats[A].median <= target.max };
    rows.splice(at >= 0 ? at + 1 : rows.length, 0, raw, diff);
  }
  // 1+1's floors as a page sees them, after the rows above: a bare WebSocket in a page of the
  // same browser to the result's arrival (the target: the app within 17 ms, a frame, of
  // it), and the same bare client painting "2", measured from the key as the apps are.
  const execRec = results.scenarios.exec;
  const pageFloors = [
    ['rawPage', 'raw_page_ms', 'Execute 1+1: raw WebSocket in a page of the same browser, execute → result (same server)', 'Execute 1+1: app median − raw page median (target ≤ 17 ms, one frame)', 17],
    ['paintedPage', 'painted_page_ms', 'Execute 1+1: bare page client painting "2", key → visible (same server, measured as the apps)', 'Execute 1+1: app median − painted bare page median', null]
  ];
  let after = rows.findIndex((r) => r.scenario === 'exec' && r.metric === 'minus_raw_ms');
  for (const [key, metric, label, diffLabel, max] of pageFloors) {
    if (!execRec?.[key]) continue;
    const done = rows.find((r) => r.scenario === 'exec' && r.metric === 'roundtrip_ms');
    const floor = { scenario: 'exec', metric, label, unit: 'ms', stats: {}, ratio: null, target: null };
    for (const app of apps) floor.stats[app] = stats(execRec[key][app] ?? []);
    const diff = { scenario: 'exec', metric: `minus_${metric}`, label: diffLabel, unit: 'ms', stats: {}, ratio: null, target: null };
    for (const app of apps) {
      const d = done?.stats[app];
      const f = floor.stats[app];
      diff.stats[app] = d && f ? { min: d.min - f.median, median: d.median - f.median, max: d.max - f.median, n: d.n } : null;
    }
    if (max !== null && diff.stats[A]) diff.target = { text: `≤ ${max} ms`, met: diff.stats[A].median <= max };
    rows.splice(after >= 0 ? after + 1 : rows.length, 0, floor, diff);
    after = rows.indexOf(diff);
  }

  // Growth of the open time with the cell count (sub-linear: each 4x step costs < 4x).
  const growth = {};
  const codeSizes = [...sizes.code].sort((a, b) => a - b);
  for (const app of apps) {
    const have = codeSizes
      .map((n) => ({ n, t: stats((results.scenarios[`open_code_${n}`]?.runs[app] ?? []).map((m) => m.first_cell_ms))?.median }))
      .filter((x) => x.t !== undefined);
    if (have.length < 2) continue;
    const steps = [];
    for (let i = 1; i < have.length; i++) {
      steps.push({ from: have[i - 1].n, to: have[i].n, cellFactor: have[i].n / have[i - 1].n, timeFactor: have[i].t / have[i - 1].t });
    }
    growth[app] = { sizes: have.map((x) => x.n), medians_ms: have.map((x) => x.t), steps, subLinear: steps.every((s) => s.timeFactor < s.cellFactor) };
  }
  return { rows, growth };
}

// --- formatting --------------------------------------------------------------------

export function fmt(v, unit) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (unit === 'task') {
    // The Long Tasks API reports tasks of 50 ms and more: 0 means none.
    return v === 0 ? '<50 ms' : fmt(v, 'ms');
  }
  if (unit === 'ms') {
    if (Math.abs(v) >= 10_000) return `${(v / 1000).toFixed(1)} s`;
    if (Math.abs(v) >= 1000) return `${(v / 1000).toFixed(2)} s`;
    return `${Math.round(v)} ms`;
  }
  if (unit === 'ratio') return `${v.toFixed(2)}×`;
  if (unit === 'bytes') {
    if (v >= 2 ** 20) return `${(v / 2 ** 20).toFixed(2)} MB`;
    return `${(v / 1024).toFixed(0)} KB`;
  }
  return `${Math.round(v).toLocaleString('en-US')}`;
}

function cell(s, unit) {
  if (!s) return '–';
  if (s.n === 1) return fmt(s.median, unit);
  return `${fmt(s.median, unit)} (${fmt(s.min, unit)} – ${fmt(s.max, unit)})`;
}

function ratioText(r) {
  return r === null || !Number.isFinite(r) ? '–' : r.toFixed(r < 0.1 ? 3 : 2);
}

function metText(t) {
  if (!t) return '';
  if (t.met === null) return `${t.text}: n/a`;
  return `${t.text}: ${t.met ? 'met' : 'NOT met'}`;
}

function tableRows(summary, apps) {
  const head = ['Metric', ...apps.map((a) => `${LABELS[a]} median (min – max)`), 'Ratio', 'Target'];
  const notes = [];
  const body = summary.rows.map((r) => {
    let label = r.label;
    if (r.note) {
      notes.push(r.note);
      label += ` [${notes.length}]`;
    }
    return [label, ...apps.map((a) => cell(r.stats[a], r.unit)), ratioText(r.ratio), metText(r.target)];
  });
  for (const [app, g] of Object.entries(summary.growth)) {
    const steps = g.steps.map((s) => `${s.from}→${s.to}: ×${s.timeFactor.toFixed(2)}`).join(', ');
    const row = [`Open-time growth ${g.sizes.join(' → ')} cells (${LABELS[app]}; cells ×${g.steps.map((s) => s.cellFactor).join(', ×')})`];
    for (const a of apps) row.push(a === app ? steps : '');
    row.push('');
    row.push(app === A ? `sub-linear: ${g.subLinear ? 'met' : 'NOT met'}` : '');
    body.push(row);
  }
  return { head, body, notes };
}

export function formatText(results, summary, apps) {
  const { head, body, notes } = tableRows(summary, apps);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), ...notes.map((n, i) => `[${i + 1}] ${n}`)].join('\n');
}

export function formatMarkdown(results, summary, apps) {
  const m = results.meta;
  const { head, body, notes } = tableRows(summary, apps);
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  const lines = [];
  lines.push(`# Benchmark run ${m.date.slice(0, 10)} (${m.mode})`, '');
  lines.push(
    `- Machine: ${m.nproc} CPUs (${m.cpu}), ${m.ram_gib} GiB RAM, ${m.os}`,
    `- Chromium ${m.chromium} (headless), Node ${m.node}, Python ${m.python} (kernel: ipykernel ${m.ipykernel}, same kernelspec for both servers)`,
    `- jlab-alt ${m.jlab_alt.version} (git ${m.jlab_alt.git}${m.jlab_alt.git_dirty ? ', uncommitted changes' : ''}), jupyter_server ${m.jlab_alt.jupyter_server}`
  );
  if (m.jlab_alt.extensions?.length) {
    lines.push(`- jlab-alt extensions installed in that environment (they load with the app): ${m.jlab_alt.extensions.join(', ')}`);
  }
  for (const [app, names] of Object.entries(m.kernelspec_names ?? {})) lines.push(`- ${LABELS[app] ?? app}'s kernelspecs: ${names.join(', ')}`);
  if (m.jupyterlab) lines.push(`- JupyterLab ${m.jupyterlab.version}, jupyter_server ${m.jupyterlab.jupyter_server} (defaults, in benchmarks/.venv-jupyterlab)`);
  lines.push(`- ${m.warmup} warm-up + ${m.runs} counted runs per app and scenario, apps alternating, fresh browser context per run`, '');
  lines.push(`| ${head.map(esc).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (const r of body) lines.push(`| ${r.map(esc).join(' | ')} |`);
  if (notes.length) lines.push('', ...notes.map((n, i) => `${i + 1}. ${n}`));
  const errors = Object.entries(results.scenarios).flatMap(([id, rec]) =>
    Object.entries(rec.errors).map(([app, e]) => `- ${id} (${app}): ${e.split('\n')[0]}`)
  );
  if (errors.length) lines.push('', '## Failures', '', ...errors);
  if (results.fatal) lines.push('', `Fatal: ${results.fatal.split('\n')[0]}`);
  return lines.join('\n') + '\n';
}
