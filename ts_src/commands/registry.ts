import { DisposableDelegate, IDisposable } from '../core/disposable';
import { Emitter } from '../core/emitter';

/** Arguments passed to a command: a plain JSON-like object. */
export type CommandArgs = Readonly<Record<string, unknown>>;

/** How a command behaves and how it is shown (palette, menus, toolbars). */
export interface CommandOptions {
  /** Human-readable name; a function when it depends on the arguments. */
  label: string | ((args: CommandArgs) => string);
  /** One-line explanation shown under the label in the palette. */
  caption?: string;
  /** Palette group, e.g. "File", "View", "Notebook". */
  category?: string;
  /** Run the command; a returned promise is awaited by {@link CommandRegistry.execute}. */
  execute(args: CommandArgs): unknown;
  /** Whether the command can run now (defaults to true). */
  isEnabled?(args: CommandArgs): boolean;
  /** Whether the command is offered in the palette (defaults to true). */
  isVisible?(args: CommandArgs): boolean;
  /** Whether a toggle command is on (shown as a check mark). */
  isToggled?(args: CommandArgs): boolean;
}

/** Raised by {@link CommandRegistry.execute} for an id no one registered. */
export class UnknownCommandError extends Error {
  constructor(readonly id: string) {
    super(`No command is registered with id "${id}"`);
    this.name = 'UnknownCommandError';
  }
}

/** Raised by {@link CommandRegistry.addCommand} for an id already in use. */
export class DuplicateCommandError extends Error {
  constructor(readonly id: string) {
    super(`A command with id "${id}" is already registered`);
    this.name = 'DuplicateCommandError';
  }
}

/**
 * The app's commands, by id ("filebrowser:refresh"). Commands are the one way the
 * shell, the palette, keyboard shortcuts and extensions invoke behaviour.
 */
export class CommandRegistry {
  private commands = new Map<string, CommandOptions>();
  private readonly changed = new Emitter<{ id: string; type: 'added' | 'removed' }>();
  private readonly executed = new Emitter<{ id: string; args: CommandArgs; result: Promise<unknown> }>();

  /** Fires when a command is added or removed. */
  readonly commandChanged = this.changed.event;
  /** Fires each time a command starts executing. */
  readonly commandExecuted = this.executed.event;

  /**
   * Register a command. Dispose the result to remove it.
   * @throws DuplicateCommandError when `id` is taken.
   */
  addCommand(id: string, options: CommandOptions): IDisposable {
    if (this.commands.has(id)) throw new DuplicateCommandError(id);
    this.commands.set(id, options);
    this.changed.emit({ id, type: 'added' });
    return new DisposableDelegate(() => {
      if (this.commands.get(id) === options) {
        this.commands.delete(id);
        this.changed.emit({ id, type: 'removed' });
      }
    });
  }

  hasCommand(id: string): boolean {
    return this.commands.has(id);
  }

  /** The ids of every registered command, in registration order. */
  listCommands(): string[] {
    return [...this.commands.keys()];
  }

  label(id: string, args: CommandArgs = {}): string {
    const label = this.commands.get(id)?.label ?? '';
    return typeof label === 'function' ? label(args) : label;
  }

  caption(id: string): string {
    return this.commands.get(id)?.caption ?? '';
  }

  category(id: string): string {
    return this.commands.get(id)?.category ?? '';
  }

  isEnabled(id: string, args: CommandArgs = {}): boolean {
    const cmd = this.commands.get(id);
    return !!cmd && (cmd.isEnabled?.(args) ?? true);
  }

  isVisible(id: string, args: CommandArgs = {}): boolean {
    const cmd = this.commands.get(id);
    return !!cmd && (cmd.isVisible?.(args) ?? true);
  }

  /** Whether the command is a toggle (has `isToggled`): menus show a check mark for it. */
  isToggleable(id: string): boolean {
    return typeof this.commands.get(id)?.isToggled === 'function';
  }

  isToggled(id: string, args: CommandArgs = {}): boolean {
    return this.commands.get(id)?.isToggled?.(args) ?? false;
  }

  /**
   * Run command `id` with `args`; resolves with what it returns.
   * @throws UnknownCommandError (as a rejection) when `id` is not registered.
   */
  execute(id: string, args: CommandArgs = {}): Promise<unknown> {
    const cmd = this.commands.get(id);
    if (!cmd) return Promise.reject(new UnknownCommandError(id));
    let result: Promise<unknown>;
    try {
      result = Promise.resolve(cmd.execute(args));
    } catch (err) {
      result = Promise.reject(err);
    }
    this.executed.emit({ id, args, result });
    return result;
  }
}
