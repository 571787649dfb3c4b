import { describe, expect, it, vi } from 'vitest';
import { CommandArgs, CommandRegistry, DuplicateCommandError, UnknownCommandError } from './registry';

describe('CommandRegistry', () => {
  it('runs a command with its arguments and resolves with its result', async () => {
    const commands = new CommandRegistry();
    const execute = vi.fn((args: CommandArgs) => `opened ${String(args['path'])}`);
    commands.addCommand('docmanager:open', { label: 'Open', execute });
    await expect(commands.execute('docmanager:open', { path: 'a.ipynb' })).resolves.toBe('opened a.ipynb');
    expect(execute).toHaveBeenCalledWith({ path: 'a.ipynb' });
  });

  it('passes empty arguments when none are given', async () => {
    const commands = new CommandRegistry();
    const execute = vi.fn();
    commands.addCommand('a', { label: 'A', execute });
    await commands.execute('a');
    expect(execute).toHaveBeenCalledWith({});
  });

  it('waits for an async command before resolving', async () => {
    const commands = new CommandRegistry();
    let finish: (value: string) => void = () => {};
    commands.addCommand('slow', { label: 'Slow', execute: () => new Promise<string>((r) => (finish = r)) });
    const done = vi.fn();
    const running = commands.execute('slow').then(done);
    await Promise.resolve();
    expect(done).not.toHaveBeenCalled();
    finish('saved');
    await running;
    expect(done).toHaveBeenCalledWith('saved');
  });

  it('rejects with UnknownCommandError for an id no one registered', async () => {
    const commands = new CommandRegistry();
    const result = commands.execute('no:such-command');
    await expect(result).rejects.toBeInstanceOf(UnknownCommandError);
    await expect(result).rejects.toMatchObject({ id: 'no:such-command', name: 'UnknownCommandError' });
    await expect(result).rejects.toThrow(/no:such-command/);
  });

  it('turns a command that throws into a rejection instead of throwing at the caller', async () => {
    const commands = new CommandRegistry();
    commands.addCommand('broken', {
      label: 'Broken',
      execute: () => {
        throw new Error('kernel is dead');
      }
    });
    let result: Promise<unknown> | undefined;
    expect(() => (result = commands.execute('broken'))).not.toThrow();
    await expect(result).rejects.toThrow('kernel is dead');
  });

  it('refuses a second command with the same id and keeps the first', async () => {
    const commands = new CommandRegistry();
    commands.addCommand('x', { label: 'First', execute: () => 1 });
    expect(() => commands.addCommand('x', { label: 'Second', execute: () => 2 })).toThrow(DuplicateCommandError);
    expect(commands.label('x')).toBe('First');
    await expect(commands.execute('x')).resolves.toBe(1);
  });

  it('removes a command when its registration is disposed, after which it is unknown', async () => {
    const commands = new CommandRegistry();
    const reg = commands.addCommand('x', { label: 'X', execute: () => 1 });
    reg.dispose();
    expect(commands.hasCommand('x')).toBe(false);
    expect(commands.listCommands()).toEqual([]);
    await expect(commands.execute('x')).rejects.toBeInstanceOf(UnknownCommandError);
  });

  it('lets an id be registered again after disposal, and a stale registration cannot remove the new one', () => {
    const commands = new CommandRegistry();
    const first = commands.addCommand('x', { label: 'Old', execute: () => 1 });
    first.dispose();
    commands.addCommand('x', { label: 'New', execute: () => 2 });
    first.dispose();
    expect(commands.hasCommand('x')).toBe(true);
    expect(commands.label('x')).toBe('New');
  });

  it('lists commands in registration order', () => {
    const commands = new CommandRegistry();
    for (const id of ['b', 'a', 'c']) commands.addCommand(id, { label: id, execute: () => undefined });
    expect(commands.listCommands()).toEqual(['b', 'a', 'c']);
  });

  it('reports commands being added and removed', () => {
    const commands = new CommandRegistry();
    const changes: unknown[] = [];
    commands.commandChanged((c) => changes.push(c));
    const reg = commands.addCommand('x', { label: 'X', execute: () => undefined });
    reg.dispose();
    reg.dispose();
    expect(changes).toEqual([
      { id: 'x', type: 'added' },
      { id: 'x', type: 'removed' }
    ]);
  });

  it('reports each execution with its arguments and result promise', async () => {
    const commands = new CommandRegistry();
    commands.addCommand('x', { label: 'X', execute: () => 42 });
    const executed = vi.fn();
    commands.commandExecuted(executed);
    await commands.execute('x', { n: 1 });
    expect(executed).toHaveBeenCalledTimes(1);
    const event = executed.mock.calls[0]![0] as { id: string; args: CommandArgs; result: Promise<unknown> };
    expect(event.id).toBe('x');
    expect(event.args).toEqual({ n: 1 });
    await expect(event.result).resolves.toBe(42);
  });

  it('does not report executions of unknown commands', async () => {
    const commands = new CommandRegistry();
    const executed = vi.fn();
    commands.commandExecuted(executed);
    await commands.execute('nope').catch(() => undefined);
    expect(executed).not.toHaveBeenCalled();
  });

  describe('presentation', () => {
    it('shows a fixed label, or one computed from the arguments', () => {
      const commands = new CommandRegistry();
      commands.addCommand('fixed', { label: 'Save Notebook', execute: () => undefined });
      commands.addCommand('dynamic', {
        label: (args) => `Open ${String(args['name'] ?? 'file')}`,
        execute: () => undefined
      });
      expect(commands.label('fixed')).toBe('Save Notebook');
      expect(commands.label('dynamic', { name: 'data.csv' })).toBe('Open data.csv');
      expect(commands.label('dynamic')).toBe('Open file');
    });

    it('gives caption and category, and empty strings for what is not set or not registered', () => {
      const commands = new CommandRegistry();
      commands.addCommand('x', { label: 'X', caption: 'Does X', category: 'File', execute: () => undefined });
      commands.addCommand('y', { label: 'Y', execute: () => undefined });
      expect(commands.caption('x')).toBe('Does X');
      expect(commands.category('x')).toBe('File');
      expect(commands.caption('y')).toBe('');
      expect(commands.category('y')).toBe('');
      expect(commands.label('missing')).toBe('');
      expect(commands.caption('missing')).toBe('');
    });

    it('treats commands as enabled and visible unless they say otherwise, and unknown ones as neither', () => {
      const commands = new CommandRegistry();
      commands.addCommand('plain', { label: 'Plain', execute: () => undefined });
      commands.addCommand('gated', {
        label: 'Gated',
        execute: () => undefined,
        isEnabled: (args) => args['ok'] === true,
        isVisible: (args) => args['show'] === true
      });
      expect(commands.isEnabled('plain')).toBe(true);
      expect(commands.isVisible('plain')).toBe(true);
      expect(commands.isEnabled('gated')).toBe(false);
      expect(commands.isEnabled('gated', { ok: true })).toBe(true);
      expect(commands.isVisible('gated')).toBe(false);
      expect(commands.isVisible('gated', { show: true })).toBe(true);
      expect(commands.isEnabled('missing')).toBe(false);
      expect(commands.isVisible('missing')).toBe(false);
    });

    it('reports toggle state, off by default', () => {
      const commands = new CommandRegistry();
      let on = false;
      commands.addCommand('toggle', { label: 'Line Numbers', execute: () => (on = !on), isToggled: () => on });
      commands.addCommand('plain', { label: 'Plain', execute: () => undefined });
      expect(commands.isToggled('toggle')).toBe(false);
      void commands.execute('toggle');
      expect(commands.isToggled('toggle')).toBe(true);
      expect(commands.isToggled('plain')).toBe(false);
      expect(commands.isToggled('missing')).toBe(false);
    });
  });
});
