import * as base from '@jupyter-widgets/base';
import * as controls from '@jupyter-widgets/controls';
import { sanitizeHtml } from '../rendermime/sanitize';
import { OutputModel, OutputView } from './output';

// A view removed while its layout view is still being created later posts a
// resize message to its disposed Lumino widget (@jupyter-widgets/base 6), which
// then throws in Lumino's message loop. Messages to disposed widgets are dropped.
for (const LuminoWidget of [base.JupyterLuminoWidget, base.JupyterLuminoPanelWidget]) {
  const process = LuminoWidget.prototype.processMessage;
  LuminoWidget.prototype.processMessage = function (this: InstanceType<typeof LuminoWidget>, msg) {
    if (!this.isDisposed) process.call(this, msg);
  };
}

type WidgetClass = typeof base.WidgetModel | typeof base.WidgetView;
type WidgetModule = Record<string, unknown>;

/**
 * The widget modules built in: the three of ipywidgets. Every version of a module
 * resolves to the one we ship: ipywidgets 8 kernels ask for base/controls 2.0.0
 * and output 1.0.0, and notebooks saved with ipywidgets 7 name base 1.2.0 and
 * controls 1.5.0, whose models the 8 classes read (attributes 8 renamed, like
 * `description_tooltip`, are ignored).
 */
const MODULES: Record<string, WidgetModule> = {
  '@jupyter-widgets/base': base as unknown as WidgetModule,
  '@jupyter-widgets/controls': controls as unknown as WidgetModule,
  '@jupyter-widgets/output': { OutputModel, OutputView }
};

/**
 * HTML and HTMLMath views that clean their value with our sanitizer before it
 * reaches the page: saved state comes from the notebook file, which anyone may
 * have written, and the stock views assign `value` to innerHTML.
 */
function sanitizingView<T extends typeof controls.StringView>(View: T, math: boolean): T {
  // The stock update() assigns innerHTML before anything could clean it (an <img
  // onerror> fires even if replaced at once), so skip it and call StringView's.
  return class extends (View as typeof controls.StringView) {
    override update(options?: unknown): void {
      const content = (this as unknown as { content: HTMLElement }).content;
      content.replaceChildren(sanitizeHtml(String(this.model.get('value') ?? '')));
      if (math) this.typeset(content);
      controls.StringView.prototype.update.call(this, options);
    }
  } as unknown as T;
}

const SANITIZED: Record<string, WidgetClass> = {
  HTMLView: sanitizingView(controls.HTMLView, false),
  HTMLMathView: sanitizingView(controls.HTMLMathView, true)
};

/** Options of {@link loadWidgetClass}. */
export interface LoadClassOptions {
  /** Render HTML widget values through the sanitizer (state from a notebook file). */
  sanitize: boolean;
}

/**
 * The class `className` of widget module `moduleName` (any version, see MODULES).
 * @throws Error naming the module when it is not one we ship (custom widget
 *   libraries such as ipyleaflet are not supported), or the class when missing.
 */
export function loadWidgetClass(
  className: string,
  moduleName: string,
  moduleVersion: string,
  options: LoadClassOptions
): WidgetClass {
  const module = Object.hasOwn(MODULES, moduleName) ? MODULES[moduleName] : undefined;
  if (!module) {
    throw new Error(`Widget module ${moduleName}@${moduleVersion} is not available in jlab-alt`);
  }
  if (options.sanitize && moduleName === '@jupyter-widgets/controls' && Object.hasOwn(SANITIZED, className)) {
    return SANITIZED[className];
  }
  const cls = Object.hasOwn(module, className) ? module[className] : undefined;
  if (typeof cls !== 'function') {
    throw new Error(`Class ${className} not found in widget module ${moduleName}@${moduleVersion}`);
  }
  return cls as WidgetClass;
}
