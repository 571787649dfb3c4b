// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHORD_TIMEOUT_MS, KeybindingRegistry, NATIVE_ESCAPE_KEYSTROKE } from './keybindings';
import { CommandArgs, CommandRegistry } from './registry';

type Mods = Pick<KeyboardEventInit, 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey'>;

/** Dispatch a keydown for `key` ("d", "Enter", "1") on `target`, as a browser would. */
function press(target: EventTarget, key: string, mods: Mods = {}, extra: KeyboardEventInit = {}): KeyboardEvent {
  let code = key;
  if (/^[a-z]$/i.test(key)) code = `Key${key.toUpperCase()}`;
  else if (/^\d$/.test(key)) code = `Digit${key}`;
  const shown = /^[a-z]$/i.test(key) && mods.shiftKey ? key.toUpperCase() : key;
  const event = new KeyboardEvent('keydown', {
    key: shown,
    code,
    bubbles: true,
    cancelable: true,
    ...mods,
    ...extra
  });
  target.dispatchEvent(event);
  return event;
}

describe('KeybindingRegistry', () => {
  let commands: CommandRegistry;
  let keymap: KeybindingRegistry;
  let notebook: HTMLElement;
  let cell: HTMLElement;
  let editor: HTMLTextAreaElement;
  const ran: { id: string; args: CommandArgs }[] = [];
  const onKeydown = (event: KeyboardEvent) => keymap.processKeydownEvent(event);

  /** Register a command that records each run in `ran`. */
  function command(id: string, extra: { isEnabled?: () => boolean; execute?: () => unknown } = {}): void {
    commands.addCommand(id, {
      label: id,
      execute: (args) => {
        ran.push({ id, args });
        return extra.execute?.();
      },
      ...(extra.isEnabled ? { isEnabled: extra.isEnabled } : {})
    });
  }
  const ranIds = () => ran.map((r) => r.id);

  function setMode(mode: 'command' | 'edit'): void {
    notebook.classList.toggle('ja-mod-command', mode === 'command');
    notebook.classList.toggle('ja-mod-edit', mode === 'edit');
  }

  beforeEach(() => {
    vi.useFakeTimers();
    ran.length = 0;
    document.body.innerHTML = `
      <div class="ja-Notebook ja-mod-command">
        <div class="ja-Cell"><textarea></textarea></div>
      </div>
      <div class="ja-Other"><input></div>`;
    notebook = document.querySelector('.ja-Notebook')!;
    cell = document.querySelector('.ja-Cell')!;
    editor = document.querySelector('textarea')!;
    commands = new CommandRegistry();
    keymap = new KeybindingRegistry(commands, false);
    document.addEventListener('keydown', onKeydown, true);
  });

  afterEach(() => {
    document.removeEventListener('keydown', onKeydown, true);
    vi.useRealTimers();
  });

  describe('modes and scoping', () => {
    beforeEach(() => {
      command('notebook:enter-edit-mode');
      command('notebook:enter-command-mode');
      command('notebook:run-cell-and-select-next');
      command('notebook:change-cell-to-markdown');
      keymap.addKeyBinding({ keys: ['Enter'], selector: '.ja-Notebook.ja-mod-command', command: 'notebook:enter-edit-mode' });
      keymap.addKeyBinding({ keys: ['Escape'], selector: '.ja-Notebook.ja-mod-edit', command: 'notebook:enter-command-mode' });
      keymap.addKeyBinding({ keys: ['M'], selector: '.ja-Notebook.ja-mod-command', command: 'notebook:change-cell-to-markdown' });
      keymap.addKeyBinding({ keys: ['Shift Enter'], selector: '.ja-Notebook', command: 'notebook:run-cell-and-select-next' });
    });

    it('runs the command bound for the current mode only', () => {
      press(cell, 'Enter');
      expect(ranIds()).toEqual(['notebook:enter-edit-mode']);
      press(cell, 'Escape'); // no effect in command mode
      expect(ranIds()).toEqual(['notebook:enter-edit-mode']);

      setMode('edit');
      ran.length = 0;
      press(editor, 'Enter');
      press(editor, 'm');
      expect(ranIds()).toEqual([]);
      press(editor, 'Escape');
      expect(ranIds()).toEqual(['notebook:enter-command-mode']);
    });

    it('runs a binding scoped to the notebook in both modes', () => {
      press(cell, 'Enter', { shiftKey: true });
      setMode('edit');
      press(editor, 'Enter', { shiftKey: true });
      expect(ranIds()).toEqual(['notebook:run-cell-and-select-next', 'notebook:run-cell-and-select-next']);
    });

    it('tells Shift Enter from Enter', () => {
      press(cell, 'Enter', { shiftKey: true });
      expect(ranIds()).toEqual(['notebook:run-cell-and-select-next']);
    });

    it('does nothing for a key pressed outside the bound element', () => {
      const input = document.querySelector('input')!;
      const event = press(input, 'm');
      expect(ranIds()).toEqual([]);
      expect(event.defaultPrevented).toBe(false);
    });

    it('stops the browser default and other handlers for a key it handles', () => {
      const later = vi.fn();
      cell.addEventListener('keydown', later);
      const event = press(cell, 'm');
      expect(event.defaultPrevented).toBe(true);
      expect(later).not.toHaveBeenCalled();
    });

    it('lets an unbound key through so the editor can type it', () => {
      setMode('edit');
      const typed = vi.fn();
      editor.addEventListener('keydown', typed);
      const event = press(editor, 'x');
      expect(event.defaultPrevented).toBe(false);
      expect(typed).toHaveBeenCalledTimes(1);
    });

    it('applies "body" bindings everywhere, including events not aimed at an element', () => {
      command('app:save');
      keymap.addKeyBinding({ keys: ['Accel S'], selector: 'body', command: 'app:save' });
      press(editor, 's', { ctrlKey: true });
      press(document, 's', { ctrlKey: true });
      expect(ranIds()).toEqual(['app:save', 'app:save']);
    });
  });

  describe('precedence', () => {
    beforeEach(() => {
      command('cell:thing');
      command('notebook:thing');
      command('notebook:other-thing');
    });

    it('prefers the binding on the element closest to the focus', () => {
      keymap.addKeyBinding({ keys: ['X'], selector: '.ja-Cell', command: 'cell:thing' });
      keymap.addKeyBinding({ keys: ['X'], selector: '.ja-Notebook', command: 'notebook:thing' });
      press(editor, 'x');
      expect(ranIds()).toEqual(['cell:thing']);
      ran.length = 0;
      press(notebook, 'x');
      expect(ranIds()).toEqual(['notebook:thing']);
    });

    it('prefers the binding added last among those on the same element, and restores the earlier one when it is removed', () => {
      keymap.addKeyBinding({ keys: ['X'], selector: '.ja-Notebook', command: 'notebook:thing' });
      const override = keymap.addKeyBinding({ keys: ['X'], selector: '.ja-Notebook', command: 'notebook:other-thing' });
      press(cell, 'x');
      expect(ranIds()).toEqual(['notebook:other-thing']);
      override.dispose();
      ran.length = 0;
      press(cell, 'x');
      expect(ranIds()).toEqual(['notebook:thing']);
    });

    it('runs only one command per keystroke', () => {
      keymap.addKeyBinding({ keys: ['X'], selector: '.ja-Notebook', command: 'notebook:thing' });
      keymap.addKeyBinding({ keys: ['X'], selector: 'body', command: 'notebook:other-thing' });
      keymap.addKeyBinding({ keys: ['X'], selector: '.ja-Cell', command: 'cell:thing' });
      press(editor, 'x');
      expect(ranIds()).toEqual(['cell:thing']);
    });
  });

  describe('chords', () => {
    beforeEach(() => {
      command('notebook:delete-cell');
      command('notebook:insert-cell-above');
      command('notebook:interrupt-kernel');
      keymap.addKeyBinding({ keys: ['D', 'D'], selector: '.ja-Notebook.ja-mod-command', command: 'notebook:delete-cell' });
      keymap.addKeyBinding({ keys: ['A'], selector: '.ja-Notebook.ja-mod-command', command: 'notebook:insert-cell-above' });
      keymap.addKeyBinding({ keys: ['I', 'I'], selector: '.ja-Notebook.ja-mod-command', command: 'notebook:interrupt-kernel' });
    });

    it('runs D D only after the second D', () => {
      const first = press(cell, 'd');
      expect(ranIds()).toEqual([]);
      expect(first.defaultPrevented).toBe(true);
      const second = press(cell, 'd');
      expect(ranIds()).toEqual(['notebook:delete-cell']);
      expect(second.defaultPrevented).toBe(true);
    });

    it('runs the chord once, and a third D starts a new chord', () => {
      press(cell, 'd');
      press(cell, 'd');
      press(cell, 'd');
      expect(ranIds()).toEqual(['notebook:delete-cell']);
      press(cell, 'd');
      expect(ranIds()).toEqual(['notebook:delete-cell', 'notebook:delete-cell']);
    });

    it('waits up to the chord timeout for the second key', () => {
      expect(CHORD_TIMEOUT_MS).toBe(1000);
      press(cell, 'd');
      vi.advanceTimersByTime(CHORD_TIMEOUT_MS - 1);
      press(cell, 'd');
      expect(ranIds()).toEqual(['notebook:delete-cell']);
    });

    it('drops a half-typed chord after the timeout', () => {
      press(cell, 'd');
      vi.advanceTimersByTime(CHORD_TIMEOUT_MS);
      expect(ranIds()).toEqual([]);
      press(cell, 'd'); // starts a new chord rather than finishing the old one
      expect(ranIds()).toEqual([]);
      press(cell, 'd');
      expect(ranIds()).toEqual(['notebook:delete-cell']);
    });

    it('does not run the chord when it is broken off by another key, which runs its own binding', () => {
      press(cell, 'd');
      press(cell, 'a');
      expect(ranIds()).toEqual(['notebook:insert-cell-above']);
      press(cell, 'd');
      expect(ranIds()).toEqual(['notebook:insert-cell-above']);
    });

    it('does not mix up two chords', () => {
      press(cell, 'd');
      press(cell, 'i');
      expect(ranIds()).toEqual([]);
      press(cell, 'i');
      expect(ranIds()).toEqual(['notebook:interrupt-kernel']);
    });

    it('does not let a lone modifier press break a chord', () => {
      command('app:save-all');
      keymap.addKeyBinding({ keys: ['Ctrl K', 'Ctrl S'], selector: 'body', command: 'app:save-all' });
      press(cell, 'k', { ctrlKey: true });
      press(cell, 'Control', { ctrlKey: true }, { code: 'ControlLeft' });
      press(cell, 's', { ctrlKey: true });
      expect(ranIds()).toEqual(['app:save-all']);
    });

    it('needs the whole keystroke, modifiers included, for each step', () => {
      press(cell, 'd');
      press(cell, 'd', { shiftKey: true });
      expect(ranIds()).toEqual([]);
    });

    it('does not start a chord outside its scope', () => {
      setMode('edit');
      const event = press(editor, 'd');
      expect(event.defaultPrevented).toBe(false);
      press(editor, 'd');
      expect(ranIds()).toEqual([]);
    });

    describe('when a key is both a shortcut and the start of a chord', () => {
      beforeEach(() => {
        command('notebook:run-and-continue');
        keymap.addKeyBinding({ keys: ['D'], selector: 'body', command: 'notebook:run-and-continue' });
      });

      it('runs the single-key shortcut once the chord times out', () => {
        press(cell, 'd');
        expect(ranIds()).toEqual([]);
        vi.advanceTimersByTime(CHORD_TIMEOUT_MS);
        expect(ranIds()).toEqual(['notebook:run-and-continue']);
      });

      it('runs only the chord when the chord is completed', () => {
        press(cell, 'd');
        press(cell, 'd');
        vi.advanceTimersByTime(CHORD_TIMEOUT_MS * 2);
        expect(ranIds()).toEqual(['notebook:delete-cell']);
      });

      it('runs the single-key shortcut, then the next key, when another key breaks the chord', () => {
        press(cell, 'd');
        press(cell, 'a');
        vi.advanceTimersByTime(CHORD_TIMEOUT_MS * 2);
        expect(ranIds()).toEqual(['notebook:run-and-continue', 'notebook:insert-cell-above']);
      });
    });
  });

  describe('running commands', () => {
    it('passes the binding arguments to the command', () => {
      command('notebook:change-cell-to-heading');
      keymap.addKeyBinding({
        keys: ['2'],
        selector: '.ja-Notebook',
        command: 'notebook:change-cell-to-heading',
        args: { level: 2 }
      });
      press(cell, '2');
      expect(ran).toEqual([{ id: 'notebook:change-cell-to-heading', args: { level: 2 } }]);
    });

    it('names Shift+1 "Shift 1", so a "Shift 1" binding runs although the key typed is "!"', () => {
      command('x');
      keymap.addKeyBinding({ keys: ['Shift 1'], selector: 'body', command: 'x' });
      press(cell, '!', { shiftKey: true }, { code: 'Digit1' });
      expect(ranIds()).toEqual(['x']);
    });

    it('does not run a disabled command', () => {
      let enabled = false;
      command('kernel:restart', { isEnabled: () => enabled });
      keymap.addKeyBinding({ keys: ['0', '0'], selector: 'body', command: 'kernel:restart' });
      press(cell, '0');
      press(cell, '0');
      expect(ranIds()).toEqual([]);
      enabled = true;
      press(cell, '0');
      press(cell, '0');
      expect(ranIds()).toEqual(['kernel:restart']);
    });

    it('ignores a binding to a command that does not exist', () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      keymap.addKeyBinding({ keys: ['Q'], selector: 'body', command: 'no:such-command' });
      expect(() => press(cell, 'q')).not.toThrow();
      expect(error).not.toHaveBeenCalled();
    });

    it('reports a failing command on the console and keeps handling keys', async () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {});
      command('broken', {
        execute: () => {
          throw new Error('no kernel');
        }
      });
      command('fine');
      keymap.addKeyBinding({ keys: ['B'], selector: 'body', command: 'broken' });
      keymap.addKeyBinding({ keys: ['F'], selector: 'body', command: 'fine' });
      press(cell, 'b');
      await vi.waitFor(() => expect(error).toHaveBeenCalled());
      expect(String(error.mock.calls[0]![0])).toContain('broken');
      press(cell, 'f');
      expect(ranIds()).toEqual(['broken', 'fine']);
    });

    it('ignores events another handler already took, and keystrokes during IME composition', () => {
      command('x');
      keymap.addKeyBinding({ keys: ['X'], selector: 'body', command: 'x' });
      const taken = new KeyboardEvent('keydown', { key: 'x', code: 'KeyX', bubbles: true, cancelable: true });
      taken.preventDefault();
      Object.defineProperty(taken, 'target', { value: cell });
      keymap.processKeydownEvent(taken);
      press(cell, 'x', {}, { isComposing: true });
      expect(ranIds()).toEqual([]);
    });

    it('stops running a binding once it is disposed', () => {
      command('x');
      const binding = keymap.addKeyBinding({ keys: ['X'], selector: 'body', command: 'x' });
      binding.dispose();
      const event = press(cell, 'x');
      expect(ranIds()).toEqual([]);
      expect(event.defaultPrevented).toBe(false);
    });
  });

  describe('Accel', () => {
    it('is Ctrl on Windows and Linux', () => {
      command('app:save');
      keymap.addKeyBinding({ keys: ['Accel S'], selector: 'body', command: 'app:save' });
      press(cell, 's', { metaKey: true });
      expect(ranIds()).toEqual([]);
      press(cell, 's', { ctrlKey: true });
      expect(ranIds()).toEqual(['app:save']);
    });

    it('is Cmd on mac', () => {
      keymap = new KeybindingRegistry(commands, true);
      command('app:save');
      keymap.addKeyBinding({ keys: ['Accel S'], selector: 'body', command: 'app:save' });
      press(cell, 's', { ctrlKey: true });
      expect(ranIds()).toEqual([]);
      press(cell, 's', { metaKey: true });
      expect(ranIds()).toEqual(['app:save']);
    });
  });

  describe('listing bindings', () => {
    it('keeps bindings in the order added, with canonical keys', () => {
      keymap.addKeyBinding({ keys: ['accel shift c'], selector: 'body', command: 'palette:open' });
      keymap.addKeyBinding({ keys: ['d', 'd'], selector: '.ja-Notebook', command: 'notebook:delete-cell' });
      expect(keymap.keyBindings.map((b) => [b.command, b.keys])).toEqual([
        ['palette:open', ['Ctrl Shift C']],
        ['notebook:delete-cell', ['D', 'D']]
      ]);
    });

    it('finds the shortcut to show for a command: the one added last', () => {
      keymap.addKeyBinding({ keys: ['Ctrl S'], selector: 'body', command: 'app:save' });
      keymap.addKeyBinding({ keys: ['Ctrl Alt S'], selector: 'body', command: 'app:save' });
      keymap.addKeyBinding({ keys: ['Ctrl O'], selector: 'body', command: 'app:open' });
      expect(keymap.bindingFor('app:save')?.keys).toEqual(['Ctrl Alt S']);
      expect(keymap.bindingFor('app:open')?.keys).toEqual(['Ctrl O']);
      expect(keymap.bindingFor('app:close')).toBeUndefined();
    });

    it('refuses a binding whose keystroke cannot be parsed, and does not add it', () => {
      expect(() => keymap.addKeyBinding({ keys: ['Ctrl Shift'], selector: 'body', command: 'x' })).toThrow();
      expect(keymap.keyBindings).toHaveLength(0);
    });

    it('never matches a binding with an invalid selector, without throwing', () => {
      command('x');
      command('y');
      keymap.addKeyBinding({ keys: ['X'], selector: 'body', command: 'y' });
      keymap.addKeyBinding({ keys: ['X'], selector: '###not a selector', command: 'x' });
      expect(() => press(cell, 'x')).not.toThrow();
      expect(ranIds()).toEqual(['y']);
    });
  });

  describe('native key boundary ([data-ja-keys="native"])', () => {
    let term: HTMLElement;
    let textarea: HTMLTextAreaElement;

    beforeEach(() => {
      const host = document.createElement('div');
      host.className = 'ja-Terminal';
      host.dataset.jaKeys = 'native';
      host.innerHTML = '<div class="xterm"><textarea class="xterm-helper-textarea"></textarea></div>';
      document.body.appendChild(host);
      term = host;
      textarea = host.querySelector('textarea')!;
      for (const id of ['shell:toggle-left-sidebar', 'shell:close-tab', 'palette:open', 'docmanager:save', 'terminal:copy']) {
        command(id);
      }
      keymap.addKeyBinding({ keys: ['Accel B'], selector: 'body', command: 'shell:toggle-left-sidebar' });
      keymap.addKeyBinding({ keys: ['Alt W'], selector: 'body', command: 'shell:close-tab' });
      keymap.addKeyBinding({ keys: ['Accel S'], selector: 'body', command: 'docmanager:save' });
      keymap.addKeyBinding({ keys: ['Accel Shift C'], selector: 'body', command: 'palette:open' });
      keymap.addKeyBinding({ keys: [NATIVE_ESCAPE_KEYSTROKE], selector: 'body', command: 'palette:open' });
    });

    it('lets the keys a shell needs through to the terminal, untouched', () => {
      const events = [
        press(textarea, 'b', { ctrlKey: true }),
        press(textarea, 'w', { altKey: true }),
        press(textarea, 's', { ctrlKey: true }),
        press(textarea, 'c', { ctrlKey: true, shiftKey: true })
      ];
      expect(ranIds()).toEqual([]);
      expect(events.map((e) => e.defaultPrevented)).toEqual([false, false, false, false]);
    });

    it('still runs the same shortcuts outside the terminal', () => {
      press(editor, 'b', { ctrlKey: true });
      press(editor, 'w', { altKey: true });
      expect(ranIds()).toEqual(['shell:toggle-left-sidebar', 'shell:close-tab']);
    });

    it('lets the documented escape, Ctrl+Shift+P, reach the command palette from inside', () => {
      const event = press(textarea, 'p', { ctrlKey: true, shiftKey: true });
      expect(ranIds()).toEqual(['palette:open']);
      expect(event.defaultPrevented).toBe(true);
    });

    it('runs bindings scoped inside the subtree (the widget\'s own keys)', () => {
      keymap.addKeyBinding({ keys: ['Accel Shift C'], selector: '.ja-Terminal', command: 'terminal:copy' });
      press(textarea, 'c', { ctrlKey: true, shiftKey: true });
      expect(ranIds()).toEqual(['terminal:copy']);
    });

    it('does not let a chord started outside finish inside', () => {
      command('notebook:delete-cell');
      keymap.addKeyBinding({ keys: ['D', 'D'], selector: 'body', command: 'notebook:delete-cell' });
      press(cell, 'd');
      const second = press(textarea, 'd');
      vi.advanceTimersByTime(CHORD_TIMEOUT_MS + 1);
      expect(ranIds()).toEqual([]);
      expect(second.defaultPrevented).toBe(false);
      expect(term.isConnected).toBe(true);
    });
  });
});

