import { FileViewer } from './common';

/**
 * Images (PNG, JPEG, GIF, WebP, BMP, SVG) as an <img> of the server's file: an SVG
 * shown as an image never runs its scripts. Fit to the view or actual size, zoom
 * (buttons, Ctrl+wheel), pan (drag), rotate and flip.
 */
export class ImageFileViewer extends FileViewer {
  private scale = 1;
  private fit = true;
  private rotation = 0;
  private flipX = false;
  private flipY = false;
  private img: HTMLImageElement | null = null;
  private stage: HTMLElement | null = null;

  protected async render(): Promise<void> {
    if (!this.img) this.build();
    const img = this.img!;
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the image could not be decoded'));
      img.src = this.url;
    });
    this.apply();
  }

  private build(): void {
    const bar = document.createElement('div');
    bar.className = 'ja-ImageViewer-toolbar';
    const button = (label: string, id: string, run: () => void) => {
      const b = document.createElement('button');
      b.textContent = label;
      b.title = id.replace(/-/g, ' ');
      b.dataset.testid = `image-${id}`;
      b.addEventListener('click', () => {
        run();
        this.apply();
      });
      bar.appendChild(b);
    };
    button('Fit', 'fit', () => {
      this.fit = true;
      this.scale = 1;
    });
    button('1:1', 'actual-size', () => {
      this.fit = false;
      this.scale = 1;
    });
    button('+', 'zoom-in', () => this.zoom(1.25));
    button('−', 'zoom-out', () => this.zoom(0.8));
    button('⟳', 'rotate', () => (this.rotation = (this.rotation + 90) % 360));
    button('⇋', 'flip-horizontal', () => (this.flipX = !this.flipX));
    button('⇵', 'flip-vertical', () => (this.flipY = !this.flipY));
    this.stage = document.createElement('div');
    this.stage.className = 'ja-ImageViewer-stage';
    this.img = document.createElement('img');
    this.img.className = 'ja-ImageViewer';
    this.img.dataset.testid = 'image-viewer';
    this.img.alt = this.context.name;
    this.img.draggable = false;
    this.stage.appendChild(this.img);
    this.node.replaceChildren(bar, this.stage);
    this.stage.addEventListener(
      'wheel',
      (e) => {
        if (!e.ctrlKey) return;
        e.preventDefault();
        this.zoom(e.deltaY < 0 ? 1.1 : 1 / 1.1);
        this.apply();
      },
      { passive: false }
    );
    // Drag to pan.
    this.stage.addEventListener('pointerdown', (e) => {
      const stage = this.stage!;
      const start = { x: e.clientX, y: e.clientY, left: stage.scrollLeft, top: stage.scrollTop };
      const move = (m: PointerEvent) => {
        stage.scrollLeft = start.left - (m.clientX - start.x);
        stage.scrollTop = start.top - (m.clientY - start.y);
      };
      const up = () => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    });
  }

  private zoom(factor: number): void {
    if (this.fit && this.img) {
      // Zoom from the size it is shown at.
      const natural = this.img.naturalWidth || 1;
      this.scale = this.img.getBoundingClientRect().width / natural;
      this.fit = false;
    }
    this.scale = Math.min(32, Math.max(0.05, this.scale * factor));
  }

  private apply(): void {
    const img = this.img;
    if (!img) return;
    img.classList.toggle('ja-mod-fit', this.fit);
    img.style.width = this.fit ? '' : `${Math.round((img.naturalWidth || 0) * this.scale)}px`;
    img.style.transform = `rotate(${this.rotation}deg) scale(${this.flipX ? -1 : 1}, ${this.flipY ? -1 : 1})`;
    img.dataset.rotation = String(this.rotation);
    img.dataset.flip = `${this.flipX ? 'x' : ''}${this.flipY ? 'y' : ''}`;
    img.dataset.scale = this.fit ? 'fit' : this.scale.toFixed(2);
  }
}

/** PDF in the browser's own viewer (a frame on the server's file). */
export class PdfViewer extends FileViewer {
  protected async render(): Promise<void> {
    const frame = document.createElement('iframe');
    frame.className = 'ja-FrameViewer';
    frame.dataset.testid = 'pdf-viewer';
    frame.title = this.context.name;
    frame.src = this.url;
    this.node.replaceChildren(frame);
  }
}

/**
 * An HTML file in a sandboxed frame: scripts may run, but in an opaque origin (no
 * `allow-same-origin`), so they cannot reach the app, its cookies or the server as
 * the user; the host also serves files with `sandbox allow-scripts`.
 */
export class HtmlViewer extends FileViewer {
  protected async render(): Promise<void> {
    const frame = document.createElement('iframe');
    frame.className = 'ja-FrameViewer';
    frame.dataset.testid = 'html-viewer';
    frame.title = this.context.name;
    frame.setAttribute('sandbox', 'allow-scripts allow-popups');
    frame.src = this.url;
    this.node.replaceChildren(frame);
  }
}

/** Audio and video with the browser's players. */
export class MediaViewer extends FileViewer {
  constructor(
    context: ConstructorParameters<typeof FileViewer>[0],
    fileUrl: ConstructorParameters<typeof FileViewer>[1],
    private readonly kind: 'audio' | 'video'
  ) {
    super(context, fileUrl);
  }

  protected async render(): Promise<void> {
    const media = document.createElement(this.kind);
    media.className = 'ja-MediaViewer';
    media.dataset.testid = `${this.kind}-viewer`;
    media.controls = true;
    media.preload = 'metadata';
    media.src = this.url;
    this.node.replaceChildren(media);
  }
}
