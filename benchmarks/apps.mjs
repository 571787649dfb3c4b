/**
 * What the harness needs to know about each app's page, and page-side helpers
 * shared by both. Everything that waits on text uses {@link findMarker}, which
 * works in both apps: it looks for a text node containing the marker (XPath, so
 * the search is native and cheap) and checks that the marker is painted.
 */

/**
 * In the page: `performance.now()` if a text node containing `text` is rendered
 * (`mode: 'rendered'`: it has a layout box) or actually visible in the viewport
 * (`mode: 'viewport'`: its box intersects the window and the element at the centre
 * of that intersection is the text's element, so it is not clipped by a scroller
 * or covered); otherwise false. Used with page.waitForFunction (polling: 'raf').
 */
export function findMarker({ text, mode }) {
  const found = document.evaluate(
    `//text()[contains(., "${text}")]`,
    document.body,
    null,
    XPathResult.ORDERED_NODE_SNAPSHOT_TYPE,
    null
  );
  for (let i = 0; i < found.snapshotLength; i++) {
    const node = found.snapshotItem(i);
    const parent = node.parentElement;
    if (!parent) continue;
    const at = node.data.indexOf(text);
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    for (const r of range.getClientRects()) {
      if (r.width <= 0 || r.height <= 0) continue;
      if (mode === 'rendered') return performance.now();
      const left = Math.max(0, r.left);
      const right = Math.min(window.innerWidth, r.right);
      const top = Math.max(0, r.top);
      const bottom = Math.min(window.innerHeight, r.bottom);
      if (right <= left || bottom <= top) continue;
      const el = document.elementFromPoint((left + right) / 2, (top + bottom) / 2);
      if (el && (el === parent || parent.contains(el) || el.contains(parent))) return performance.now();
    }
  }
  return false;
}

/**
 * Installed before any page script: long tasks (`[startTime, duration]`, ms) and the
 * timestamps of keydowns other than modifiers (the key a time is measured from is the one
 * that acts: Enter of Control+Enter, not the Control held before it).
 */
export function benchInitScript() {
  const bench = { longTasks: [], keydowns: [] };
  Object.defineProperty(window, '__bench', { value: bench, enumerable: false });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    /* no long task API */
  }
  const modifiers = new Set(['Control', 'Shift', 'Alt', 'Meta']);
  window.addEventListener('keydown', (e) => modifiers.has(e.key) || bench.keydowns.push(e.timeStamp), true);
}

/**
 * Installed before any page script, only where long tasks are measured (the long-task
 * scenarios): the long animation frames (50 ms and more) with the scripts that ran in them,
 * where a long task's time went, read in the page itself (no profiler attached to change the
 * timings). Kept out of other scenarios' pages: the entries would count in their heaps.
 *
 * `window.__benchFrames` holds one entry per frame, `{start, ms, blocking, render, scripts}`:
 * `start` in the page's performance.now() ms, `ms` the frame's duration, `blocking` its
 * blocking duration, `render` the time from its rendering start to its end (all ms), and
 * `scripts` its six longest scripts as `{ms, layout, invoker, source}` (`layout`: forced style
 * and layout inside the script, ms; `invoker`: what ran it, e.g. `TimerHandler:setTimeout`;
 * `source`: `function file:char offset`). Fields as in the W3C Long Animation Frames API.
 */
export function longFramesInitScript() {
  const frames = [];
  Object.defineProperty(window, '__benchFrames', { value: frames, enumerable: false });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const scripts = [...e.scripts]
          .sort((a, b) => b.duration - a.duration)
          .slice(0, 6)
          .map((s) => ({
            ms: Math.round(s.duration),
            layout: Math.round(s.forcedStyleAndLayoutDuration),
            invoker: s.invoker,
            source: `${s.sourceFunctionName || '?'} ${s.sourceURL.split('/').pop()}:${s.sourceCharPosition}`
          }));
        const render = e.renderStart ? Math.round(e.startTime + e.duration - e.renderStart) : 0;
        frames.push({ start: e.startTime, ms: Math.round(e.duration), blocking: Math.round(e.blockingDuration), render, scripts });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    /* no long animation frame API */
  }
}

/**
 * In the page: the long animation frames (50 ms and more) overlapping [from, to] (performance.now()
 * ms), with their scripts ({@link longFramesInitScript}). Same overlap test as {@link longestTask}:
 * both run in the page, where they cannot share a helper.
 */
