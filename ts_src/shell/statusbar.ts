import { DisposableDelegate, IDisposable } from '../core/disposable';

/** An item of the status bar. */
export interface StatusItemOptions {
  /** Unique id; also set as `data-item` on the item's element. */
  id: string;
  /** The item's element; the owner updates its content. */
  node: HTMLElement;
  align?: 'left' | 'right';
  /** Lower ranks sit closer to the bar's start within their side (default 500). */
  rank?: number;
}

/** The bar along the bottom of the window: small items on the left and right. */
export class StatusBar {
  readonly node: HTMLElement;
  private readonly left: HTMLElement;
  private readonly right: HTMLElement;
  private items: (StatusItemOptions & { rank: number })[] = [];

  constructor() {
    this.node = document.createElement('footer');
    this.node.className = 'ja-StatusBar';
    this.node.dataset.testid = 'statusbar';
    this.node.setAttribute('role', 'status');
    this.left = document.createElement('div');
    this.left.className = 'ja-StatusBar-left';
    this.right = document.createElement('div');
    this.right.className = 'ja-StatusBar-right';
    this.node.append(this.left, this.right);
  }

  /**
   * Show an item; dispose the result to remove it.
   * @throws Error when an item with the same id is shown.
   */
  addItem(options: StatusItemOptions): IDisposable {
    if (this.items.some((i) => i.id === options.id)) {
      throw new Error(`A status bar item with id "${options.id}" already exists`);
    }
    const item = { ...options, rank: options.rank ?? 500 };
    item.node.classList.add('ja-StatusBar-item');
    item.node.dataset.item = item.id;
    this.items.push(item);
    this.items.sort((a, b) => a.rank - b.rank);
    this.render();
    return new DisposableDelegate(() => {
      this.items = this.items.filter((i) => i !== item);
      item.node.remove();
    });
  }

  private render(): void {
    for (const item of this.items) {
      (item.align === 'right' ? this.right : this.left).appendChild(item.node);
    }
  }
}