describe('shown shortcuts follow changes', () => {
  it('changed fires when a binding is added, removed, switched off and on, and captions follow', async () => {
    const { captionWithShortcut } = await import('../menus/shortcut');
    const registry = new KeybindingRegistry(new CommandRegistry(), false);
    const title = { caption: '' };
    const stop = captionWithShortcut(title, registry, 'File Browser', 'filebrowser:toggle');
    expect(title.caption).toBe('File Browser');
    registry.addKeyBinding({ keys: ['Accel Shift F'], selector: 'body', command: 'filebrowser:toggle' });
    expect(title.caption).toBe('File Browser (Ctrl+Shift+F)');
    const off = registry.suppress('filebrowser:toggle', ['Accel Shift F']);
    expect(title.caption).toBe('File Browser');
    const user = registry.addKeyBinding({ keys: ['Accel Alt K'], selector: 'body', command: 'filebrowser:toggle' });
    expect(title.caption).toBe('File Browser (Ctrl+Alt+K)');
    user.dispose();
    off.dispose();
    expect(title.caption).toBe('File Browser (Ctrl+Shift+F)');
    stop.dispose();
    registry.addKeyBinding({ keys: ['F9'], selector: 'body', command: 'filebrowser:toggle' });
    expect(title.caption).toBe('File Browser (Ctrl+Shift+F)');
  });
});
