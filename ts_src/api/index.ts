/**
 * `import ... from "jlab-alt"`: helpers for extension authors, resolved by the app's
 * import map. The live API is the `app` object handed to each plugin's `activate`
 * (commands, keybindings, shell, docRegistry, services, settings, notifications,
 * plugins); this module adds base classes and functions with no state of their own,
 * plus the TypeScript types of that API.
 */
export { Widget, Title } from '../shell/widget';
export { Emitter } from '../core/emitter';
export type { Listener } from '../core/emitter';
export { DisposableDelegate, DisposableSet } from '../core/disposable';
export { nextTask, SlicedQueue, SLICE_MS, warmUp, type WarmUp } from '../core/tasks';
export type { IDisposable } from '../core/disposable';
export { showDialog } from '../dialogs/dialog';
export type { DialogButton, DialogOptions } from '../dialogs/dialog';
export { makeRequest, requestJSON, RequestError } from './request';
export type { RequestOptions } from './request';
export type { Application, AppPlugin } from '../core/application';
export { definePlugin, token, THEME, FILEBROWSER, RENDERMIME, NOTEBOOK, KERNEL, LAYOUT, SHORTCUTS, TERMINAL, TOC, LAUNCHER, MENUS, HUB } from '../tokens';
export type { Token } from '../tokens';
export type { CommandOptions, CommandArgs } from '../commands/registry';
export type { KeyBindingOptions } from '../commands/keybindings';
export type { ShellArea, ShellAddOptions } from '../shell/shell';
export type { StatusItemOptions } from '../shell/statusbar';
export type { WidgetFactory } from '../docmanager/registry';
export type { DocumentContext } from '../docmanager/context';
export type { MimeRenderer, RenderOptions, RenderMimeRegistry } from '../rendermime/registry';
export type { NotebookTracker } from '../notebook/tracker';
export type { NotebookPanel } from '../notebook/panel';
export type { Notification, NotifyOptions } from '../notifications/notifications';

/** The version of jlab-alt (the Python package's `jlab_alt.__version__`, set by the build). */
export const version: string = __JLAB_ALT_VERSION__;
