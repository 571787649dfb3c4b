import type { Application } from '../core/application';
import { definePlugin } from '../tokens';

/**
 * Crash recovery: unsaved edits of notebooks and text files are kept in the browser
 * (IndexedDB) within a second of typing and dropped when saved; opening a document
 * that has a kept copy (the tab or browser died before a save) offers to restore it,
 * listing the cells (or lines) that differ from the file on disk and warning when the
 * file changed on disk since. Nothing is restored without the person's yes, and a
 * restored copy is unsaved edits until saved.
 */
export const recoveryPlugin = definePlugin({
  id: '@jlab-alt/recovery:plugin',
  description: 'Keep unsaved edits in the browser and offer them back after a crash.',
  activate(app: Application) {
    // The keeper, the store and the restore dialog load with the first document opened,
    // not with the app (the first paint needs none of them).
    let impl: Promise<typeof import('./impl')> | null = null;
    app.docManager.opened(({ widget, context }) => {
      let loadedAlready = false;
      const early = context.loaded(() => (loadedAlready = true));
      impl ??= import(/* webpackChunkName: "recovery" */ './impl');
      impl
        .then(({ follow }) => {
          early.dispose();
          if (!widget.isDisposed) follow(app, widget, context, loadedAlready);
        })
        .catch((err) => console.warn('Crash recovery could not load:', err));
    });
  }
});
