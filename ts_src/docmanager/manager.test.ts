// @vitest-environment jsdom
import type { Contents } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Shell } from '../shell/shell';
import { Widget } from '../shell/widget';
import type { DocumentContext } from './context';
import { DocumentManager, renamedPath } from './manager';
import { DocumentRegistry } from './registry';

/** The part of the contents manager the document manager listens to. */
function fakeContents() {
  const contents = { fileChanged: null as unknown as Signal<Contents.IManager, Contents.IChangedArgs> };
  contents.fileChanged = new Signal<Contents.IManager, Contents.IChangedArgs>(contents as unknown as Contents.IManager);
  return contents;
}

/** A main area that keeps widgets by id, as the dock does. */
function fakeShell() {
  const widgets = new Map<string, Widget>();
  const activated: string[] = [];
  const shell = {
    dock: { get: (id: string) => widgets.get(id), current: null },
    add: (w: Widget) => {
      if (widgets.has(w.id)) return;
      widgets.set(w.id, w);
      w.disposed(() => widgets.delete(w.id));
    },
    activateById: (id: string) => activated.push(id) > 0
  };
  return { shell: shell as unknown as Shell, widgets, activated };
}

class DocWidget extends Widget {
  constructor(readonly context: DocumentContext) {
    super(context.widgetId, context.name);
    this.node.dataset.path = context.path;
  }
}

describe('DocumentManager', () => {
  let contents: ReturnType<typeof fakeContents>;
  let shell: ReturnType<typeof fakeShell>;
  let manager: DocumentManager;
  const rename = (from: string, to: string) =>
    contents.fileChanged.emit({ type: 'rename', oldValue: { path: from }, newValue: { path: to } });

  beforeEach(() => {
    contents = fakeContents();
    shell = fakeShell();
    const registry = new DocumentRegistry();
    registry.addWidgetFactory({ name: 'Doc', fileTypes: ['*'], create: (context) => new DocWidget(context) });
    manager = new DocumentManager(registry, contents as unknown as Contents.IManager, shell.shell);
  });

  it('opening an open path activates its widget instead of making another', async () => {
    const a = await manager.open('a.txt');
    expect(await manager.open('a.txt')).toBe(a);
    expect(shell.activated).toEqual([a.id]);
    expect(manager.widgets).toEqual([a]);
  });

  it('opens of one path in flight at once make one widget, named factory or not', async () => {
    // As at start: the saved layout reopens the notebook with its factory while the
    // address (/tree/<path>) opens it with the default one.
    let made = 0;
    const registry = new DocumentRegistry();
    registry.addWidgetFactory({
      name: 'Doc',
      fileTypes: ['*'],
      create: async (context) => {
        made += 1;
        await Promise.resolve();
        return new DocWidget(context);
      }
    });
    manager = new DocumentManager(registry, contents as unknown as Contents.IManager, shell.shell);
    const [a, b, c] = await Promise.all([manager.open('a.txt', 'Doc'), manager.open('a.txt'), manager.open('a.txt', 'Doc')]);
    expect(made).toBe(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(manager.widgets).toEqual([a]);
  });

  it('a renamed document keeps its widget: new path, tab label, tooltip and data-path', async () => {
    const widget = (await manager.open('dir/a.txt')) as DocWidget;
    const seen: string[] = [];
    widget.context.pathChanged(({ oldPath, newPath }) => seen.push(`${oldPath}->${newPath}`));
    rename('dir/a.txt', 'dir/b.md');
    expect(widget.context.path).toBe('dir/b.md');
    expect(widget.title.label).toBe('b.md');
    expect(widget.title.caption).toBe('dir/b.md');
    expect(widget.node.dataset.path).toBe('dir/b.md');
    expect(manager.pathOf(widget)).toBe('dir/b.md');
    expect(seen).toEqual(['dir/a.txt->dir/b.md']);
    // Opening the new path finds it; the old path opens a new document.
    expect(await manager.open('dir/b.md')).toBe(widget);
    const fresh = await manager.open('dir/a.txt');
    expect(fresh).not.toBe(widget);
    expect(fresh.id).not.toBe(widget.id);
    expect(manager.widgets).toHaveLength(2);
  });

  it('renaming a folder moves the documents inside it', async () => {
    const inner = (await manager.open('data/sub/x.csv')) as DocWidget;
    const other = (await manager.open('database.txt')) as DocWidget;
    rename('data', 'archive');
    expect(inner.context.path).toBe('archive/sub/x.csv');
    expect(other.context.path).toBe('database.txt');
  });

  it('deleting a file or its folder closes its document', async () => {
    const a = await manager.open('a.txt');
    const b = await manager.open('dir/b.txt');
    const c = await manager.open('c.txt');
    contents.fileChanged.emit({ type: 'delete', oldValue: { path: 'a.txt' }, newValue: null });
    contents.fileChanged.emit({ type: 'delete', oldValue: { path: 'dir' }, newValue: null });
    expect(a.isDisposed).toBe(true);
    expect(b.isDisposed).toBe(true);
    expect(c.isDisposed).toBe(false);
    expect(manager.widgets).toEqual([c]);
  });
});

describe('renamedPath', () => {
  it('maps the path itself and paths inside it; leaves lookalike names alone', () => {
    expect(renamedPath('a', 'a', 'b')).toBe('b');
    expect(renamedPath('a/x/y', 'a', 'b')).toBe('b/x/y');
    expect(renamedPath('ab/x', 'a', 'b')).toBeNull();
  });
});
