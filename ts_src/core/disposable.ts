/** Something that holds resources until `dispose()` is called; disposing twice is harmless. */
export interface IDisposable {
  readonly isDisposed: boolean;
  dispose(): void;
}

/** A disposable that runs `fn` once, on the first `dispose()`. */
export class DisposableDelegate implements IDisposable {
  private fn: (() => void) | null;
  constructor(fn: () => void) {
    this.fn = fn;
  }
  get isDisposed(): boolean {
    return this.fn === null;
  }
  dispose(): void {
    const fn = this.fn;
    this.fn = null;
    fn?.();
  }
}

/** Disposes a group of disposables together, in reverse order of addition. */
export class DisposableSet implements IDisposable {
  private items: IDisposable[] = [];
  private disposed = false;
  get isDisposed(): boolean {
    return this.disposed;
  }
  add<T extends IDisposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const item of this.items.reverse()) item.dispose();
    this.items = [];
  }
}