export function longFrames([from, to]) {
  return (window.__benchFrames ?? []).filter((f) => f.start + f.ms >= from && f.start <= to);
}

/** One line per long animation frame and its longest scripts, for the run's log. */
export function describeLongFrames(frames) {
  return frames.map(
    (f) =>
      `    frame ${f.ms} ms (blocking ${f.blocking}, rendering ${f.render}): ` +
      (f.scripts.map((s) => `${s.ms} ms ${s.invoker} -> ${s.source}${s.layout ? ` (layout ${s.layout})` : ''}`).join('; ') || 'no script')
  );
}

/** In the page: the longest long task (ms) overlapping [from, to]; 0 if none (all under 50 ms). */
export function longestTask([from, to]) {
  let max = 0;
  for (const [start, duration] of window.__bench.longTasks) {
    if (start + duration >= from && start <= to) max = Math.max(max, duration);
  }
  return max;
}

/**
 * Per-app page knowledge. Page-side functions are passed to page.evaluate /
 * waitForFunction, so they only use their argument and the page's globals.
 */
export const ADAPTERS = {
  'jlab-alt': {
    /** The app has started (shell and plugins ready). */
    started: () => document.body.dataset.jaState === 'ready',
    /** The open notebook's cell count as loaded, or -1. */
    cellCount: () => {
      const nb = document.querySelector('[data-testid="notebook"]');
      return nb ? nb.querySelectorAll('[data-testid="cell"]').length : -1;
    },
    activeIndex: () => {
      const cells = [...document.querySelectorAll('[data-testid="notebook"] [data-testid="cell"]')];
      return cells.findIndex((c) => c.classList.contains('ja-mod-active'));
    },
    /** Command mode: the notebook element itself has focus. */
    inCommandMode: () => {
      const el = document.activeElement;
      return !!el && el.matches('[data-testid="notebook"].ja-mod-commandMode');
    },
    kernelIdle: () => document.querySelector('[data-testid="kernel-status"]')?.dataset.status === 'idle',
    /** Put the notebook in command mode with the first cell active. */
    async focusFirstCell(page) {
      // The prompt; a rendered Markdown cell hides it, so click the cell's left edge.
      const cell = page.locator('[data-testid="notebook"] [data-testid="cell"]').first();
      const prompt = cell.locator('.ja-Cell-prompt');
      if (await prompt.isVisible()) await prompt.click();
      else await cell.click({ position: { x: 4, y: 4 } });
    },
    outputSelector: '[data-testid="notebook"] .ja-Output-body',
    /** Open a new terminal (resolves once its tab is there). */
    newTerminal: () => window.jlabAlt.commands.execute('terminal:create-new').then(() => undefined),
    terminalSelector: '[data-testid="terminal"]'
  },
  jupyterlab: {
    started: () => {
      const app = window.jupyterapp;
      if (!app) return false;
      if (!window.__benchRestored) {
        window.__benchRestored = 'waiting';
        Promise.all([app.started, app.restored]).then(() => (window.__benchRestored = 'yes'));
      }
      return window.__benchRestored === 'yes';
    },
    cellCount: () => {
      const w = window.jupyterapp?.shell.currentWidget;
      return w?.content?.model && w.context?.isReady ? w.content.model.cells.length : -1;
    },
    activeIndex: () => window.jupyterapp?.shell.currentWidget?.content?.activeCellIndex ?? -1,
    inCommandMode: () => {
      const nb = window.jupyterapp?.shell.currentWidget?.content;
      return !!nb && nb.mode === 'command' && nb.node.contains(document.activeElement);
    },
    kernelIdle: () => {
      const kernel = window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel;
      return !!kernel && kernel.status === 'idle' && kernel.connectionStatus === 'connected';
    },
    async focusFirstCell(page) {
      // Clicking the input prompt selects the cell; Escape makes sure of command mode.
      const cell = page.locator('.jp-Notebook .jp-Cell').first();
      const prompt = cell.locator('.jp-InputPrompt');
      if (await prompt.isVisible()) await prompt.click();
      else await cell.click({ position: { x: 4, y: 4 } });
      await page.keyboard.press('Escape');
    },
    outputSelector: '.jp-Notebook .jp-OutputArea-output',
    newTerminal: () => window.jupyterapp.commands.execute('terminal:create-new').then(() => undefined),
    terminalSelector: '.jp-Terminal'
  }
};
