/**
 * The app's entry module: read the page config, build the app, register the
 * built-in plugins and start. `window.jlabAlt` exposes the app for tests and for
 * debugging from the console (`await jlabAlt.started`).
 */
import { themeDark, themeLight } from 'dockview-core';
import './style/index.css';
import { BUILTIN_PLUGINS } from './builtins';
import { Application } from './core/application';
import { readPageConfig } from './core/pageconfig';
import { loadFrontendExtensions } from './extmanager/loader';
import { errorMessage } from './core/errors';
import { nextTask } from './core/tasks';

declare global {
  interface Window {
    jlabAlt?: Application;
  }
}

/** Remove `?token=` from the address bar: the login cookie now authenticates us. */
function dropTokenFromUrl(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
}

async function main(): Promise<void> {
  dropTokenFromUrl();
  const root = document.getElementById('jlab-alt-root');
  if (!root) throw new Error('The page has no #jlab-alt-root element');
  try {
    // Each step of the start in a task of its own: the modules' evaluation, making the
    // shell and importing the extensions, then the plugins (one task of 100-250 ms
    // together on a slow machine, 2026-12-05).
    await nextTask();
    const config = readPageConfig();
    const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
    const app = new Application({
      config,
      dockTheme: dark ? themeDark : themeLight,
      disabled: config.disabledExtensions ?? []
    });
    window.jlabAlt = app;
    app.registerPlugins(BUILTIN_PLUGINS);
    // Extensions load in parallel with nothing else to wait for: their modules are
    // fetched while the built-ins are registered, and all activate together.
    const loaded = await loadFrontendExtensions(config.frontendExtensions ?? []);
    for (const { extension, plugin } of loaded.plugins) app.registerPlugins([plugin], extension);
    app.extensionFailures.push(...loaded.failures);
    await nextTask();
    await app.start(root);
  } catch (err) {
    root.textContent = `jlab-alt could not start: ${errorMessage(err)}`;
    throw err;
  }
}

void main();
